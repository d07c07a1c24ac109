import '../core/zod-setup.ts';
import { mount } from 'svelte';
import App from './App.svelte';
import { registerServiceWorker } from './lib/service-worker.ts';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('Pluralscope: the page has no #app element');
mount(App, { target });

/**
 * Diagnostics for reproducing failures (and the reliability tests): stop the engine Worker as a
 * crash would, or make the GPU device lost. Neither reads or exposes any data.
 */
Object.defineProperty(window, 'pluralscopeDiagnostics', {
  value: Object.freeze({
    terminateEngine: () => import('./lib/engine-client.ts').then((m) => m.terminateEngine('the engine was stopped (diagnostics)')),
    loseGpuDevice: () => import('./lib/engine-client.ts').then((m) => m.engine().debugLoseGpuDevice()),
    storageFull: (full: boolean) => import('./lib/engine-client.ts').then((m) => m.engine().debugStorageFull(full)),
  }),
});
void registerServiceWorker();
