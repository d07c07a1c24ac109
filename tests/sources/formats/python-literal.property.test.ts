/**
 * Property tests for the Python literal parser: what Python's repr writes reads back as the same
 * value; malformed input always fails with PythonLiteralError (never another error, never a hang);
 * arbitrary input either parses or fails that way.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PythonLiteralError, parsePythonLiteral } from '../../../src/sources/formats/python-literal.ts';
import { REPR, expected, pyModel, reprStyle, serialise, type PyModel } from '../../helpers/python-repr.ts';

/** Runs `parsePythonLiteral` and reports how it ended; any non-PythonLiteralError is rethrown. */
function outcome(text: string): 'ok' | PythonLiteralError {
  try {
    parsePythonLiteral(text);
    return 'ok';
  } catch (e) {
    if (e instanceof PythonLiteralError) {
      expect(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= text.length).toBe(true);
      return e;
    }
    throw e;
  }
}

/** A model whose serialisation starts with an opener and ends with its closer (or is a string). */
const wrapped: fc.Arbitrary<PyModel> = fc.oneof(
  pyModel.map((m): PyModel => ({ t: 'list', items: [m] })),
  pyModel.filter((m) => m.t === 'dict' || m.t === 'list' || (m.t === 'scalar' && typeof m.v === 'string')),
  pyModel.map((m): PyModel => ({ t: 'dict', entries: [[{ t: 'scalar', v: 'k' }, m]] })),
);

describe('round trip: repr-style text parses back to the value', () => {
  test('exact repr formatting', () => {
    fc.assert(
      fc.property(pyModel, (model) => {
        expect(parsePythonLiteral(serialise(model, REPR))).toEqual(expected(model));
      }),
      { numRuns: 1000 },
    );
  });

  test('other valid spellings: quote styles, ASCII escapes, whitespace, trailing commas, defaultdict', () => {
    fc.assert(
      fc.property(pyModel, reprStyle, (model, style) => {
        expect(parsePythonLiteral(serialise(model, style))).toEqual(expected(model));
      }),
      { numRuns: 1000 },
    );
  });

  test('surrounding whitespace is ignored', () => {
    fc.assert(
      fc.property(pyModel, fc.constantFrom('', ' ', '\n', '\t \r\n'), fc.constantFrom('', ' ', '\n'), (model, before, after) => {
        expect(parsePythonLiteral(before + serialise(model) + after)).toEqual(expected(model));
      }),
      { numRuns: 200 },
    );
  });
});

describe('malformed input always throws PythonLiteralError', () => {
  test('every strict prefix of a bracketed or quoted literal', () => {
    fc.assert(
      fc.property(wrapped, reprStyle, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (model, style, cut) => {
        const text = serialise(model, style);
        const prefix = text.slice(0, Math.floor(cut * text.length));
        expect(outcome(prefix)).toBeInstanceOf(PythonLiteralError);
      }),
      { numRuns: 600 },
    );
  });

  test('a valid literal followed by junk', () => {
    const junk = fc.tuple(fc.constantFrom(...']})>:@$?!;=.xN0\'"\\[{('), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(wrapped, junk, fc.constantFrom('', ' ', '\n'), (model, [first, rest], gap) => {
        expect(outcome(serialise(model) + gap + first + rest)).toBeInstanceOf(PythonLiteralError);
      }),
      { numRuns: 600 },
    );
  });

  test('a container closed by the wrong bracket', () => {
    const containers = pyModel.filter((m) => m.t === 'list' || m.t === 'dict' || m.t === 'tuple');
    fc.assert(
      fc.property(containers, fc.constantFrom(']', '}', ')', '>'), (model, closer) => {
        const text = serialise(model);
        fc.pre(text.endsWith(']') || text.endsWith('}') || text.endsWith(')'));
        fc.pre(!text.endsWith(closer) && !(model.t === 'tuple' && text === '()'));
        expect(outcome(text.slice(0, -1) + closer)).toBeInstanceOf(PythonLiteralError);
      }),
      { numRuns: 600 },
    );
  });

  test('broken strings and escapes', () => {
    const body = fc.string({ unit: fc.constantFrom('a', ' ', 'é', ',', ']', '0'), maxLength: 8 });
    const broken = fc.oneof(
      body.map((b) => `['${b}`),
      body.map((b) => `{"${b}": 1}`.replace(/"(?=:)/, '')),
      fc.tuple(body, fc.constantFrom('\\x', '\\x4', '\\u12', '\\u12g4', '\\U0011ffff', '\\U1234567', '\\N{X}')).map(([b, esc]) => `'${b}${esc}'`),
      fc.tuple(body, body).map(([a, b]) => `'${a}\n${b}'`),
    );
    fc.assert(
      fc.property(broken, (text) => {
        expect(outcome(text)).toBeInstanceOf(PythonLiteralError);
      }),
      { numRuns: 600 },
    );
  });

  test('nesting past the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 65, max: 5000 }), fc.constantFrom<[string, string]>(['[', ']'], ['(', ',)'], ["{'a': ", '}']), (depth, [open, close]) => {
        const error = outcome(open.repeat(depth) + '1' + close.repeat(depth));
        expect(error).toBeInstanceOf(PythonLiteralError);
        expect((error as PythonLiteralError).message).toContain('nesting deeper than 64');
      }),
      { numRuns: 100 },
    );
  });
});

describe('arbitrary input never escapes as another error and never hangs', () => {
  test('random text over the literal alphabet', () => {
    const alphabet = fc.constantFrom(...`[]{}(),:'"\\ \n0123456789.eE+-_abcdefxuUNTrueFalsNoninfdtl<>`.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 40 }), (text) => {
        outcome(text); // a hang would trip the test timeout; the parser's loops all consume input
      }),
      { numRuns: 3000 },
    );
  });

  test('random code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        outcome(text);
      }),
      { numRuns: 2000 },
    );
  });

  test('mutations of valid literals', () => {
    fc.assert(
      fc.property(pyModel, fc.nat(), fc.string({ maxLength: 3 }), (model, at, insert) => {
        const text = serialise(model);
        const i = at % (text.length + 1);
        outcome(text.slice(0, i) + insert + text.slice(i + 1));
      }),
      { numRuns: 2000 },
    );
  });
});
