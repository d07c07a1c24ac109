/**
 * Fuzzes suite options (src/suites/suite.ts `resolveSuiteOptions`), as given with --opt
 * key=value or from the app's form: every registered suite's options plus a test suite with a
 * number, a boolean and a choice, given unknown keys (pollution keys too), blank, huge, NaN,
 * non-numeric or wrongly typed values. Each must resolve to one value per declared option, of
 * its declared type (a finite number, a boolean, one of the choices), or throw a
 * SuiteOptionError naming the option.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SUITES } from '../../src/suites/registry.ts';
import { resolveSuiteOptions, SuiteOptionError, type OptionValue, type SuiteMeta } from '../../src/suites/suite.ts';
import { assertNoPollution, fuzzParams, outcomeOf, Tally } from './helpers.ts';

const TEST_SUITE: Pick<SuiteMeta, 'id' | 'options'> = {
  id: 'test-suite',
  options: [
    { key: 'limit', description: 'a number', type: 'number', default: 30 },
    { key: 'verbose', description: 'a boolean', type: 'boolean', default: false },
    { key: 'mode', description: 'a choice', type: 'string', default: 'a', choices: ['a', 'b'] },
    { key: 'note', description: 'free text', type: 'string', default: '' },
  ],
};
const METAS: Array<Pick<SuiteMeta, 'id' | 'options'>> = [TEST_SUITE, ...SUITES];

const value: fc.Arbitrary<string | OptionValue> = fc.oneof(
  fc.constantFrom<string | OptionValue>('', ' ', '0', '1', '-1', '1e9', '1e400', 'NaN', 'Infinity', '0x10', 'true', 'false', 'yes', 'no', 'a', 'b', 'A', 'test', 'none', 'SGP', '__proto__'),
  fc.constantFrom<OptionValue>(0, -0, 1, 2.5, NaN, Infinity, true, false),
  fc.string({ maxLength: 8 }),
);

/** Own keys, also "__proto__" (as JSON or a form would give them). */
function given(entries: Array<[string, string | OptionValue]>): Record<string, string | OptionValue> {
  const out: Record<string, string | OptionValue> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

describe('suite options', () => {
  test('any keys and values: one valid value per declared option, or a SuiteOptionError', () => {
    const tally = new Tally();
    const input = fc.nat({ max: METAS.length - 1 }).chain((i) => {
      const keys = METAS[i]!.options.map((o) => o.key);
      const key = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...keys, ...(keys.length === 0 ? ['x'] : [])) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'Split', '', 'x') });
      return fc.tuple(fc.constant(i), fc.uniqueArray(fc.tuple(key, value), { maxLength: 4, selector: ([k]) => k }));
    });
    fc.assert(
      fc.property(input, ([i, entries]) => {
        const meta = METAS[i]!;
        const outcome = outcomeOf([SuiteOptionError], () => resolveSuiteOptions(meta, given(entries)));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        expect(Object.keys(outcome.value).sort()).toEqual(meta.options.map((o) => o.key).sort());
        for (const spec of meta.options) {
          const v = outcome.value[spec.key];
          expect(typeof v).toBe(spec.type);
          if (spec.type === 'number') expect(Number.isFinite(v)).toBe(true);
          if (spec.choices) expect(spec.choices).toContain(v);
          // A number given as text must have been written as one.
          const raw = entries.find(([k]) => k === spec.key)?.[1];
          if (spec.type === 'number' && typeof raw === 'string') expect(raw.trim()).not.toBe('');
        }
      }),
      fuzzParams(1000),
    );
    tally.expectBoth();
  });
});
