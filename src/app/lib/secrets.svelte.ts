/**
 * Secrets the user types (a Hub token for gated models, an endpoint API key). They live in
 * this page's memory only, and are sent with a run to the Worker, which uses them for that
 * run's requests. They are stored in the browser only if the user ticks "remember", and they
 * never go into run records, exports, share links or logs.
 */
import { runStore } from './store.ts';

class Secrets {
  hubToken = $state('');
  apiKey = $state('');
  remember = $state(false);

  async restore(): Promise<void> {
    const store = await runStore();
    const saved = await store.getSetting<{ hubToken?: string; apiKey?: string }>('secrets');
    if (saved) {
      this.hubToken = saved.hubToken ?? '';
      this.apiKey = saved.apiKey ?? '';
      this.remember = true;
    }
  }

  async persist(): Promise<void> {
    const store = await runStore();
    if (this.remember) await store.setSetting('secrets', { hubToken: this.hubToken, apiKey: this.apiKey });
    else await store.deleteSetting('secrets');
  }
}

export const secrets = new Secrets();
