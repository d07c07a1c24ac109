import { describe, expect, test } from 'vitest';
import {
  PythonLiteralError,
  parsePythonLiteral,
  parsePythonNumberListDict,
  parsePythonStringList,
  type PyValue,
} from '../../../src/sources/formats/python-literal.ts';

const parse = (text: string): PyValue => parsePythonLiteral(text);

/** The error `parse(text)` throws (failing the test when it does not throw one). */
function errorOf(text: string, options?: Parameters<typeof parsePythonLiteral>[1]): PythonLiteralError {
  try {
    parsePythonLiteral(text, options);
  } catch (e) {
    expect(e).toBeInstanceOf(PythonLiteralError);
    return e as PythonLiteralError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('GlobalOpinionQA shapes', () => {
  test('selections: a defaultdict of country -> shares, with apostrophes in double-quoted keys', () => {
    const text = `defaultdict(<class 'list'>, {'Belgium': [0.06, 0.94], "Cote d'Ivoire": [0.5, 0.5], 'S. Korea': [1e-05, 0.99999]})`;
    expect(parse(text)).toEqual(
      new Map<string, number[]>([
        ['Belgium', [0.06, 0.94]],
        ["Cote d'Ivoire", [0.5, 0.5]],
        ['S. Korea', [1e-5, 0.99999]],
      ]),
    );
    const typed = parsePythonNumberListDict(text);
    expect(typed.get("Cote d'Ivoire")).toEqual([0.5, 0.5]);
    expect([...typed.keys()]).toEqual(['Belgium', "Cote d'Ivoire", 'S. Korea']);
  });

  test('options: lists of strings in either quote style', () => {
    expect(parsePythonStringList(`['Yes', 'No']`)).toEqual(['Yes', 'No']);
    expect(parsePythonStringList(`["Don't know", 'No']`)).toEqual(["Don't know", 'No']);
    expect(parsePythonStringList(`['He said "no"', "It's \\"fine\\""]`)).toEqual(['He said "no"', `It's "fine"`]);
    expect(parsePythonStringList(`('a', 'b')`)).toEqual(['a', 'b']);
  });

  test('typed helpers reject the wrong shape with PythonLiteralError', () => {
    expect(() => parsePythonStringList(`['a', 1]`)).toThrow(PythonLiteralError);
    expect(() => parsePythonStringList(`{'a': 1}`)).toThrow(PythonLiteralError);
    expect(() => parsePythonNumberListDict(`{'a': [1, 'x']}`)).toThrow(PythonLiteralError);
    expect(() => parsePythonNumberListDict(`{1: [0.5]}`)).toThrow(PythonLiteralError);
    expect(() => parsePythonNumberListDict(`[0.5]`)).toThrow(PythonLiteralError);
  });

  test('defaultdict with other factories and spacing', () => {
    expect(parse(`defaultdict(<class 'collections.OrderedDict'>, {})`)).toEqual(new Map());
    expect(parse(`defaultdict(None, {'a': 1})`)).toEqual(new Map([['a', 1]]));
    expect(parse(` defaultdict ( < class "list" > ,\n {'a': []} ) `)).toEqual(new Map([['a', []]]));
    expect(parse(`[defaultdict(<class 'int'>, {'x': 2})]`)).toEqual([new Map([['x', 2]])]);
  });
});

describe('scalars', () => {
  test.each<[string, PyValue]>([
    ['None', null],
    ['True', true],
    ['False', false],
    ['0', 0],
    ['00', 0],
    ['-0', 0],
    ['42', 42],
    ['-17', -17],
    ['+3', 3],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['-2.5E+3', -2500],
    ['1e-05', 1e-5],
    ['1.e5', 1e5],
    ['012.5', 12.5],
    ['1e400', Infinity],
    ['1e16', 1e16],
    ['nan', NaN],
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['+inf', Infinity],
    ['-nan', NaN],
  ])('%s', (text, value) => {
    expect(parse(text)).toEqual(value);
  });

  test('negative float zero is kept; integer zero has no sign', () => {
    expect(Object.is(parse('-0.0'), -0)).toBe(true);
    expect(Object.is(parse('-0'), 0)).toBe(true);
  });

  test.each([
    ["'abc'", 'abc'],
    ['"abc"', 'abc'],
    ["''", ''],
    ['"it\'s"', "it's"],
    ["'it\\'s'", "it's"],
    ['"say \\"hi\\""', 'say "hi"'],
    ["'a\\nb\\tc\\rd'", 'a\nb\tc\rd'],
    ["'back\\\\slash'", 'back\\slash'],
    ["'\\x41\\x7f'", 'A\u007f'],
    ["'\\u00e9\\u20AC'", 'é€'],
    ["'\\U0001F600'", '\u{1F600}'],
    ["'\\0\\101\\7777'", '\u0000A\u01ff7'],
    ["'\\a\\b\\f\\v'", '\u0007\b\f\v'],
    ["'\\d\\w'", '\\d\\w'],
    ["'line\\\ncontinued'", 'linecontinued'],
    ["'Türkiye'", 'Türkiye'],
    ["'\\ud83d\\ude00'", '\u{1F600}'],
  ])('string %s', (text, value) => {
    expect(parse(text)).toBe(value);
  });
});

describe('containers', () => {
  test('lists, tuples and dicts, nested, with trailing commas and any whitespace', () => {
    expect(parse('[]')).toEqual([]);
    expect(parse('[1, 2, 3,]')).toEqual([1, 2, 3]);
    expect(parse('[\n  1,\n\t2\r\n]')).toEqual([1, 2]);
    expect(parse('()')).toEqual([]);
    expect(parse('(1,)')).toEqual([1]);
    expect(parse('(1, 2)')).toEqual([1, 2]);
    expect(parse('(1)')).toBe(1);
    expect(parse('((1))')).toBe(1);
    expect(parse('{}')).toEqual(new Map());
    expect(parse("{'a': 1, 'b': [2, (3, 4)], 'c': {'d': None},}")).toEqual(
      new Map<string, PyValue>([
        ['a', 1],
        ['b', [2, [3, 4]]],
        ['c', new Map([['d', null]])],
      ]),
    );
    expect(parse('{1: "one", None: 0, 2.5: True}')).toEqual(
      new Map<number | null, PyValue>([
        [1, 'one'],
        [null, 0],
        [2.5, true],
      ]),
    );
  });

  test('tuples are frozen arrays, lists are not', () => {
    expect(Object.isFrozen(parse('(1, 2)'))).toBe(true);
    expect(Object.isFrozen(parse('[1, 2]'))).toBe(false);
  });

  test('a repeated dict key keeps its first position and takes the last value, as in Python', () => {
    const d = parse("{'a': 1, 'b': 2, 'a': 3}") as Map<string, number>;
    expect([...d.entries()]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  test('prototype-looking keys are plain keys', () => {
    const d = parse("{'__proto__': 1, 'constructor': 2}") as Map<string, number>;
    expect(d.get('__proto__')).toBe(1);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('nesting up to the limit is fine', () => {
    expect(parse(`${'['.repeat(64)}${']'.repeat(64)}`)).toBeDefined();
    expect(parsePythonLiteral(`${'['.repeat(200)}${']'.repeat(200)}`, { maxDepth: 200 })).toBeDefined();
  });
});

describe('errors carry the offset and say what was wrong', () => {
  test.each<[string, string, number]>([
    ["['Yes', 'No", 'unterminated string starting at 8', 8],
    ["{'Belgium': [0.06, 0.94] 'x': 1}", "expected ',' or '}' at 25", 25],
    ['[1, 2', "expected ',' or ']' at 5", 5],
    ['[1 2]', "expected ',' or ']' at 3", 3],
    ['', 'unexpected end of input at 0', 0],
    ['   ', 'unexpected end of input at 3', 3],
    ['[1] x', "unexpected 'x' at 4; expected end of input", 4],
    ['[1]]', "unexpected ']' at 3", 3],
    ['[1],', "unexpected ',' at 3", 3],
    ['{1 2}', "expected ':' after the dict key at 3", 3],
    ['[,]', "unexpected ',' at 1; expected a value", 1],
    ['(1 2)', "expected ',' or ')' at 3", 3],
    ['[1, 2}', "expected ',' or ']' at 5", 5],
    ['foo', "unknown name 'foo' at 0", 0],
    ['none', "unknown name 'none' at 0", 0],
    ['01', 'leading zeros in the integer at 0', 0],
    ['1e', 'malformed exponent in the number at 0', 1],
    ['1.2.3', "unexpected '.' at 3 in the number starting at 0", 3],
    ['1_000', "unexpected '_' at 1", 1],
    ['0x10', "unexpected 'x' at 1", 1],
    ['3j', 'complex numbers are not supported', 0],
    ['-', 'expected a number at 0', 0],
    ['.', 'expected a number at 0', 0],
    ['-None', "unexpected 'None' at 1 after a sign", 1],
    ['9007199254740993', 'too large to represent exactly', 0],
    ["'abc\ndef'", 'unterminated string starting at 0 (line break at 4)', 0],
    ["'\\x4'", 'truncated \\x escape at 1', 1],
    ["'\\u12'", 'truncated \\u escape at 1', 1],
    ["'\\U00110000'", 'beyond U+10FFFF', 1],
    ["'\\N{DASH}'", '\\N{...} escapes are not supported', 1],
    ["'abc\\", 'unterminated string starting at 0', 0],
    ["{[1]: 2}", 'unsupported dict key at 1: a list', 1],
    ["{(1, 2): 3}", 'unsupported dict key at 1: a tuple', 1],
    ['defaultdict', "expected '(' after 'defaultdict'", 11],
    ["defaultdict(<class 'list'>, [])", "expected '{' for the defaultdict's contents at 28", 28],
    ["defaultdict(<function <lambda>>, {})", 'expected "<class \'...\'>" as the defaultdict factory at 12', 12],
    ["defaultdict(<class 'list'> {})", "expected ',' after the defaultdict factory", 27],
    ["defaultdict(<class 'list'>, {}", "expected ')' to close the defaultdict opened at 0", 30],
    ['\u00a0[1]', 'unexpected character U+00A0 at 0', 0],
    ["'''a'''", "unexpected ''' at 2; expected end of input", 2],
    ["u'x'", "unknown name 'u' at 0", 0],
  ])('%j', (text, message, offset) => {
    const error = errorOf(text);
    expect(error.message).toContain(message);
    expect(error.offset).toBe(offset);
    expect(error.name).toBe('PythonLiteralError');
  });

  test('the brief examples', () => {
    expect(errorOf("{'a': 'b', 'c': 'd").message).toBe('unterminated string starting at 16');
    expect(errorOf("{'a': [1, 2], 'b': 3 'c'}").message).toMatch(/^expected ',' or '\}' at 21/);
  });

  test('nesting beyond the limit is refused quickly, without a stack overflow', () => {
    for (const depth of [65, 10_000, 1_000_000]) {
      const error = errorOf('['.repeat(depth) + ']'.repeat(depth));
      expect(error.message).toBe('nesting deeper than 64 at 64');
      expect(error.offset).toBe(64);
    }
    expect(errorOf("{'a': ".repeat(100_000)).message).toContain('nesting deeper than 64');
    expect(errorOf('[[[1]]]', { maxDepth: 2 }).message).toBe('nesting deeper than 2 at 2');
  });

  test('input longer than the limit is refused before parsing', () => {
    const error = errorOf(`[${'1, '.repeat(100)}1]`, { maxLength: 100 });
    expect(error.message).toMatch(/more than the limit of 100/);
  });

  test('large well-formed input parses in linear time', () => {
    const countries = Array.from({ length: 20_000 }, (_, i) => `'Country ${i}': [0.25, 0.25, 0.5]`).join(', ');
    const started = performance.now();
    const parsed = parsePythonNumberListDict(`defaultdict(<class 'list'>, {${countries}})`);
    expect(parsed.size).toBe(20_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
