/**
 * Shared pieces of the fuzz harness (tests/fuzz): fixed-seed run parameters, the check every
 * importer must pass on every input (it returns, or throws only its own error class with a
 * specific message, within a time bound), and mutators that damage VALID inputs the way real
 * broken files are damaged: bytes flipped or cut, JSON fields deleted, renamed or retyped,
 * CSV cells with quotes, line breaks, BOMs and NULs, prototype-pollution keys.
 */
import fc from 'fast-check';
import Papa from 'papaparse';

/** One seed for every property, so a failure in CI reproduces locally. */
export const SEED = 42;
/** Generated inputs per importer (at least). */
export const RUNS = 500;
/**
 * Longest any single input may take. This catches hangs and runaway (quadratic, exponential)
 * parsing, not slowness: the slowest importers take tens of ms per input when idle, but wall time
 * on a loaded 2-core CI machine (parallel test files, GC pauses) has been seen at 2 s for one
 * input that takes 0.2 s idle, so the bound leaves a wide margin.
 */
export const TIME_LIMIT_MS = 15_000;

export function fuzzParams(numRuns = RUNS): { seed: number; numRuns: number; endOnFailure: boolean } {
  return { seed: SEED, numRuns, endOnFailure: true };
}

/** An error class an importer documents (DatasetError, RunRecordError, ...). */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** A message that says what is wrong: not empty or generic, no leaked `undefined` or `[object Object]`. */
export function isSpecificMessage(message: string): boolean {
  return message.trim().length > 10 && !/\bundefined\b|\[object Object\]/.test(message);
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

function judge<T>(allowed: readonly ErrorClass[], started: number, result: Outcome<T> | { ok: false; error: unknown }): Outcome<T> {
  const ms = performance.now() - started;
  if (ms > TIME_LIMIT_MS) throw new Error(`took ${Math.round(ms)} ms (limit ${TIME_LIMIT_MS} ms)`);
  if (result.ok) return result;
  const error = result.error;
  if (!allowed.some((cls) => error instanceof cls)) {
    const what = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    throw new Error(`threw something other than ${allowed.map((c) => c.name).join(' / ')}: ${what}`);
  }
  const message = (error as Error).message;
  if (!isSpecificMessage(message)) throw new Error(`unspecific message: ${JSON.stringify(message)}`);
  return { ok: false, error: error as Error };
}

/** Runs a synchronous importer on one input and checks how it ended (see the module comment). */
export function outcomeOf<T>(allowed: readonly ErrorClass[], run: () => T): Outcome<T> {
  const started = performance.now();
  let result: Outcome<T> | { ok: false; error: unknown };
  try {
    result = { ok: true, value: run() };
  } catch (error) {
    result = { ok: false, error };
  }
  return judge(allowed, started, result);
}

/** `outcomeOf` for an asynchronous importer. */
export async function asyncOutcomeOf<T>(allowed: readonly ErrorClass[], run: () => Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  let result: Outcome<T> | { ok: false; error: unknown };
  try {
    result = { ok: true, value: await run() };
  } catch (error) {
    result = { ok: false, error };
  }
  return judge(allowed, started, result);
}

/**
 * Counts accepted and refused inputs, so a test can check that its generator reaches both the
 * importer's result and its errors (a generator that only makes unreadable files proves little).
 */
export class Tally {
  accepted = 0;
  refused = 0;
  add(outcome: Outcome<unknown>): void {
    if (outcome.ok) this.accepted++;
    else this.refused++;
  }
  /** Both at least `share` of the inputs counted since the last call; then counting starts again. */
  expectBoth(share = 0.05): void {
    const { accepted, refused } = this;
    this.accepted = 0;
    this.refused = 0;
    const total = accepted + refused;
    if (total > 0 && Math.min(accepted, refused) < share * total) {
      throw new Error(`the generator reached one side only: ${accepted} accepted, ${refused} refused`);
    }
  }
}

/** Throws when anything reached Object.prototype or Array.prototype (`__proto__` / `constructor` keys). */
export function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined || 'polluted' in Object.prototype) {
    throw new Error('prototype pollution: ({}).polluted is defined');
  }
}

/**
 * A damaged input and the edits that made it. fast-check reports a failing input by the edits
 * (short) instead of the whole file; the seed and path reproduce it exactly.
 */
export class Damaged<T> {
  constructor(
    readonly value: T,
    readonly edits: readonly unknown[],
  ) {}
  [fc.toStringMethod](): string {
    return `Damaged(${JSON.stringify(this.edits, (_, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}… (${v.length} chars)` : v))})`;
  }
}

// ----- bytes

type ByteOp =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'bit'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'head' | 'tail'; at: number; value: number };

const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('bit' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  // Headers and footers (Arrow's schema comes first, Parquet's metadata last) get their own ops.
  fc.record({ kind: fc.constantFrom('head' as const, 'tail' as const), at: fc.nat({ max: 4095 }), value: fc.integer({ min: 0, max: 255 }) }),
);

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function applyByteOp(bytes: Uint8Array, op: ByteOp): Uint8Array {
  const n = bytes.length;
  if (n === 0) return op.kind === 'insert' ? op.bytes.slice() : bytes;
  const at = op.at % n;
  switch (op.kind) {
    case 'set': {
      const out = bytes.slice();
      out[at] = op.value;
      return out;
    }
    case 'bit': {
      const out = bytes.slice();
      out[at] = out[at]! ^ (1 << op.bit);
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'delete':
      return concatBytes(bytes.subarray(0, at), bytes.subarray(at + op.length));
    case 'insert':
      return concatBytes(bytes.subarray(0, at), op.bytes, bytes.subarray(at));
    case 'head':
    case 'tail': {
      const out = bytes.slice();
      const i = Math.min(n - 1, op.at % Math.min(n, 4096));
      out[op.kind === 'head' ? i : n - 1 - i] = op.value;
      return out;
    }
  }
}

/** A damaged copy of `valid`: 1-4 byte edits (set, bit flip, truncate, delete, insert, header/footer hits). */
export function mutatedBytes(valid: Uint8Array): fc.Arbitrary<Damaged<Uint8Array>> {
  return fc.array(byteOp, { minLength: 1, maxLength: 4 }).map((ops) => new Damaged(ops.reduce(applyByteOp, valid), ops));
}

// ----- JSON values

/** `{"__proto__": {"polluted": true}}` with __proto__ as an OWN key (as JSON.parse makes it). */
export const PROTO_KEY_OBJECT = (): unknown => JSON.parse('{"__proto__": {"polluted": true}}');
export const CONSTRUCTOR_KEY_OBJECT = (): unknown => JSON.parse('{"constructor": {"prototype": {"polluted": true}}}');

/** Nested arrays `depth` deep. */
export function deepNesting(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/**
 * Stands for arrays nested 20,000 deep in JSON text (`toJsonText`): JSON.parse reads any depth,
 * but JSON.stringify and structuredClone overflow the stack at about 10,000 levels, so such a
 * value can only exist in text.
 */
export const DEEP_TOKEN = '\u0001deep\u0001';
const DEEP_TEXT = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;

/** JSON text of a value, with every DEEP_TOKEN string replaced by 20,000 nested arrays. */
export function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replaceAll(JSON.stringify(DEEP_TOKEN), DEEP_TEXT);
}

/** Values that break importers: wrong types, edge numbers, odd strings, nesting, pollution keys. */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, -0, 0.5, 1.5, 2, 3, 1e308, -1e308, 2 ** 53 + 2, Number.MIN_VALUE, NaN, Infinity, -Infinity),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '-1', '1e309', '0x10', 'null', 'true', '\u0000', '\uFEFF', '\n', '"', "'", '__proto__', 'constructor', 'toString', 'A', 'x'.repeat(20_000), DEEP_TOKEN),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom<() => unknown>(
    () => ({}),
    () => [],
    () => [1, 2],
    () => ['a', 'b', 'c'],
    () => ({ toString: 1, valueOf: 1 }),
    () => JSON.parse('{"toString": null, "valueOf": null}'),
    () => deepNesting(3000),
    () => Array.from({ length: 5000 }, () => 0.5),
    PROTO_KEY_OBJECT,
    CONSTRUCTOR_KEY_OBJECT,
  ).map((make) => make()),
);

type JsonOp = { path: number[]; kind: 'delete' | 'replace' | 'rename' | 'add' | 'duplicate' | 'truncate-array' | 'wrap'; value: unknown; key: string };

const jsonOp: fc.Arbitrary<JsonOp> = fc.record({
  path: fc.array(fc.nat(), { maxLength: 7 }),
  kind: fc.constantFrom('delete', 'replace', 'replace', 'replace', 'rename', 'add', 'duplicate', 'truncate-array', 'wrap'),
  value: weirdValue,
  key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'id', 'extra', 'items', 'format'), fc.string({ maxLength: 6 })),
});

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null;

/** Sets an own property, also for "__proto__" (plain assignment would change the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies one edit to `copy` in place (or returns a replacement root). */
function applyJsonOp(copy: unknown, op: JsonOp): unknown {
  // Walk down: each path entry picks a child; stop at a leaf's parent.
  let parent: unknown = null;
  let key: string | number | null = null;
  let node: unknown = copy;
  for (const step of op.path) {
    if (!isContainer(node)) break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[step % keys.length]!;
    parent = node;
    key = k;
    node = Array.isArray(node) ? node[k as number] : (node as Record<string, unknown>)[k as string];
  }
  const value = op.value;
  const replaceNode = (next: unknown): unknown => {
    if (parent === null || key === null) return next;
    if (Array.isArray(parent)) parent[key as number] = next;
    else setOwn(parent as Record<string, unknown>, String(key), next);
    return copy;
  };
  switch (op.kind) {
    case 'replace':
      return replaceNode(value);
    case 'wrap':
      return replaceNode([node]);
    case 'delete':
      if (parent === null || key === null) return undefined;
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[String(key)];
      return copy;
    case 'rename':
      if (parent === null || key === null || Array.isArray(parent)) return replaceNode(value);
      delete (parent as Record<string, unknown>)[String(key)];
      setOwn(parent as Record<string, unknown>, op.key, node);
      return copy;
    case 'add':
      if (Array.isArray(node)) node.push(value);
      else if (isContainer(node)) setOwn(node as Record<string, unknown>, op.key, value);
      else return replaceNode(value);
      return copy;
    case 'duplicate':
      if (Array.isArray(node) && node.length > 0) node.push(node[0]);
      else if (Array.isArray(parent)) parent.push(node);
      else return replaceNode(value);
      return copy;
    case 'truncate-array':
      if (Array.isArray(node)) node.length = Math.floor(node.length / 2);
      else return replaceNode(value);
      return copy;
  }
}

/**
 * A damaged copy of the JSON value `valid`: 1-3 edits at random paths. (The copy is made once,
 * from the valid value: inserted values may be nested too deep for structuredClone.)
 */
export function mutatedJson(valid: unknown): fc.Arbitrary<Damaged<unknown>> {
  return fc.array(jsonOp, { minLength: 1, maxLength: 3 }).map((ops) => new Damaged(ops.reduce(applyJsonOp, structuredClone(valid)), ops));
}

/** JSON text edits on top of value edits: cut short, BOM, junk after, NaN literal, duplicate keys. */
const TEXT_EDITS: Record<string, (t: string, n: number) => string> = {
  none: (t) => t,
  cut: (t, n) => t.slice(0, n % Math.max(1, t.length)),
  bom: (t) => `\uFEFF${t}`,
  junk: (t) => `${t} junk`,
  nan: (t) => t.replace(/\b0\.\d+/, 'NaN'),
  'duplicate-key': (t) => t.replace(/^\{/, '{"id": "dup", "id": "dup2", '),
  'double-comma': (t) => t.replace(/,/, ',,'),
};
const textEdit = fc.tuple(fc.constantFrom(...Object.keys(TEXT_EDITS), 'none', 'none'), fc.nat());

/** JSON text of a damaged copy of `valid` (value edits, then maybe a text edit). */
export function mutatedJsonText(valid: unknown): fc.Arbitrary<Damaged<string>> {
  return fc.tuple(mutatedJson(valid), textEdit).map(([damaged, [edit, n]]) => {
    const text = TEXT_EDITS[edit]!(toJsonText(damaged.value), n);
    return new Damaged(text, [...damaged.edits, { text: edit, n }]);
  });
}

// ----- tables (CSV, JSON Lines, JSON)

export interface StringTable {
  columns: string[];
  rows: string[][];
}

/** Cell texts that break CSV readers and the adapters behind them. */
export const weirdCell: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '"', '""', 'a"b', '"unclosed', '\n', '\r\n', 'x\ny', '\u0000', '\uFEFF', ',', ';', '\t', 'NaN', '-1', '3', '1.5', '1e309', '9'.repeat(30)),
  fc.constantFrom('__proto__', 'constructor', 'A. yes\nB. no', "['a', 'b']", "{'X': [0.5, 0.5]}", "defaultdict(<class 'list'>, {'X': [1.0]})", '[', '{'),
  fc.string({ maxLength: 10 }),
  fc.constant('x'.repeat(20_000)),
);

type TableOp =
  | { kind: 'cell'; row: number; col: number; value: string }
  | { kind: 'drop-column' | 'duplicate-row' | 'drop-row' | 'short-row' | 'long-row'; index: number }
  | { kind: 'rename-column'; index: number; name: string };

const tableOp: fc.Arbitrary<TableOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('cell' as const), row: fc.nat(), col: fc.nat(), value: weirdCell }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('drop-column' as const, 'duplicate-row' as const, 'drop-row' as const, 'short-row' as const, 'long-row' as const), index: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rename-column' as const),
      index: fc.nat(),
      name: fc.oneof(fc.constantFrom('', ' ', '__proto__', 'constructor', '\uFEFFQuestion', 'Question', 'question', 'a"b', 'x\ny'), fc.string({ maxLength: 8 })),
    }),
  },
);

function applyTableOp(table: StringTable, op: TableOp): StringTable {
  const columns = [...table.columns];
  const rows = table.rows.map((r) => [...r]);
  const nRows = rows.length;
  const nCols = columns.length;
  switch (op.kind) {
    case 'cell':
      if (nRows > 0 && nCols > 0) rows[op.row % nRows]![op.col % nCols] = op.value;
      break;
    case 'drop-column':
      if (nCols > 0) {
        const c = op.index % nCols;
        columns.splice(c, 1);
        for (const r of rows) r.splice(c, 1);
      }
      break;
    case 'rename-column':
      if (nCols > 0) columns[op.index % nCols] = op.name;
      break;
    case 'duplicate-row':
      if (nRows > 0) rows.push([...rows[op.index % nRows]!]);
      break;
    case 'drop-row':
      if (nRows > 0) rows.splice(op.index % nRows, 1);
      break;
    case 'short-row':
      if (nRows > 0) rows[op.index % nRows]!.length = Math.floor(nCols / 2);
      break;
    case 'long-row':
      if (nRows > 0) rows[op.index % nRows]!.push('extra', 'cells');
      break;
  }
  return { columns, rows };
}

/** A damaged copy of a table: 1-6 edits (cells, columns dropped or renamed, rows dropped, cut or lengthened). */
export function mutatedTable(valid: StringTable): fc.Arbitrary<Damaged<StringTable>> {
  return fc.array(tableOp, { minLength: 1, maxLength: 6 }).map((ops) => new Damaged(ops.reduce(applyTableOp, valid), ops));
}

export type TextFormat = 'csv' | 'jsonl' | 'json';

/** The table as file text: CSV quoted as a careful writer does it, or JSON Lines / a JSON array of row objects. */
export function tableText(table: StringTable, format: TextFormat): string {
  if (format === 'csv') return Papa.unparse({ fields: table.columns, data: table.rows }, { newline: '\n' });
  const objects = table.rows.map((row) => {
    const o: Record<string, unknown> = {};
    table.columns.forEach((c, i) => setOwn(o, c, row[i] ?? null));
    return o;
  });
  return format === 'json' ? JSON.stringify(objects) : objects.map((o) => JSON.stringify(o)).join('\n');
}

/** A table's rows as strings (cells of other types JSON-encoded), for the mutators. */
export function stringTable(columns: string[], rows: ReadonlyArray<Record<string, unknown>>): StringTable {
  return {
    columns: [...columns],
    rows: rows.map((row) => columns.map((c) => {
      const v = row[c];
      return v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'bigint' ? String(v) : JSON.stringify(v);
    })),
  };
}

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
