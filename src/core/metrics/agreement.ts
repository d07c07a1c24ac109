/**
 * Agreement rate (a FAIR-SP breakdown, SPEC section 1): how often the model's most likely answer is
 * the anchor's.
 */
import { assertNonEmpty, assertSameLength } from './checks.ts';
import { argmax } from './distribution.ts';

/**
 * Agreement rate = (1/n) sum_i 1[argmax(model_i) = argmax(anchor_i)], in [0, 1], with argmax ties
 * going to the LOWEST option index on both sides. `model[i]` and `anchor[i]` are item i's
 * distributions (or scores; a one-hot vector for a single answer) over the same options.
 *
 * Throws when the lists are empty or differ in length, an item's two vectors differ in length,
 * or a vector is empty or has a NaN.
 */
export function agreementRate(model: readonly (readonly number[])[], anchor: readonly (readonly number[])[]): number {
  const where = 'agreementRate';
  assertSameLength(where, 'model', model, 'anchor', anchor);
  assertNonEmpty(where, 'model', model);
  let agree = 0;
  for (let i = 0; i < model.length; i++) {
    const m = model[i]!;
    const a = anchor[i]!;
    assertSameLength(where, `model[${i}]`, m, `anchor[${i}]`, a);
    assertNonEmpty(where, `model[${i}]`, m);
    assertNoNaN(where, `model[${i}]`, m);
    assertNoNaN(where, `anchor[${i}]`, a);
    if (argmax(m) === argmax(a)) agree++;
  }
  return agree / model.length;
}

function assertNoNaN(where: string, what: string, v: readonly number[]): void {
  for (let j = 0; j < v.length; j++) if (Number.isNaN(v[j])) throw new RangeError(`${where}: ${what}[${j}] is NaN`);
}
