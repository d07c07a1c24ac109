/** Node's data source: fetch with a cache folder (keyed by URL), and local files. */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../core/hash/sha256.ts';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_GITHUB_RAW_HOST, DEFAULT_HUB_HOST, fetchWithProgress, type DataSourceContext, type UserFile } from '../sources/source.ts';

/** A file on disk as a UserFile (streamed on request, never read twice). */
export function userFileFromPath(path: string): UserFile {
  return {
    name: basename(path),
    size: statSync(path).size,
    bytes: async () => new Uint8Array(readFileSync(path)),
    stream: () => Readable.toWeb(createReadStream(path, { highWaterMark: 1 << 20 })) as unknown as ReadableStream<Uint8Array>,
  };
}
import { cacheRoot } from './paths.ts';

export interface NodeDataSourceOptions {
  userFile?: UserFile;
  extraFiles?: Record<string, UserFile>;
  cache?: boolean;
  log?: (message: string) => void;
  signal?: AbortSignal;
}

export function nodeDataSource(options: NodeDataSourceOptions = {}): DataSourceContext {
  const dir = join(cacheRoot(), 'data');
  return {
    hubHost: process.env.PLURALSCOPE_HUB_HOST ?? DEFAULT_HUB_HOST,
    githubRawHost: process.env.PLURALSCOPE_GITHUB_RAW_HOST ?? DEFAULT_GITHUB_RAW_HOST,
    userFile: options.userFile,
    extraFiles: options.extraFiles,
    signal: options.signal,
    log: options.log,
    async fetchBytes(url, fetchOptions) {
      const path = join(dir, sha256Hex(url));
      if (options.cache !== false && existsSync(path)) return new Uint8Array(readFileSync(path));
      options.log?.(`downloading ${url}`);
      const token = process.env.HF_TOKEN;
      const hub = process.env.PLURALSCOPE_HUB_HOST ?? DEFAULT_HUB_HOST;
      const bytes = await fetchWithProgress(url, {
        ...fetchOptions,
        ...(token && url.startsWith(hub) ? { headers: { Authorization: `Bearer ${token}` } } : {}),
      });
      if (options.cache !== false) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(`${path}.part`, bytes);
        renameSync(`${path}.part`, path);
      }
      return bytes;
    },
  };
}
