/**
 * Hash routing: `#/check`, `#/run?suite=fair-pp`. Hash URLs work on every static host with
 * no rewrite rules, and a route plus its query is a shareable link.
 */
export interface Route {
  path: string;
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = raw.split('?');
  return { path: path.startsWith('/') ? path : `/${path}`, params: new URLSearchParams(query) };
}

class Router {
  current = $state<Route>(parse(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => {
        this.current = parse(location.hash);
      });
    }
  }

  go(path: string, params?: Record<string, string>): void {
    const query = params ? `?${new URLSearchParams(params)}` : '';
    location.hash = `#${path}${query}`;
  }
}

export const router = new Router();
