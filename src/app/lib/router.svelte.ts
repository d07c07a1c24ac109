/** The app's current hash route, as reactive state (the parsing lives in route.ts). */
import { parseRoute, routeHash, type Route } from './route.ts';

export type { Route } from './route.ts';

class Router {
  current = $state<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash) ?? { path: '/', params: new URLSearchParams() });

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => {
        // A fragment that is not a route (an in-page anchor) keeps the page and its unsaved state.
        const next = parseRoute(location.hash);
        if (next) this.current = next;
      });
    }
  }

  go(path: string, params?: Record<string, string>): void {
    location.hash = routeHash(path, params);
  }
}

export const router = new Router();
