/** Where the package lives and where Node caches go. */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** ~/.cache/pluralscope (or $PLURALSCOPE_CACHE). */
export function cacheRoot(): string {
  return process.env.PLURALSCOPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pluralscope');
}
