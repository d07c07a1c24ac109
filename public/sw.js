/*
 * Pluralscope's service worker: the app shell works offline once loaded, and hosts that cannot
 * set headers (GitHub Pages, some static hosts) still get cross-origin isolation, which lets
 * ONNX Runtime use several WASM threads.
 *
 *  - /assets/* (content-hashed by the build): cache first.
 *  - other same-origin GETs (the page, the bundled test model): network first, cache fallback.
 *  - documents get Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers when the
 *    server sent none (the approach of coi-serviceworker).
 * Cross-origin requests (model and data downloads) are left alone: transformers.js and the
 * app keep their own caches of those.
 */
const CACHE = 'pluralscope-shell-v1';

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
        if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
        return isolate(response);
      } catch (error) {
        const hit = (await cache.match(request)) || (request.mode === 'navigate' ? await cache.match(scope) : undefined);
        if (hit) return isolate(hit);
        throw error;
      }
    })(),
  );
});
