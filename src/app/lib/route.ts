/**
 * Hash routes: `#/check`, `#/run?suite=fair-pp`. Hash URLs work on every static host with no
 * rewrite rules, and a route plus its query is a shareable link. Only fragments that start with
 * `/` are routes; any other fragment (`#main`, an in-page anchor) is not, and leaves the page alone.
 */
export interface Route {
  path: string;
  params: URLSearchParams;
}

/** The route a location hash names, or null when the fragment is not a route. Empty = home. */
export function parseRoute(hash: string): Route | null {
  const raw = hash.replace(/^#/, '');
  if (raw === '') return { path: '/', params: new URLSearchParams() };
  if (!raw.startsWith('/')) return null;
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  return { path, params: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)) };
}

/** One string per distinct route (path and query, in order): a page is remade when it changes. */
export function routeKey(route: Route): string {
  const query = route.params.toString();
  return query ? `${route.path}?${query}` : route.path;
}

/** The hash that `parseRoute` reads back as this path and query. */
export function routeHash(path: string, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#${path}${query ? `?${query}` : ''}`;
}
