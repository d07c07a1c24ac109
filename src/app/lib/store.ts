/** The page's connection to the run store (IndexedDB), opened once. */
import { RunStore } from '../../browser/run-store.ts';

let promise: Promise<RunStore> | null = null;

export function runStore(): Promise<RunStore> {
  return (promise ??= RunStore.open());
}
