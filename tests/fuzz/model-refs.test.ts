/**
 * Fuzzes model references (src/core/models/model-ref.ts `parseModelRef`), as typed on the
 * command line, pasted in the app or read from a run record: valid references of every kind
 * damaged character by character (separators ':', '#', '@', '/' moved, doubled or dropped;
 * spaces, NULs, line breaks, non-ASCII; very long), and arbitrary text. Each must parse to a
 * reference that formats back to itself, or throw a ModelRefError saying what is wrong.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatModelRef, ModelRefError, parseModelRef } from '../../src/core/models/model-ref.ts';
import { assertNoPollution, fuzzParams, outcomeOf, Tally } from './helpers.ts';

const VALID = [
  'onnx-community/Qwen2.5-0.5B-Instruct',
  'HuggingFaceTB/SmolLM2-135M-Instruct@main',
  'org/name@refs/pr/3',
  'folder:./models/tiny',
  './models/tiny',
  '/abs/models/tiny',
  'synthetic:tiny',
  'synthetic:qwen2.5-0.5b',
  'endpoint:http://localhost:11434/v1#llama3.2',
  'endpoint:https://api.example.com/v1#gpt-4o-mini',
  'baseline:uniform',
  'baseline:majority',
];

const char = fc.oneof(
  fc.constantFrom(':', '#', '@', '/', '.', '-', '_', ' ', '\t', '\n', '\u0000', '\uFEFF', 'é', '中', '..', '//', 'http:', 'https://', 'javascript:', 'file:', '%', '?', '\\'),
  fc.string({ maxLength: 3 }),
);
type Edit = { at: number; kind: 'insert' | 'replace' | 'delete'; text: string };
const edit: fc.Arbitrary<Edit> = fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'replace', 'delete'), text: char });

function applyEdit(ref: string, e: Edit): string {
  const i = e.at % (ref.length + 1);
  if (e.kind === 'insert') return ref.slice(0, i) + e.text + ref.slice(i);
  if (e.kind === 'replace') return ref.slice(0, i) + e.text + ref.slice(i + 1);
  return ref.slice(0, i) + ref.slice(i + 1);
}

const damagedRef = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...VALID), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([ref, edits]) => edits.reduce(applyEdit, ref)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(100_000), `${'a/'.repeat(50_000)}b`, `endpoint:${'#'.repeat(50_000)}`, `org/${'n'.repeat(100_000)}@${'r'.repeat(100_000)}`) },
);

describe('model references', () => {
  test('damaged references: a reference that formats back to itself, or a ModelRefError', () => {
    const tally = new Tally();
    fc.assert(
      fc.property(damagedRef, (text) => {
        const outcome = outcomeOf([ModelRefError], () => parseModelRef(text));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        expect(parseModelRef(formatModelRef(outcome.value))).toEqual(outcome.value);
      }),
      fuzzParams(1000),
    );
    tally.expectBoth();
  });
});
