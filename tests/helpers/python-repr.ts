/**
 * Test helper: a model of Python values and a serialiser that writes them the way Python's
 * `repr()` does (float formatting, quote choice, escapes), with optional variations (other quote
 * styles, ASCII-only escaping, extra whitespace, trailing commas) that are still valid literals.
 * Used to check that `parsePythonLiteral` reads back what Python would have written.
 */
import fc from 'fast-check';
import type { PyScalar, PyValue } from '../../src/sources/formats/python-literal.ts';

/** A scalar; `float` marks numbers that Python holds as floats (written with a point or exponent). */
export interface ScalarModel {
  t: 'scalar';
  v: PyScalar;
  float?: boolean;
}
export type PyModel =
  | ScalarModel
  | { t: 'list'; items: PyModel[] }
  | { t: 'tuple'; items: PyModel[] }
  | { t: 'dict'; entries: [ScalarModel, PyModel][] };

export interface ReprStyle {
  /** 'repr': Python's choice (single quotes unless the text has ' and no "); else always that quote. */
  quotes: 'repr' | 'single' | 'double';
  /** Escape every non-ASCII character (like `ascii()`), else only what Python's repr escapes here. */
  asciiOnly: boolean;
  /** Whitespace strings used in turn after each separator (", " in repr); '' for none. */
  spaces: string[];
  /** Add a trailing comma to non-empty lists and dicts. */
  trailingComma: boolean;
  /** Wrap a top-level dict as `defaultdict(<class 'list'>, ...)`. */
  defaultdict: boolean;
}

export const REPR: ReprStyle = { quotes: 'repr', asciiOnly: false, spaces: [' '], trailingComma: false, defaultdict: false };

/** Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  const neg = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let body: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp >= 0) {
    body = digits.length <= exp + 1 ? `${digits}${'0'.repeat(exp + 1 - digits.length)}.0` : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${body}` : body;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** A Python string literal for `s`. */
export function pyStrRepr(s: string, style: Pick<ReprStyle, 'quotes' | 'asciiOnly'> = REPR): string {
  const quote = style.quotes === 'double' ? '"' : style.quotes === 'single' ? "'" : s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f) out += ch;
    else if (style.asciiOnly || (code >= 0x80 && code <= 0xa0) || (code >= 0xd800 && code <= 0xdfff) || code === 0xad) {
      out += code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

function scalarRepr(m: ScalarModel, style: ReprStyle): string {
  const v = m.v;
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return pyStrRepr(v, style);
  return m.float ? pyFloatRepr(v) : String(v);
}

/** Serialises a model; `spaceIndex` cycles through `style.spaces`. */
export function serialise(model: PyModel, style: ReprStyle = REPR): string {
  let k = 0;
  const sp = (): string => (style.spaces.length === 0 ? '' : (style.spaces[k++ % style.spaces.length] ?? ''));
  const write = (m: PyModel, top: boolean): string => {
    switch (m.t) {
      case 'scalar':
        return scalarRepr(m, style);
      case 'list': {
        const parts = m.items.map((x) => write(x, false));
        return `[${parts.join(`,${sp()}`)}${style.trailingComma && parts.length > 0 ? ',' : ''}]`;
      }
      case 'tuple': {
        const parts = m.items.map((x) => write(x, false));
        if (parts.length === 1) return `(${parts[0]},)`;
        return `(${parts.join(`,${sp()}`)})`;
      }
      case 'dict': {
        const parts = m.entries.map(([key, v]) => `${scalarRepr(key, style)}:${sp() || ' '}${write(v, false)}`);
        const body = `{${parts.join(`,${sp()}`)}${style.trailingComma && parts.length > 0 ? ',' : ''}}`;
        return top && style.defaultdict ? `defaultdict(<class 'list'>, ${body})` : body;
      }
    }
  };
  return write(model, true);
}

/** What `parsePythonLiteral` should return for a model. */
export function expected(model: PyModel): PyValue {
  switch (model.t) {
    case 'scalar':
      return model.v;
    case 'list':
      return model.items.map(expected);
    case 'tuple':
      return model.items.map(expected);
    case 'dict': {
      const out = new Map<PyScalar, PyValue>();
      for (const [key, v] of model.entries) out.set(key.v, expected(v));
      return out;
    }
  }
}

const pyInt: fc.Arbitrary<ScalarModel> = fc
  .oneof(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.constantFrom(0, 1, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER))
  .map((v) => ({ t: 'scalar', v: v === 0 ? 0 : v }));
const pyFloat: fc.Arbitrary<ScalarModel> = fc
  .oneof(
    fc.double(),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.constantFrom(0.06, 0.94, 0.5, 1e-5, 1e-4, 1e16, 1e15, 1.5e300, 5e-324, -0, 0.1, 123456789.123, 3, NaN, Infinity, -Infinity),
  )
  .map((v) => ({ t: 'scalar', v, float: true }));
const pyString: fc.Arbitrary<ScalarModel> = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: fc.constantFrom("'", '"', '\\', 'a', ' ', '\n', '\r', 'é', '\u0000', '\u{1F600}', '\u00a0', '\ud800'), maxLength: 8 }),
    fc.constantFrom("Cote d'Ivoire", 'Don\'t know "really"', 'Britain', 'S. Korea', ''),
  )
  .map((v) => ({ t: 'scalar', v }));
const pyConst: fc.Arbitrary<ScalarModel> = fc.constantFrom<PyScalar>(null, true, false).map((v) => ({ t: 'scalar', v }));
export const pyScalar: fc.Arbitrary<ScalarModel> = fc.oneof(pyConst, pyInt, pyFloat, pyString);
const pyKey: fc.Arbitrary<ScalarModel> = fc.oneof(pyString, pyInt, fc.constant<ScalarModel>({ t: 'scalar', v: null }));

export const pyModel: fc.Arbitrary<PyModel> = fc.letrec<{ value: PyModel; list: PyModel; tuple: PyModel; dict: PyModel }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    pyScalar,
    tie('list'),
    tie('tuple'),
    tie('dict'),
  ),
  list: fc.array(tie('value'), { maxLength: 5 }).map((items): PyModel => ({ t: 'list', items })),
  tuple: fc.array(tie('value'), { maxLength: 4 }).map((items): PyModel => ({ t: 'tuple', items })),
  dict: fc.array(fc.tuple(pyKey, tie('value')), { maxLength: 5 }).map((entries): PyModel => ({ t: 'dict', entries })),
})).value;

export const reprStyle: fc.Arbitrary<ReprStyle> = fc.record({
  quotes: fc.constantFrom('repr', 'single', 'double'),
  asciiOnly: fc.boolean(),
  spaces: fc.array(fc.constantFrom('', ' ', '  ', '\n', '\t', ' \n  ', '\r\n', '\f'), { maxLength: 4 }),
  trailingComma: fc.boolean(),
  defaultdict: fc.boolean(),
});
