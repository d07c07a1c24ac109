/**
 * Resuming a run whose data came from files the user gave (picked in the page, or --data and
 * --file on the command line): the files given again must be the
 * ones the run used (same SHA-256 where recorded), or the saved answers would mix two data sets.
 */
import type { FileRef } from '../record/schema.ts';

/** A file the user gave (a name, not a URL the data was downloaded from). */
export function isLocalFile(ref: Pick<FileRef, 'path'>): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(ref.path);
}

const short = (hash: string) => hash.slice(0, 12);

/**
 * A run whose data came from a picked file (`file:<name>`) resumes only with a file given again:
 * without one, a suite would read other data (download the published release, or fail).
 */
export function assertDataFileGiven(source: string, given: boolean): void {
  if (given || !source.startsWith('file:')) return;
  throw new Error(
    `this run read its data from ${source.slice('file:'.length)}, a file on your device that the browser does not keep: choose it again to resume (the answers saved so far are kept)`,
  );
}

/**
 * Throws a message naming the file when a recorded local file is missing from what was loaded
 * now, or was given with different contents. Downloaded files are not checked here.
 */
export function assertSameFiles(recorded: readonly FileRef[], loaded: readonly FileRef[]): void {
  for (const ref of recorded.filter(isLocalFile)) {
    if (ref.sha256) {
      if (loaded.some((f) => f.sha256 === ref.sha256)) continue;
      const given = loaded.find((f) => f.path === ref.path && f.sha256) ?? loaded.filter(isLocalFile).find((f) => f.sha256 && !recorded.some((r) => r.sha256 === f.sha256));
      throw new Error(
        given
          ? `${given.path} is not the file this run used: ${ref.path} had SHA-256 ${short(ref.sha256)}…, the file given has ${short(given.sha256!)}…; give ${ref.path} again to resume (the answers saved so far are kept)`
          : `this run used ${ref.path}, which was not given again; give it again to resume (the answers saved so far are kept)`,
      );
    }
    if (ref.bytes === undefined) continue;
    if (loaded.some((f) => (f.path === ref.path || !ref.sha256) && f.bytes === ref.bytes)) continue;
    throw new Error(`the file given for ${ref.path} has a different size from the one this run used (${ref.bytes} bytes); give ${ref.path} again to resume (the answers saved so far are kept)`);
  }
}
