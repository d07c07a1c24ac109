/**
 * A local HTTP server with the Hugging Face Hub's file layout
 * (`/<org>/<name>/resolve/<revision>/<path>`, and `/datasets/...` the same way), so tests
 * exercise the real remote-loading code with no network. Answers with CORS headers so a
 * browser page on another origin can use it too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface FixtureServerOptions {
  /** Hub repositories: "org/name" -> a local folder with the repository's files. */
  models?: Record<string, string>;
  datasets?: Record<string, string>;
  /** Any other path -> a local folder (e.g. "/raw/EnlightenedAI/DVMap/main" for GitHub raw files). */
  mounts?: Record<string, string>;
  /** Exact paths answered with JSON, built from the server's own URL (API listings). */
  json?: Record<string, (baseUrl: string) => unknown>;
  /** Repositories that answer 401 unless the request carries this bearer token. */
  gated?: { repos: string[]; token: string };
}

export interface FixtureServer {
  url: string;
  requests: Array<{ method: string; path: string; authorized: boolean }>;
  close(): Promise<void>;
}

export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const requests: FixtureServer['requests'] = [];
  let baseUrl = '';

  const resolveFile = (path: string): { file: string; repo?: string } | null => {
    const hub = /^\/(datasets\/)?([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(path);
    if (hub) {
      const [, isDataset, repo, rest] = hub as unknown as [string, string | undefined, string, string];
      const root = (isDataset ? options.datasets : options.models)?.[decodeURIComponent(repo)];
      return root ? { file: safeJoin(root, decodeURIComponent(rest)), repo: decodeURIComponent(repo) } : null;
    }
    const decoded = decodeURIComponent(path);
    for (const [prefix, root] of Object.entries(options.mounts ?? {})) {
      if (decoded.startsWith(`${prefix}/`)) return { file: safeJoin(root, decoded.slice(prefix.length + 1)) };
    }
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Range');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    // Matched before decoding, so an encoded revision ("refs%2Fconvert%2Fparquet") stays one segment.
    const rawPath = new URL(req.url ?? '/', 'http://x').pathname;
    const path = decodeURIComponent(rawPath);
    const authorized = options.gated ? req.headers.authorization === `Bearer ${options.gated.token}` : true;
    requests.push({ method: req.method ?? 'GET', path, authorized });
    const json = options.json?.[path] ?? options.json?.[rawPath];
    if (json) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(json(baseUrl)));
      return;
    }
    const target = resolveFile(rawPath);
    if (!target) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Entry not found');
      return;
    }
    if (target.repo && options.gated?.repos.includes(target.repo) && !authorized) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Access to this model is restricted: log in');
      return;
    }
    try {
      const info = await stat(target.file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(target.file);
      res.writeHead(200, { 'Content-Length': body.byteLength, 'Content-Type': 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Entry not found');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function safeJoin(root: string, rest: string): string {
  const joined = normalize(join(root, rest));
  if (!joined.startsWith(normalize(root))) throw new Error(`path escapes its root: ${rest}`);
  return joined;
}
