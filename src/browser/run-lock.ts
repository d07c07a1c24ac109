/** The Web Lock a run holds while it executes (any tab can see whether a run is really running). */
export function runLockName(runId: string): string {
  return `pluralscope-run:${runId}`;
}
