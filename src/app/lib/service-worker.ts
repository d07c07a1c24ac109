/**
 * Registers the service worker (production builds): offline app shell and, on hosts that set
 * no isolation headers, cross-origin isolation (one reload after the worker first takes control).
 */
import { BASE_URL } from './site.ts';

export async function registerServiceWorker(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register(`${BASE_URL}sw.js`, { scope: BASE_URL });
  } catch {
    return; // Private windows and some browsers refuse; the app works without it.
  }
  if (!crossOriginIsolated && navigator.serviceWorker.controller === null) {
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (!crossOriginIsolated && !sessionStorage.getItem('pluralscope-coi-reload')) {
        sessionStorage.setItem('pluralscope-coi-reload', '1');
        location.reload();
      }
    });
  }
}
