/*
 * Pluralscope's service worker: the app shell works offline once loaded, and hosts that cannot
 * set headers (GitHub Pages, some static hosts) still get cross-origin isolation, which lets
 * ONNX Runtime use several WASM threads.
 *
 *  - /assets/* (content-hashed by the build): cache first.
 *  - other same-origin GETs (the page, static data): network first, cache fallback; the copy is
 *    stored in the background, so a response is never held back until it is cached.
 *  - documents get Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers when the
 *    server sent none (the approach of coi-serviceworker).
 * Model files (/models/*, this site's own model folders, which can be gigabytes) and
 * cross-origin requests (model and data downloads) are left alone: transformers.js keeps its own
 * cache of model files ("Models on disk" lists and deletes it) and the app keeps one of data.
 * A copy here would store every model twice, and a file larger than the cache can hold would
 * fail to load at all.
 */
const CACHE = 'pluralscope-shell-v2';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('pluralscope-shell-') && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

function isolate(response) {
  if (!response || response.status === 0 || response.type === 'opaque') return response;
  const type = response.headers.get('content-type') || '';
  if (!type.includes('text/html')) return response;
  if (response.headers.get('cross-origin-embedder-policy')) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.headers.has('range')) return;
  const scope = new URL(self.registration.scope).pathname;
  if (url.pathname.startsWith(`${scope}models/`)) return;
  const immutable = url.pathname.startsWith(`${scope}assets/`);
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      if (immutable) {
        const hit = await cache.match(request);
        if (hit) return hit;
      }
      try {
        const response = await fetch(request);
        if (response.ok && response.type === 'basic') event.waitUntil(cache.put(request, response.clone()).catch(() => undefined));
        return isolate(response);
      } catch (error) {
        const hit = (await cache.match(request)) || (request.mode === 'navigate' ? await cache.match(scope) : undefined);
        if (hit) return isolate(hit);
        throw error;
      }
    })(),
  );
});
