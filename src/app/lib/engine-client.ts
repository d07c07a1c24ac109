/** The page's handle on the engine Worker (created on first use, so the page loads light). */
import * as Comlink from 'comlink';
import type { WorkerApi } from '../../../workers/engine.worker.ts';

let remote: Comlink.Remote<WorkerApi> | null = null;
let worker: Worker | null = null;
const lostListeners = new Set<(reason: string) => void>();

/** Called when the Worker dies (a crash, out of memory, or terminateEngine): its runs stopped mid-way. */
export function onEngineLost(listener: (reason: string) => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

function lost(reason: string): void {
  worker = null;
  remote = null;
  for (const listener of lostListeners) listener(reason);
}

export function engine(): Comlink.Remote<WorkerApi> {
  if (!remote) {
    const w = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'pluralscope-engine',
    });
    w.addEventListener('error', (event) => {
      event.preventDefault();
      if (worker === w) {
        w.terminate();
        lost(`the engine stopped (${event.message || 'a crash'})`);
      }
    });
    worker = w;
    remote = Comlink.wrap<WorkerApi>(w);
  }
  return remote;
}

/** Ends the Worker (and any run in it); the next call starts a fresh one. Its saved items stay. */
export function terminateEngine(reason = 'the engine was stopped'): void {
  if (!worker) return;
  worker.terminate();
  lost(reason);
}

export { Comlink };
