/**
 * Arrow IPC files, as Hugging Face `datasets` writes them with `save_to_disk`
 * (`data-00000-of-00001.arrow`: an Arrow IPC **stream**, not the random-access file format).
 * apache-arrow's `tableFromIPC` reads both the stream and the file format. Rows become plain
 * objects keyed by column name, like every other format in `table.ts`, so suites read columns
 * BY NAME; nulls stay null (a Float64 column's `toArray()` would turn them into 0, so cells are
 * read one by one with `get`).
 */
import { DataType, tableFromIPC, type Data } from 'apache-arrow';
import { ByteBuffer } from 'flatbuffers';
import { DatasetError, readerFailure, readTable, type Row, type Table } from './table.ts';

/** The IPC stream's continuation marker (0xFFFFFFFF) or the IPC file's magic "ARROW1". */
export function looksLikeArrow(bytes: Uint8Array): boolean {
  const continuation = bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff;
  const magic = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31].every((b, i) => bytes[i] === b);
  return continuation || magic;
}

/** Reads an Arrow IPC stream or file into rows; BigInt cells become numbers. */
export function readArrowTable(name: string, bytes: Uint8Array): Table {
  let table;
  try {
    table = withCheckedVectorLengths(() => tableFromIPC(bytes));
  } catch (error) {
    throw new DatasetError(`${name} is not a readable Arrow IPC file: ${readerFailure(error)}`);
  }
  const columns = table.schema.fields.map((f) => f.name);
  const vectors = columns.map((c) => table.getChild(c));
  vectors.forEach((vector, j) => vector?.data.forEach((data) => checkCapacity(data, name, columns[j]!)));
  if (vectors.every((v) => !v || DataType.isNull(v.type)) && table.numRows > bytes.byteLength * 8) {
    throw new DatasetError(`${name} claims ${table.numRows} rows in ${bytes.byteLength} bytes: the file is damaged`);
  }
  const rows: Row[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    columns.forEach((column, j) => {
      const value: unknown = vectors[j]?.get(i) ?? null;
      row[column] = typeof value === 'bigint' ? Number(value) : value;
    });
    rows.push(row);
  }
  return { columns, rows };
}

/**
 * Runs `read` (synchronous) with every FlatBuffers vector length checked against its buffer.
 * apache-arrow loops over the vectors of the IPC metadata (fields, custom metadata, nodes,
 * buffers) for as many entries as a length says, and FlatBuffers reads past the end as zeros:
 * a damaged length (up to 2^31) makes `tableFromIPC` run for minutes. A vector of n entries
 * needs at least n bytes after its start, so a longer one is refused. The check is installed
 * only for the duration of the call and removed after it, whatever happens.
 */
function withCheckedVectorLengths<T>(read: () => T): T {
  const proto = ByteBuffer.prototype;
  const vectorLength = proto.__vector_len;
  proto.__vector_len = function (this: ByteBuffer, offset: number): number {
    const n = vectorLength.call(this, offset);
    const start = offset + this.readInt32(offset) + 4;
    if (n < 0 || n > this.capacity() - start) throw new Error(`the file's metadata lists ${n} entries in ${Math.max(0, this.capacity() - start)} bytes`);
    return n;
  };
  try {
    return read();
  } finally {
    proto.__vector_len = vectorLength;
  }
}

/**
 * The rows a column's buffers can hold: a record batch's length comes from its header, and a
 * damaged header can claim trillions of rows over a few bytes of data (apache-arrow believes it,
 * and building that many rows exhausts memory). Null columns have no buffers (Infinity).
 */
function capacity(data: Data): number {
  if (DataType.isUnion(data.type)) return data.typeIds?.length ?? 0;
  if (data.valueOffsets) return data.valueOffsets.length - 1;
  if (DataType.isBool(data.type)) return (data.values?.length ?? 0) * 8;
  if (data.values && !DataType.isNull(data.type)) return Math.floor(data.values.length / (data.stride || 1));
  if (DataType.isFixedSizeList(data.type)) return Math.floor((data.children[0]?.length ?? 0) / data.type.listSize);
  if (data.children.length > 0) return Math.min(...data.children.map((c) => c.length));
  return Infinity;
}

/** Throws a DatasetError when a column (or a child of it) claims more rows than its buffers hold. */
function checkCapacity(data: Data, name: string, column: string): void {
  const held = capacity(data);
  if (data.offset + data.length > held) {
    throw new DatasetError(`${name}: column "${column}" claims ${data.length} rows but its data holds ${held}: the file is damaged`);
  }
  data.children.forEach((child) => checkCapacity(child, name, column));
  data.dictionary?.data.forEach((d) => checkCapacity(d, name, column));
}

/** `readTable`, plus Arrow IPC (by the `.arrow` / `.arrows` / `.feather` extension or the bytes). */
export async function readTableOrArrow(name: string, bytes: Uint8Array): Promise<Table> {
  const lower = name.toLowerCase();
  if (lower.endsWith('.arrow') || lower.endsWith('.arrows') || lower.endsWith('.feather') || looksLikeArrow(bytes)) {
    return readArrowTable(name, bytes);
  }
  return readTable(name, bytes);
}
