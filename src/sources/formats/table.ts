/**
 * Tabular files in the formats datasets ship in: Parquet (hyparquet, with the common
 * compressions), CSV (papaparse), JSON Lines and JSON arrays. Everything becomes rows of plain
 * objects keyed by column name; suites then read columns BY NAME and say which are missing.
 */
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import Papa from 'papaparse';
import { checkParquetStructure } from './parquet-check.ts';

export type Row = Record<string, unknown>;

export interface Table {
  columns: string[];
  rows: Row[];
}

export type TableFormat = 'parquet' | 'csv' | 'jsonl' | 'json';

export class DatasetError extends Error {
  override name = 'DatasetError';
}

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** The formats a table file may have, as messages name them. */
export const TABLE_FORMATS_TEXT = 'CSV, JSON, JSONL, Parquet or Arrow';

/**
 * The largest text table decoded whole: V8's longest string is 0x1fffffe8 UTF-16 units, and a
 * UTF-8 byte is at most one unit, so a file this size or smaller always fits.
 */
export const MAX_TEXT_TABLE_BYTES = 0x1fffffe8;

/** Leading bytes of files that are often given by mistake, and what they are. */
const BINARY_SIGNATURES: ReadonlyArray<{ magic: readonly number[]; what: string }> = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive' },
  { magic: [0x1f, 0x8b], what: 'a gzip file (unpack it first)' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
];

/** What a file that should be text is instead (zip, gzip, image, NUL bytes), or null when it looks like text. */
export function binaryContent(bytes: Uint8Array): string | null {
  for (const { magic, what } of BINARY_SIGNATURES) if (magic.every((b, i) => bytes[i] === b)) return what;
  if (bytes.subarray(0, 64 * 1024).includes(0)) return 'binary data (it holds NUL bytes; if it is UTF-16 text, save it as UTF-8)';
  return null;
}

/**
 * A text table's bytes as one string, after the checks that make decoding fail obscurely: too
 * large for one string, or not text at all.
 */
function decodeTextTable(name: string, bytes: Uint8Array, format: string): string {
  if (bytes.byteLength > MAX_TEXT_TABLE_BYTES) {
    throw new DatasetError(
      `${name} is ${(bytes.byteLength / 2 ** 20).toFixed(0)} MB: a ${format} file over ${Math.round(MAX_TEXT_TABLE_BYTES / 2 ** 20)} MB cannot be read whole; convert it to Parquet, or keep only the rows and columns needed`,
    );
  }
  const binary = binaryContent(bytes);
  if (binary) throw new DatasetError(`${name} is not a table file (${TABLE_FORMATS_TEXT}): it is ${binary}`);
  return new TextDecoder('utf-8').decode(bytes);
}

/** Format from the name's extension, then from the bytes. */
export function detectFormat(name: string, bytes: Uint8Array): TableFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  if (PARQUET_MAGIC.every((b, i) => bytes[i] === b)) return 'parquet';
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart();
  if (head.startsWith('[')) return 'json';
  if (head.startsWith('{')) return 'jsonl';
  return 'csv';
}

export async function readTable(name: string, bytes: Uint8Array, format: TableFormat = detectFormat(name, bytes)): Promise<Table> {
  switch (format) {
    case 'parquet':
      return readParquet(name, bytes);
    case 'csv':
      return readCsv(name, bytes);
    case 'jsonl':
      return readJsonLines(name, bytes);
    case 'json':
      return readJsonArray(name, bytes);
  }
}

async function readParquet(name: string, bytes: Uint8Array): Promise<Table> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  // Every failure of a damaged file (hyparquet throws Error, RangeError or TypeError from deep
  // inside its decoders) becomes one DatasetError that names the file; what hyparquet cannot
  // survive (endless loops, runaway allocation) is refused first by checkParquetStructure.
  try {
    const metadata = parquetMetadata(buffer);
    const columns = parquetSchema(metadata).children.map((c) => c.element.name);
    checkParquetStructure(buffer, metadata, compressors);
    const rows = (await parquetReadObjects({ file: buffer, metadata, compressors, rowFormat: 'object' })) as Row[];
    return { columns, rows: rows.map(normaliseBigInts) };
  } catch (error) {
    throw new DatasetError(`${name} is not a readable Parquet file: ${readerFailure(error)}`);
  }
}

/**
 * What a file reader's failure says about the file: the library's own message when it wrote one
 * (a plain Error: "parquet file invalid (footer != PAR1)"), otherwise a plain statement, since a
 * TypeError or RangeError from deep inside a decoder ("Cannot read properties of undefined"), or
 * a message about a field the damage left undefined ("unsupported encoding: undefined"), says
 * nothing to the user.
 */
export function readerFailure(error: unknown): string {
  if (error instanceof Error && error.constructor === Error && error.message && !/\bundefined\b/.test(error.message)) return error.message;
  return 'it is truncated or damaged';
}

/** Parquet INT64 columns come back as BigInt: answer codes and counts are small, so use numbers. */
function normaliseBigInts(row: Row): Row {
  for (const [k, v] of Object.entries(row)) if (typeof v === 'bigint') row[k] = Number(v);
  return row;
}

function readCsv(name: string, bytes: Uint8Array): Table {
  const text = decodeTextTable(name, bytes, 'CSV').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Row>(text, { header: true, skipEmptyLines: 'greedy', dynamicTyping: false });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  if (fatal) throw new DatasetError(`${name}: CSV error on row ${(fatal.row ?? 0) + 2}: ${fatal.message}`);
  const columns = parsed.meta.fields ?? [];
  if (columns.length === 0) throw new DatasetError(`${name}: the CSV has no header row`);
  return { columns, rows: parsed.data };
}

function readJsonLines(name: string, bytes: Uint8Array): Table {
  const text = decodeTextTable(name, bytes, 'JSON Lines');
  const rows: Row[] = [];
  const columns = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`${name}: line ${i + 1} is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DatasetError(`${name}: line ${i + 1} is not a JSON object`);
    for (const k of Object.keys(value)) columns.add(k);
    rows.push(jsonRow(value as Row, `${name}: line ${i + 1}`));
  });
  return { columns: [...columns], rows };
}

function readJsonArray(name: string, bytes: Uint8Array): Table {
  const text = decodeTextTable(name, bytes, 'JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(value)) throw new DatasetError(`${name}: expected a JSON array of rows`);
  const columns = new Set<string>();
  const rows = value.map((row: unknown, i) => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new DatasetError(`${name}: row ${i + 1} is not an object`);
    for (const k of Object.keys(row)) columns.add(k);
    return jsonRow(row as Row, `${name}: row ${i + 1}`);
  });
  return { columns: [...columns], rows };
}

/**
 * A JSON row with its object and array cells as their JSON text, the way a CSV holds them:
 * suites read cells as text or numbers, and a JSON object cell may not even become a string
 * (`{"toString": 1}` makes `String(cell)` throw a TypeError). JSON.parse accepts any depth but
 * JSON.stringify overflows the stack at about 10,000 levels: such a cell is refused.
 */
function jsonRow(row: Row, where: string): Row {
  for (const [k, v] of Object.entries(row)) {
    if (typeof v !== 'object' || v === null) continue;
    try {
      row[k] = JSON.stringify(v);
    } catch {
      throw new DatasetError(`${where}, column ${JSON.stringify(k)}: the value is nested too deeply`);
    }
  }
  return row;
}

/** Throws a DatasetError naming every required column the table lacks. */
export function requireColumns(table: Table, required: readonly string[], name: string): void {
  const have = new Set(table.columns);
  const missing = required.filter((c) => !have.has(c));
  if (missing.length > 0) {
    throw new DatasetError(
      `${name} is missing ${missing.length === 1 ? 'column' : 'columns'} ${missing.map((c) => `"${c}"`).join(', ')} (it has: ${table.columns.slice(0, 30).join(', ')}${table.columns.length > 30 ? ', …' : ''})`,
    );
  }
}
