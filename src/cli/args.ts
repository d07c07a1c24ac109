/**
 * Checks of command-line arguments before any work starts, so a wrong one is a one-line usage
 * error (exit 2) instead of a stack trace from deep inside: EISDIR when a folder is given for a
 * file, ENOENT when the record is saved at the very end of a long run, a typed array too large
 * for a million million resamples, "__proto__=" silently changing an object's prototype.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.ts';

/** `path` must be an existing file (not a folder). */
export function requireFile(flag: string, path: string): void {
  if (!existsSync(path)) throw new UsageError(`${flag}: no file ${path}`);
  if (!statSync(path).isFile()) throw new UsageError(`${flag}: ${path} is a folder, not a file`);
}

/** `path` must be writable as a file: its folder exists, and it is not itself a folder. */
export function requireOutputFile(flag: string, path: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${flag}: no folder ${folder} to write ${path} in`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag}: ${path} is a folder; give a file name`);
}

/** The file a path names, links followed where it exists. */
function samePathKey(path: string): string {
  const absolute = resolve(path);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}

/**
 * The output must not be one of the inputs: writing it would replace the user's data.
 * `inputs` are [flag, path] pairs; URLs are not files here and are skipped.
 */
export function requireOutputNotInput(flag: string, out: string, inputs: ReadonlyArray<readonly [string, string | undefined]>): void {
  const target = samePathKey(out);
  for (const [inputFlag, path] of inputs) {
    if (path === undefined || /^https?:\/\//.test(path)) continue;
    if (samePathKey(path) === target) throw new UsageError(`${flag}: ${out} is the file given with ${inputFlag}; writing it would replace that input: give another file name`);
  }
}

/** The paths of `--file role=path` arguments, as [flag, path] pairs for requireOutputNotInput. */
export function fileArgumentPaths(pairs: readonly string[]): Array<[string, string]> {
  return pairs.filter((pair) => pair.indexOf('=') > 0).map((pair) => [`--file ${pair.slice(0, pair.indexOf('='))}=`, pair.slice(pair.indexOf('=') + 1)]);
}

/** A negative number as a command-line value: -5, -0.5, -.5, -1e3. */
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Node's parseArgs reads "-5" after "--limit" as an ambiguous option ("use --limit=-XYZ"): joins
 * a negative number to the long option before it ("--limit=-5"), so the option's own range
 * check answers. A flag that takes no value then says so. Nothing after "--" is touched.
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (/^--[^=]+$/.test(token) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}

/** key=value pairs into an object without a prototype, so "__proto__" is an ordinary (unknown) key. */
export function keyValuePairs(flag: string, pairs: readonly string[], what = 'key=value'): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} takes ${what}, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Most bootstrap resamples accepted: intervals stop changing long before, and each costs memory. */
export const MAX_RESAMPLES = 100_000;
