/**
 * A safe parser for Python literal reprs, as found in GlobalOpinionQA's CSV:
 *
 *   selections: defaultdict(<class 'list'>, {'Belgium': [0.06, 0.94], "Cote d'Ivoire": [0.5, 0.5]})
 *   options:    ['Yes', 'No']   or   ["Don't know", 'No']
 *
 * It reads text and builds values; nothing is ever evaluated (no eval, no Function). The grammar is
 * the subset of Python's literal syntax that `repr()` produces for these types, plus what a human
 * would reasonably type:
 *
 * - `None`, `True`, `False`;
 * - decimal integers (`0`, `-12`, `+3`; leading zeros are rejected, as Python does). Integers
 *   outside JavaScript's safe range are an error rather than a silent loss of precision;
 * - floats: `1.5`, `.5`, `5.`, `1e-05`, `-2.5E+3`, and the bare names `nan`, `inf` (with an optional
 *   sign). Python's `repr(float('nan'))` is `nan`, so a repr'd list of shares can contain it even
 *   though `ast.literal_eval` would refuse it; it parses to `NaN` / `±Infinity` and the caller
 *   decides (the GlobalOpinionQA adapter treats a non-finite share as unusable);
 * - strings in single or double quotes with Python's escapes: `\\ \' \" \n \r \t \a \b \f \v`,
 *   octal `\0`..`\777`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`, and backslash-newline (a line
 *   continuation, which adds nothing). An unknown escape such as `\d` keeps its backslash, as
 *   Python does. `\N{...}`, string prefixes (`r''`, `b''`, `u''`), triple quotes and adjacent-string
 *   concatenation are not supported. A raw line break inside a string is an error;
 * - lists `[...]`, tuples `(...)` (`(1,)` is a one-tuple, `(1)` is just `1`), dicts `{k: v}`, each
 *   with an optional trailing comma and any whitespace (space, tab, CR, LF, FF, VT) between tokens;
 * - `defaultdict(<class 'list'>, {...})` (any class name, or `None` as the factory), which parses
 *   to its inner dict.
 *
 * Not supported (each is an error): sets, a bare top-level tuple (`1, 2`), digit separators
 * (`1_000`), hex/octal/binary integers, complex numbers, a space between a sign and its number.
 * Checked against Python's `ast.literal_eval` on generated literals and random text: apart from
 * these and `nan`/`inf`, the two accept the same inputs and give the same values.
 *
 * Values: lists and tuples become arrays (tuples frozen); dicts become `Map`s, which keep Python's
 * insertion order, accept non-string keys and cannot be prototype-polluted. Dict keys must be
 * `str`, `int`, `float`, `bool` or `None`; a later duplicate key replaces the earlier value in the
 * earlier position, as in Python (note that `True` and `1` stay distinct keys here).
 *
 * Hostile input: nesting is capped (`maxDepth`, default 64) so the recursive descent cannot blow
 * the stack, input length is capped (`maxLength`, default 16 MiB of UTF-16 code units), and every
 * loop consumes input, so the parser runs in time linear in the input's length. Every failure is a
 * `PythonLiteralError` carrying the character offset (UTF-16 index) where it was found.
 */

export type PyScalar = string | number | boolean | null;
export type PyDict = Map<PyScalar, PyValue>;
export type PyValue = PyScalar | PyValue[] | readonly PyValue[] | PyDict;

export interface PythonLiteralOptions {
  /** Deepest nesting of lists, tuples, dicts and defaultdicts allowed (default 64). */
  maxDepth?: number;
  /** Longest input accepted, in UTF-16 code units (default 16 MiB). */
  maxLength?: number;
}

export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_LENGTH = 16 * 1024 * 1024;

/** A parse failure: `offset` is the UTF-16 index in the input where the problem was found. */
export class PythonLiteralError extends Error {
  override readonly name = 'PythonLiteralError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parses one Python literal; the whole input (less surrounding whitespace) must be that literal. */
export function parsePythonLiteral(text: string, options: PythonLiteralOptions = {}): PyValue {
  if (typeof text !== 'string') throw new PythonLiteralError('input is not a string', 0);
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    throw new PythonLiteralError(`input is ${text.length} characters long, more than the limit of ${maxLength}`, maxLength);
  }
  const parser = new Parser(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  parser.skipSpace();
  const value = parser.parseValue(0);
  parser.skipSpace();
  if (parser.pos < text.length) {
    throw new PythonLiteralError(`unexpected ${describe(text, parser.pos)} at ${parser.pos}; expected end of input`, parser.pos);
  }
  return value;
}

/** Parses a Python list (or tuple) of strings, e.g. GlobalOpinionQA's `options` column. */
export function parsePythonStringList(text: string, options?: PythonLiteralOptions): string[] {
  const value = parsePythonLiteral(text, options);
  if (!Array.isArray(value)) throw new PythonLiteralError(`expected a list of strings, got ${typeName(value)}`, 0);
  return value.map((item, i) => {
    if (typeof item !== 'string') throw new PythonLiteralError(`expected a list of strings, item ${i} is ${typeName(item)}`, 0);
    return item;
  });
}

/**
 * Parses a dict (or `defaultdict`) from string keys to lists of numbers, e.g. GlobalOpinionQA's
 * `selections` column. Integers count as numbers; `nan` and `inf` come through as such.
 */
export function parsePythonNumberListDict(text: string, options?: PythonLiteralOptions): Map<string, number[]> {
  const value = parsePythonLiteral(text, options);
  if (!(value instanceof Map)) throw new PythonLiteralError(`expected a dict, got ${typeName(value)}`, 0);
  const out = new Map<string, number[]>();
  for (const [key, item] of value) {
    if (typeof key !== 'string') throw new PythonLiteralError(`expected string keys, got ${typeName(key)}`, 0);
    if (!Array.isArray(item) || !item.every((x): x is number => typeof x === 'number')) {
      throw new PythonLiteralError(`expected a list of numbers for key ${JSON.stringify(key)}, got ${typeName(item)}`, 0);
    }
    out.set(key, [...item]);
  }
  return out;
}

function typeName(value: PyValue): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return Object.isFrozen(value) ? 'a tuple' : 'a list';
  if (value instanceof Map) return 'a dict';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a bool';
  return 'a number';
}

/** How an error message names the character at `pos`. */
function describe(text: string, pos: number): string {
  if (pos >= text.length) return 'end of input';
  const cp = text.codePointAt(pos) ?? 0;
  const ch = String.fromCodePoint(cp);
  return cp >= 0x20 && cp < 0x7f ? `'${ch}'` : `character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** Space, tab, LF, VT, FF, CR. */
function isSpaceCode(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
};

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {}

  fail(message: string, at = this.pos): never {
    throw new PythonLiteralError(message, at);
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length && isSpaceCode(text.charCodeAt(this.pos))) this.pos++;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  expectChar(ch: string, context: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}' ${context}, found ${describe(this.text, this.pos)} at ${this.pos}`);
    this.pos++;
  }

  enter(depth: number): number {
    if (depth >= this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} at ${this.pos}`);
    return depth + 1;
  }

  parseValue(depth: number): PyValue {
    const ch = this.peek();
    if (ch === undefined) this.fail(`unexpected end of input at ${this.pos}; expected a value`);
    if (ch === '[') return this.parseList(this.enter(depth));
    if (ch === '(') return this.parseParen(this.enter(depth));
    if (ch === '{') return this.parseDict(this.enter(depth));
    if (ch === "'" || ch === '"') return this.parseString();
    if (ch === '-' || ch === '+' || ch === '.' || isDigitCode(ch.charCodeAt(0))) return this.parseNumber();
    if (IDENT_START.test(ch)) return this.parseName(depth);
    return this.fail(`unexpected ${describe(this.text, this.pos)} at ${this.pos}; expected a value`);
  }

  /** Items separated by commas up to `close`, a trailing comma allowed. `pos` is just past the opener. */
  parseSequence(close: string, depth: number): PyValue[] {
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === close) {
        this.pos++;
        return items;
      }
      items.push(this.parseValue(depth));
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.pos++;
      } else if (next === close) {
        this.pos++;
        return items;
      } else {
        this.fail(`expected ',' or '${close}' at ${this.pos}, found ${describe(this.text, this.pos)}`);
      }
    }
  }

  parseList(depth: number): PyValue[] {
    this.pos++; // '['
    return this.parseSequence(']', depth);
  }

  /** `()` and `(a,)`, `(a, b)` are tuples; `(a)` is `a`. */
  parseParen(depth: number): PyValue {
    const start = this.pos;
    this.pos++; // '('
    this.skipSpace();
    if (this.peek() === ')') {
      this.pos++;
      return Object.freeze([]);
    }
    const first = this.parseValue(depth);
    this.skipSpace();
    const next = this.peek();
    if (next === ')') {
      this.pos++;
      return first;
    }
    if (next !== ',') this.fail(`expected ',' or ')' at ${this.pos}, found ${describe(this.text, this.pos)} (in the tuple opened at ${start})`);
    this.pos++;
    return Object.freeze([first, ...this.parseSequence(')', depth)]);
  }

  parseDict(depth: number): PyDict {
    const start = this.pos;
    this.pos++; // '{'
    const dict: PyDict = new Map();
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') {
        this.pos++;
        return dict;
      }
      const keyAt = this.pos;
      const key = this.parseValue(depth);
      if (key !== null && typeof key === 'object') {
        this.fail(`unsupported dict key at ${keyAt}: ${typeName(key)} (keys must be str, int, float, bool or None)`, keyAt);
      }
      this.skipSpace();
      if (this.peek() !== ':') this.fail(`expected ':' after the dict key at ${this.pos}, found ${describe(this.text, this.pos)}`);
      this.pos++;
      this.skipSpace();
      const value = this.parseValue(depth);
      dict.set(key, value);
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.pos++;
      } else if (next === '}') {
        this.pos++;
        return dict;
      } else {
        this.fail(`expected ',' or '}' at ${this.pos}, found ${describe(this.text, this.pos)} (in the dict opened at ${start})`);
      }
    }
  }

  parseString(): string {
    const start = this.pos;
    const text = this.text;
    const quote = text.charCodeAt(this.pos);
    this.pos++;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= text.length) this.fail(`unterminated string starting at ${start}`, start);
      const c = text.charCodeAt(this.pos);
      if (c === quote) {
        out += text.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === 0x0a || c === 0x0d) this.fail(`unterminated string starting at ${start} (line break at ${this.pos})`, start);
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += text.slice(runStart, this.pos);
      out += this.parseEscape(start);
      runStart = this.pos;
    }
  }

  /** `pos` is at a backslash inside the string that opened at `start`; returns what it stands for. */
  parseEscape(start: number): string {
    const text = this.text;
    const at = this.pos;
    this.pos++; // '\'
    if (this.pos >= text.length) this.fail(`unterminated string starting at ${start}`, start);
    const ch = text[this.pos] as string;
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) {
      this.pos++;
      return simple;
    }
    if (ch === '\n') {
      this.pos++;
      return '';
    }
    if (ch === '\r') {
      this.pos++;
      if (text[this.pos] === '\n') this.pos++;
      return '';
    }
    if (ch >= '0' && ch <= '7') {
      let end = this.pos;
      while (end < text.length && end < this.pos + 3 && (text[end] as string) >= '0' && (text[end] as string) <= '7') end++;
      const code = parseInt(text.slice(this.pos, end), 8);
      this.pos = end;
      return String.fromCharCode(code);
    }
    if (ch === 'x' || ch === 'u' || ch === 'U') {
      const width = ch === 'x' ? 2 : ch === 'u' ? 4 : 8;
      const digits = text.slice(this.pos + 1, this.pos + 1 + width);
      if (digits.length !== width || !/^[0-9A-Fa-f]+$/.test(digits)) {
        this.fail(`truncated \\${ch} escape at ${at}: expected ${width} hex digits`, at);
      }
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) this.fail(`\\U escape at ${at} is beyond U+10FFFF`, at);
      this.pos += 1 + width;
      return String.fromCodePoint(code);
    }
    if (ch === 'N') this.fail(`\\N{...} escapes are not supported (at ${at})`, at);
    // Python keeps an unknown escape as written (with a DeprecationWarning).
    return '\\';
  }

  parseNumber(): number {
    const text = this.text;
    const start = this.pos;
    let p = this.pos;
    if (text[p] === '-' || text[p] === '+') p++;
    const bodyStart = p;
    // A signed name: -inf, +nan.
    if (text[p] !== undefined && IDENT_START.test(text[p] as string)) {
      let end = p;
      while (end < text.length && IDENT_PART.test(text[end] as string)) end++;
      const name = text.slice(p, end);
      if (name === 'inf' || name === 'nan') {
        this.pos = end;
        if (name === 'nan') return NaN;
        return text[start] === '-' ? -Infinity : Infinity;
      }
      this.fail(`unexpected '${name}' at ${p} after a sign; expected a number`, p);
    }
    let intDigits = 0;
    while (p < text.length && isDigitCode(text.charCodeAt(p))) {
      p++;
      intDigits++;
    }
    let isFloat = false;
    let fracDigits = 0;
    if (text[p] === '.') {
      isFloat = true;
      p++;
      while (p < text.length && isDigitCode(text.charCodeAt(p))) {
        p++;
        fracDigits++;
      }
    }
    if (intDigits === 0 && fracDigits === 0) {
      this.fail(`expected a number at ${start}, found ${describe(text, bodyStart === p ? p : bodyStart)}`, start);
    }
    if (text[p] === 'e' || text[p] === 'E') {
      isFloat = true;
      const ePos = p;
      p++;
      if (text[p] === '-' || text[p] === '+') p++;
      let expDigits = 0;
      while (p < text.length && isDigitCode(text.charCodeAt(p))) {
        p++;
        expDigits++;
      }
      if (expDigits === 0) this.fail(`malformed exponent in the number at ${start} (at ${ePos})`, ePos);
    }
    const next = text[p];
    if (next !== undefined && (IDENT_PART.test(next) || next === '.')) {
      if (next === 'j' || next === 'J') this.fail(`complex numbers are not supported (at ${start})`, start);
      this.fail(`unexpected ${describe(text, p)} at ${p} in the number starting at ${start}`, p);
    }
    const literal = text.slice(start, p);
    this.pos = p;
    if (isFloat) return Number(literal);
    const digits = text.slice(bodyStart, p);
    if (digits.length > 1 && digits[0] === '0' && /[1-9]/.test(digits)) {
      this.fail(`leading zeros in the integer at ${start} are not allowed`, start);
    }
    const value = Number(literal);
    if (!Number.isSafeInteger(value)) this.fail(`the integer at ${start} is too large to represent exactly`, start);
    return value === 0 ? 0 : value; // Python has no negative integer zero
  }

  parseName(depth: number): PyValue {
    const text = this.text;
    const start = this.pos;
    let end = start;
    while (end < text.length && IDENT_PART.test(text[end] as string)) end++;
    const name = text.slice(start, end);
    this.pos = end;
    switch (name) {
      case 'None':
        return null;
      case 'True':
        return true;
      case 'False':
        return false;
      case 'nan':
        return NaN;
      case 'inf':
        return Infinity;
      case 'defaultdict':
        return this.parseDefaultdict(start, this.enter(depth));
      default:
        return this.fail(`unknown name '${name.length > 40 ? `${name.slice(0, 40)}...` : name}' at ${start}`, start);
    }
  }

  /** After the name `defaultdict`: `(<class 'list'>, {...})` or `(None, {...})`; returns the dict. */
  parseDefaultdict(start: number, depth: number): PyDict {
    const text = this.text;
    this.skipSpace();
    this.expectChar('(', `after 'defaultdict' (at ${start})`);
    this.skipSpace();
    if (text.startsWith('None', this.pos) && !IDENT_PART.test(text[this.pos + 4] ?? '')) {
      this.pos += 4;
    } else if (text[this.pos] === '<') {
      this.pos++;
      this.skipSpace();
      if (!(text.startsWith('class', this.pos) && isSpaceCode(text.charCodeAt(this.pos + 5)))) {
        this.fail(`expected "<class '...'>" as the defaultdict factory at ${this.pos - 1}`, this.pos - 1);
      }
      this.pos += 5;
      this.skipSpace();
      const quote = text[this.pos];
      if (quote !== "'" && quote !== '"') this.fail(`expected a quoted class name at ${this.pos}`);
      const nameStart = this.pos + 1;
      let end = nameStart;
      while (end < text.length && /[A-Za-z0-9_.]/.test(text[end] as string)) end++;
      if (end === nameStart || text[end] !== quote) this.fail(`malformed class name in the defaultdict factory at ${nameStart}`, nameStart);
      this.pos = end + 1;
      this.skipSpace();
      this.expectChar('>', 'to close the defaultdict factory');
    } else {
      this.fail(`expected "<class '...'>" or None as the defaultdict factory at ${this.pos}, found ${describe(text, this.pos)}`);
    }
    this.skipSpace();
    this.expectChar(',', 'after the defaultdict factory');
    this.skipSpace();
    if (this.peek() !== '{') this.fail(`expected '{' for the defaultdict's contents at ${this.pos}, found ${describe(text, this.pos)}`);
    const dict = this.parseDict(depth);
    this.skipSpace();
    this.expectChar(')', `to close the defaultdict opened at ${start}`);
    return dict;
  }
}
