/** Progress of a run: items done, throughput and time left. */

export interface Progress {
  done: number;
  total: number;
  /** Items per second over this session of the run (resumed items excluded). */
  itemsPerSecond: number;
  /** Seconds left at the current rate; null before the first item. */
  etaSeconds: number | null;
  elapsedSeconds: number;
}

export function createProgressTracker(total: number, alreadyDone: number, now: () => number = () => performance.now()) {
  const start = now();
  let done = alreadyDone;
  return {
    advance(count: number): Progress {
      done += count;
      const elapsedSeconds = (now() - start) / 1000;
      const fresh = done - alreadyDone;
      const itemsPerSecond = elapsedSeconds > 0 ? fresh / elapsedSeconds : 0;
      const left = total - done;
      return {
        done,
        total,
        itemsPerSecond,
        etaSeconds: itemsPerSecond > 0 ? left / itemsPerSecond : null,
        elapsedSeconds,
      };
    },
  };
}
