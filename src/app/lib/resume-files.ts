/**
 * Which files a stopped run needs again to resume: data the user picked is not stored, so after
 * a reload (or in another tab) the run page asks for the same files before resuming.
 */
import type { RunHeader } from '../../browser/run-store.ts';
import { isLocalFile } from '../../core/run/same-files.ts';

export interface ResumeFile {
  /** The suite input's role: 'data', or an extra such as 'codebook', 'metadata', 'anchors', 'train'. */
  role: string;
  /** The file's name when the run started. */
  name: string;
  sha256?: string;
}

/**
 * The files to give again, data first. Runs record the role of each picked file (`inputFiles`);
 * older runs only say their data came from `file:<name>`, so only that file is asked for.
 */
export function resumeFiles(header: Pick<RunHeader, 'suite' | 'inputFiles'>): ResumeFile[] {
  const { source, files } = header.suite.data;
  const local = files.filter(isLocalFile);
  const byRole: Record<string, string> = { ...(header.inputFiles ?? {}) };
  if (!byRole.data && source.startsWith('file:')) byRole.data = source.slice('file:'.length);
  return Object.entries(byRole)
    .sort(([a], [b]) => (a === 'data' ? -1 : b === 'data' ? 1 : a.localeCompare(b)))
    .map(([role, name]) => {
      const sha256 = local.find((f) => f.path === name)?.sha256;
      return { role, name, ...(sha256 ? { sha256 } : {}) };
    });
}

/** What the Resume button waits for, or null when every file has been given again. */
export function missingResumeFile(needed: readonly ResumeFile[], given: Record<string, File | undefined>): string | null {
  const missing = needed.find((f) => !given[f.role]);
  return missing ? `Choose ${missing.name} again to resume` : null;
}
