/**
 * The browser's copies of downloaded model files (transformers.js keeps them in the Cache
 * Storage entry "transformers-cache"), grouped by model, with sizes; deletable per model.
 */
export const MODEL_CACHE = 'transformers-cache';

export interface CachedModel {
  /** "org/name" for Hub files, "site:<folder>" for this site's models, the ONNX Runtime engine, else the host. */
  model: string;
  files: Array<{ url: string; bytes: number }>;
  bytes: number;
}

/** The cache entry of ONNX Runtime's engine files, which are no model. */
export const ONNX_RUNTIME_ENTRY = 'ONNX Runtime engine (WASM)';

export function modelOfUrl(url: string): string {
  const u = new URL(url);
  const hub = /^\/([^/]+\/[^/]+)\/resolve\//.exec(u.pathname);
  if (hub) return hub[1]!;
  const site = /\/models\/([^/]+)\//.exec(u.pathname);
  if (site) return `site:${site[1]}`;
  // transformers.js keeps ONNX Runtime's WASM engine (ort-wasm-*.wasm / .mjs) in the same cache.
  if (/\/ort-wasm[^/]*\.(wasm|mjs)$/.test(u.pathname)) return ONNX_RUNTIME_ENTRY;
  return u.host;
}

export async function listCachedModels(): Promise<CachedModel[]> {
  if (typeof caches === 'undefined') return [];
  const cache = await caches.open(MODEL_CACHE);
  const groups = new Map<string, CachedModel>();
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    let size = Number(response?.headers.get('content-length') ?? NaN);
    if (!Number.isFinite(size) && response) size = (await response.blob()).size;
    const model = modelOfUrl(request.url);
    const group = groups.get(model) ?? { model, files: [], bytes: 0 };
    group.files.push({ url: request.url, bytes: size });
    group.bytes += size;
    groups.set(model, group);
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes);
}

export async function deleteCachedModel(model: CachedModel): Promise<void> {
  const cache = await caches.open(MODEL_CACHE);
  await Promise.all(model.files.map((f) => cache.delete(f.url)));
}
