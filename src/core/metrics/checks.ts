/**
 * Input checks shared by the metrics modules. Every error is a `RangeError` whose message starts
 * with the public function's name and names the offending argument and entry, e.g.
 * `jensenShannonDistance: q[2] is negative (-0.1)`, so a bad input is found without a debugger.
 *
 * Internal: not re-exported from `index.ts`.
 */

/** Throws unless `xs` has at least one element. */
export function assertNonEmpty(where: string, what: string, xs: { readonly length: number }): void {
  if (xs.length === 0) throw new RangeError(`${where}: ${what} is empty`);
}

/** Throws unless `a` and `b` have the same length. */
export function assertSameLength(
  where: string,
  aName: string,
  a: { readonly length: number },
  bName: string,
  b: { readonly length: number },
): void {
  if (a.length !== b.length) {
    throw new RangeError(`${where}: ${aName} has length ${a.length} but ${bName} has length ${b.length}`);
  }
}

/** Throws unless every entry is a finite number >= 0. */
export function assertFiniteNonNegative(where: string, what: string, xs: readonly number[]): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!Number.isFinite(x)) throw new RangeError(`${where}: ${what}[${i}] is not a finite number (${x})`);
    if (x < 0) throw new RangeError(`${where}: ${what}[${i}] is negative (${x})`);
  }
}

/** Throws unless every entry is a finite number. */
export function assertFinite(where: string, what: string, xs: readonly number[]): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!Number.isFinite(x)) throw new RangeError(`${where}: ${what}[${i}] is not a finite number (${x})`);
  }
}

/** Throws unless `n` is an integer >= `min` (default 1). */
export function assertInteger(where: string, what: string, n: number, min = 1): void {
  if (!Number.isInteger(n) || n < min) {
    throw new RangeError(`${where}: ${what} must be an integer >= ${min}, got ${n}`);
  }
}

/**
 * Throws unless `code` is an answer code of a k-option scale: an integer in [0, k - 1]
 * (k = Infinity: any integer >= 0).
 */
export function assertAnswerCode(where: string, what: string, code: number, k: number): void {
  if (!Number.isInteger(code) || code < 0 || code >= k) {
    const range = k === Infinity ? '(an integer >= 0)' : `in 0..${k - 1}`;
    throw new RangeError(`${where}: ${what} must be an answer code ${range}, got ${code}`);
  }
}
