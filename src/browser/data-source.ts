/** The browser's data source: fetch, with downloaded files kept in IndexedDB. */
import { DEFAULT_GITHUB_RAW_HOST, DEFAULT_HUB_HOST, fetchWithProgress, type DataSourceContext, type UserFile } from '../sources/source.ts';
import type { RunStore } from './run-store.ts';

export interface BrowserDataSourceOptions {
  store: RunStore;
  userFile?: UserFile;
  extraFiles?: Record<string, UserFile>;
  hubHost?: string;
  githubRawHost?: string;
  hubToken?: string;
  signal?: AbortSignal;
  log?: (message: string) => void;
  onProgress?: (p: { url: string; loaded: number; total: number | null }) => void;
}

export function browserDataSource(options: BrowserDataSourceOptions): DataSourceContext {
  const hubHost = options.hubHost ?? DEFAULT_HUB_HOST;
  return {
    hubHost,
    githubRawHost: options.githubRawHost ?? DEFAULT_GITHUB_RAW_HOST,
    userFile: options.userFile,
    extraFiles: options.extraFiles,
    signal: options.signal,
    log: options.log,
    async fetchBytes(url, fetchOptions) {
      const cached = await options.store.getDataset(url);
      if (cached) return new Uint8Array(cached.bytes);
      options.log?.(`downloading ${url}`);
      const bytes = await fetchWithProgress(url, {
        signal: fetchOptions?.signal ?? options.signal,
        onProgress: fetchOptions?.onProgress ?? options.onProgress,
        ...(options.hubToken && url.startsWith(hubHost) ? { headers: { Authorization: `Bearer ${options.hubToken}` } } : {}),
      });
      // API listings change; data files do not (they are addressed by revision).
      if (!url.includes('/api/')) {
        const copy = bytes.slice().buffer as ArrayBuffer;
        await options.store.putDataset({ url, bytes: copy, size: bytes.byteLength, fetchedAt: new Date().toISOString() });
      }
      return bytes;
    },
  };
}
