/**
 * A structural check of a Parquet file before hyparquet decodes it. hyparquet trusts what a file
 * says about itself, and a damaged file (one flipped byte is enough) can make it misbehave:
 *
 *  - a page header without its sizes or counts makes the decoder compute offset NaN, which reads
 *    byte 0 again and again: it never ends;
 *  - a run-length-encoded run longer than its page (a few bytes can claim 2^31 values) is written
 *    out in full: minutes of work, then V8 aborts the whole process ("invalid size error");
 *  - a bit-packed run with a negative length on a zero-width stream loops forever;
 *  - a column chunk whose name is not in the schema, or appears twice, is decoded but never
 *    awaited, so its failure escapes as an unhandled rejection (which also ends a Node process).
 *
 * So every column chunk is checked against the schema, every page header is walked, and every
 * RLE/bit-packed stream hyparquet would decode (repetition and definition levels, dictionary
 * indices, RLE booleans) is walked run by run, mirroring `readDataPage`/`readDataPageV2` in
 * hyparquet/src/datapage.js. Anything out of bounds throws an Error naming the column; the caller
 * turns it into a DatasetError. The cost is one extra decompression of each page.
 */
import type { Compressors, FileMetaData, PageHeader } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from 'hyparquet/src/schema.js';

/**
 * Most values one page may hold: far above what writers put in a page (tens of thousands), far
 * below what would exhaust memory when decoded.
 */
export const MAX_PAGE_VALUES = 1 << 24;

const isCount = (n: unknown, max = Number.MAX_SAFE_INTEGER): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= max;

/** Minimum bits to store `value` (hyparquet's `bitWidth`). */
const bitWidth = (value: number): number => 32 - Math.clz32(value);

export function checkParquetStructure(buffer: ArrayBuffer, metadata: FileMetaData, compressors: Compressors): void {
  const topLevel = new Set(metadata.schema.slice(1).map((e) => e.name));
  for (const group of metadata.row_groups) {
    const seen = new Set<string>();
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (!meta) throw new Error('a column chunk has no metadata');
      const column = meta.path_in_schema.join('.');
      if (!topLevel.has(meta.path_in_schema[0] ?? '')) throw new Error(`column chunk "${column}" is not in the file's schema`);
      if (seen.has(column)) throw new Error(`column "${column}" appears twice in one row group`);
      seen.add(column);
      const schemaPath = getSchemaPath(metadata.schema, meta.path_in_schema);
      const levels = { rep: getMaxRepetitionLevel(schemaPath), def: getMaxDefinitionLevel(schemaPath), nested: schemaPath.length > 1 };
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      if (!(start >= 0 && end >= start && end <= buffer.byteLength)) throw new Error(`column "${column}" lies outside the file (bytes ${start} to ${end} of ${buffer.byteLength})`);
      const reader = { view: new DataView(buffer, start, end - start), offset: 0 };
      // hyparquet's loop condition (column.js readColumn).
      while (reader.offset < reader.view.byteLength - 1) {
        const at = start + reader.offset;
        const header = parquetHeader(reader);
        const problem = pageHeaderProblem(header, reader.view.byteLength - reader.offset);
        if (problem) throw new Error(`column "${column}": the page header at byte ${at} has ${problem}`);
        const body = new Uint8Array(buffer, start + reader.offset, header.compressed_page_size);
        reader.offset += header.compressed_page_size;
        const streamProblem = pageStreamsProblem(header, body, { ...levels, type: meta.type, codec: meta.codec, compressors });
        if (streamProblem) throw new Error(`column "${column}": the page at byte ${at} has ${streamProblem}`);
      }
    }
  }
}

/** What is wrong with a page header, or null; `room` is what is left of its column chunk. */
function pageHeaderProblem(header: PageHeader, room: number): string | null {
  const size = header.compressed_page_size;
  if (!isCount(size) || !isCount(header.uncompressed_page_size)) return 'no valid page size';
  if (size > room) return 'a page running past the end of the column';
  if (header.type === 'DATA_PAGE' && !isCount(header.data_page_header?.num_values, MAX_PAGE_VALUES)) return 'no valid value count';
  if (header.type === 'DICTIONARY_PAGE' && !isCount(header.dictionary_page_header?.num_values, MAX_PAGE_VALUES)) return 'no valid dictionary size';
  if (header.type === 'DATA_PAGE_V2') {
    const v2 = header.data_page_header_v2;
    const counts = v2 ? [v2.num_values, v2.num_nulls, v2.num_rows, v2.definition_levels_byte_length, v2.repetition_levels_byte_length] : [];
    if (!v2 || !counts.every((n) => isCount(n, MAX_PAGE_VALUES)) || v2.num_nulls > v2.num_values || v2.definition_levels_byte_length + v2.repetition_levels_byte_length > size) {
      return 'no valid value counts or level lengths';
    }
  }
  return null;
}

interface StreamContext {
  rep: number;
  def: number;
  nested: boolean;
  type: string;
  codec: Parameters<typeof decompressPage>[2];
  compressors: Compressors;
}

/** Walks the RLE/bit-packed streams of one data page (where hyparquet reads them); null when they fit. */
function pageStreamsProblem(header: PageHeader, body: Uint8Array, c: StreamContext): string | null {
  const dictionaryEncoded = (encoding: string | undefined) => encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY' || encoding === 'RLE';
  if (header.type === 'DATA_PAGE' && header.data_page_header) {
    const n = header.data_page_header.num_values;
    const page = decompressPage(body, header.uncompressed_page_size, c.codec, c.compressors);
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    let at = 0;
    if (c.nested && c.rep) {
      const levels = hybridProblem(view, at, bitWidth(c.rep), n, true);
      if (typeof levels === 'string') return `repetition levels with ${levels}`;
      at = levels;
    }
    if (c.def) {
      const levels = hybridProblem(view, at, bitWidth(c.def), n, true);
      if (typeof levels === 'string') return `definition levels with ${levels}`;
      at = levels;
    }
    if (dictionaryEncoded(header.data_page_header.encoding) && at < view.byteLength) {
      const boolean = c.type === 'BOOLEAN';
      const width = boolean ? 1 : view.getUint8(at++);
      const values = width ? hybridProblem(view, at, width, n, boolean) : 0;
      if (typeof values === 'string') return `values with ${values}`;
    }
    return null;
  }
  if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
    const v2 = header.data_page_header_v2;
    const n = v2.num_values;
    const repLength = v2.repetition_levels_byte_length;
    const defLength = v2.definition_levels_byte_length;
    if (c.rep) {
      const levels = hybridProblem(new DataView(body.buffer, body.byteOffset, repLength), 0, bitWidth(c.rep), n, false);
      if (typeof levels === 'string') return `repetition levels with ${levels}`;
    }
    if (c.def) {
      const levels = hybridProblem(new DataView(body.buffer, body.byteOffset + repLength, defLength), 0, bitWidth(c.def), n, false);
      if (typeof levels === 'string') return `definition levels with ${levels}`;
    }
    if (!dictionaryEncoded(v2.encoding)) return null;
    const rest = body.subarray(repLength + defLength);
    const page = v2.is_compressed === false ? rest : decompressPage(rest, header.uncompressed_page_size - defLength - repLength, c.codec, c.compressors);
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    const values = v2.encoding === 'RLE' ? hybridProblem(view, 0, 1, n, true) : view.byteLength > 0 ? hybridProblem(view, 1, view.getUint8(0), n, false) : 0;
    if (typeof values === 'string') return `values with ${values}`;
  }
  return null;
}

/**
 * Walks an RLE/bit-packed hybrid stream as hyparquet's `readRleBitPackedHybrid` reads it (with a
 * 4-byte length first when `prefixed`), for `count` values. Returns where the stream ends, or
 * what is wrong: an RLE run longer than the values left, or a bit-packed run hyparquet cannot
 * finish. A stream that runs out of bytes is left to hyparquet, which throws a RangeError.
 */
function hybridProblem(view: DataView, offset: number, width: number, count: number, prefixed: boolean): number | string {
  let at = offset;
  let length = view.byteLength - offset;
  if (prefixed) {
    if (at + 4 > view.byteLength) return view.byteLength;
    length = view.getUint32(at, true);
    at += 4;
  }
  const start = at;
  let seen = 0;
  while (seen < count) {
    // hyparquet's readVarInt, with its 32-bit arithmetic.
    let header = 0;
    let shift = 0;
    for (;;) {
      if (at >= view.byteLength) return start + length;
      const byte = view.getUint8(at++);
      header |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
      shift += 7;
    }
    if (header & 1) {
      // Bit-packed: groups of 8 values; hyparquet stops emitting at `count` but reads them all.
      const packed = (header >> 1) << 3;
      if (packed < 0 || (width === 0 && packed > count - seen + 8)) return `a bit-packed run of ${packed} values`;
      seen += packed;
      at += (packed * width) / 8;
    } else {
      const run = header >>> 1;
      if (run > count - seen) return `a run of ${run} values where ${count - seen} are left`;
      seen += run;
      at += (width + 7) >> 3;
    }
  }
  return start + length;
}
