import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random/prng.ts';
import { userFileFromPath } from '../../../src/node/data-source.ts';
import { UNREADABLE } from '../../../src/sources/wvs/microdata.ts';
import { readWvsCsv, WvsCsvScanner, type WvsReadRequest, type WvsReadResult } from '../../../src/sources/wvs/stream-reader.ts';
import { FIXTURES } from '../../helpers/fixture-hosts.ts';

const enc = new TextEncoder();

/** A stream that delivers exactly these chunks. */
function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

/** Splits bytes at the given sizes (cycled), or at random cut points from a seeded generator. */
function chunked(bytes: Uint8Array, sizes: number[] | { seed: string; max: number }): Uint8Array[] {
  const out: Uint8Array[] = [];
  const rng = Array.isArray(sizes) ? null : createRng(sizes.seed);
  let i = 0;
  let j = 0;
  while (i < bytes.length) {
    const size = rng ? 1 + rng.int((sizes as { max: number }).max) : (sizes as number[])[j++ % (sizes as number[]).length]!;
    out.push(bytes.slice(i, i + size));
    i += size;
  }
  return out;
}

const request = (over: Partial<WvsReadRequest> = {}): WvsReadRequest => ({
  fileName: 'test.csv',
  countries: ['SGP'],
  select: () => ['Q260', 'Q262', 'Q1', 'Q290'],
  ...over,
});

const plain = (r: WvsReadResult) => ({
  rows: r.data.rows,
  columns: Object.fromEntries([...r.data.columns].map(([k, v]) => [k, Array.from(v)])),
  countries: Array.from(r.data.countryOf, (i) => r.data.countryCodes[i]),
  rowsInFile: r.rowsInFile,
  countryCounts: r.countryCounts,
  malformedRows: r.malformedRows,
  unreadableCells: r.unreadableCells,
  bytes: r.bytes,
  sha256: r.sha256,
});

// Quotes inside unquoted fields (literal), quotes, escaped quotes, delimiters and CRLF line breaks inside quoted fields, a BOM, a blank line,
// numbers written "1.0" and " 55 ", an empty cell, a lower-case country, multi-byte UTF-8 text,
// a short row, and no line break at the end.
const AWKWARD =
  '\uFEFF"A_YEAR","B_COUNTRY_ALPHA",NOTE,Q260,Q262,Q1,Q290\r\n' +
  '2020,GBR,ab"c"d,1,30,1,826001\r\n' +
  '2020,SGP,x"y,2,41,3,702004\r\n' +
  '2020,"SGP","a, ""quoted"" note\r\nwith a line break, and ""more""",1,"34",2,702001\r\n' +
  '2020,SGP,plain,2, 55 ,1.0,702002\r\n' +
  '2020,MYS,"x\n\n",1,40,3,458001\r\n' +
  '\r\n' +
  '2020,SGP,"",2,-1,-2,\r\n' +
  '2020,GBR,"é ü 中文 ""日本""",1,30,1,826001\r\n' +
  '2020,SGP,short,1\r\n' +
  '2020,sgp,"Ünïcödé, 中文",1,200,4.5,702003';

describe('streaming WVS-7 reader', () => {
  it('reads quoted fields, CRLF, BOM and odd numbers; keeps only the chosen country and columns', async () => {
    const r = await readWvsCsv(streamOf([enc.encode(AWKWARD)]), request({ hash: true }));
    expect(r.delimiter).toBe(',');
    expect(r.header.columns).toEqual(['A_YEAR', 'B_COUNTRY_ALPHA', 'NOTE', 'Q260', 'Q262', 'Q1', 'Q290']);
    expect(r.rowsInFile).toBe(9);
    expect(r.countryCounts).toEqual([
      { code: 'SGP', rows: 6 },
      { code: 'GBR', rows: 2 },
      { code: 'MYS', rows: 1 },
    ]);
    expect(r.data.rows).toBe(6);
    expect(r.data.countryCodes).toEqual(['SGP']);
    expect(Array.from(r.data.columns.get('Q262')!)).toEqual([41, 34, 55, -1, UNREADABLE, 200]);
    expect(Array.from(r.data.columns.get('Q1')!)).toEqual([3, 2, 1, -2, UNREADABLE, UNREADABLE]);
    expect(Array.from(r.data.columns.get('Q290')!)).toEqual([702004, 702001, 702002, UNREADABLE, UNREADABLE, 702003]);
    expect(r.malformedRows).toBe(1);
    expect(r.unreadableCells).toEqual({ Q260: 0, Q262: 1, Q1: 2, Q290: 2 });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives identical results however the bytes are split into chunks (quotes, CR/LF, UTF-8 split across chunks)', async () => {
    const bytes = enc.encode(AWKWARD);
    const reference = plain(await readWvsCsv(streamOf([bytes]), request({ hash: true })));
    const splits: Array<number[] | { seed: string; max: number }> = [[1], [2], [3], [5], [7], [13], [64], [1, 2, 3, 5, 8], { seed: 'a', max: 9 }, { seed: 'b', max: 40 }];
    for (const split of splits) {
      const r = await readWvsCsv(streamOf(chunked(bytes, split)), request({ hash: true }));
      expect(plain(r), JSON.stringify(split)).toEqual(reference);
    }
    // The scanner alone, pushed byte by byte at every possible single cut point.
    for (let cut = 1; cut < bytes.length; cut += 3) {
      const scanner = new WvsCsvScanner(request());
      scanner.push(bytes.subarray(0, cut));
      scanner.push(bytes.subarray(cut));
      expect({ ...plain({ ...scanner.finish(), sha256: reference.sha256 }) }, `cut ${cut}`).toEqual(reference);
    }
  });

  it('reads the 2,000-row fixture identically in 1 MB, 4 KB and random chunks, and agrees with a plain split', async () => {
    const path = `${FIXTURES}/wvs/wvs7-fixture.csv`;
    const bytes = new Uint8Array(readFileSync(path));
    const req = request({ countries: null, select: () => ['Q260', 'Q262', 'Q290', 'Q289', 'Q57', 'Q50'] });
    const viaFile = plain(await readWvsCsv(userFileFromPath(path).stream(), req));
    expect(plain(await readWvsCsv(streamOf(chunked(bytes, [4096])), req))).toEqual(viaFile);
    expect(plain(await readWvsCsv(streamOf(chunked(bytes, { seed: 'fixture', max: 300 })), req))).toEqual(viaFile);
    const lines = new TextDecoder().decode(bytes).trim().split('\n');
    const header = lines[0]!.split(',');
    expect(viaFile.rows).toBe(lines.length - 1);
    for (const code of ['Q262', 'Q50', 'Q290']) {
      const at = header.indexOf(code);
      expect(viaFile.columns[code], code).toEqual(lines.slice(1).map((l) => Number(l.split(',')[at])));
    }
    expect(viaFile.countryCounts).toEqual([
      { code: 'SGP', rows: 1500 },
      { code: 'MYS', rows: 300 },
      { code: 'GBR', rows: 200 },
    ]);
  });

  it('keeps more rows than one storage block (65,536), in order; integers beyond int32 are unreadable', async () => {
    const n = 70_001;
    let text = 'B_COUNTRY_ALPHA,Q260,Q262,Q1\n';
    for (let i = 0; i < n; i++) text += `${i % 3 === 0 ? 'MYS' : 'SGP'},1,${i},${i % 4}\n`;
    text += 'SGP,1,2147483647,2147483648\n';
    const r = await readWvsCsv(streamOf(chunked(enc.encode(text), [100_000])), request({ select: () => ['Q262', 'Q1'] }));
    const ages = Array.from(r.data.columns.get('Q262')!);
    const expected = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
    expect(ages.length).toBe(expected.length + 1);
    expect(ages.slice(0, -1)).toEqual(expected);
    expect(ages.at(-1)).toBe(2147483647);
    expect(r.data.columns.get('Q1')!.at(-1)).toBe(UNREADABLE);
    expect(r.data.countryOf.every((c) => r.data.countryCodes[c] === 'SGP')).toBe(true);
  });

  it('detects semicolon- and tab-separated files', async () => {
    for (const d of [';', '\t']) {
      const text = ['B_COUNTRY_ALPHA', 'Q260', 'Q262', 'Q1'].join(d) + '\n' + ['SGP', '2', '44', '3'].join(d) + '\n';
      const r = await readWvsCsv(streamOf([enc.encode(text)]), request({ select: () => ['Q1', 'Q262'] }));
      expect(r.delimiter).toBe(d);
      expect(Array.from(r.data.columns.get('Q262')!)).toEqual([44]);
    }
  });

  it('reports progress as bytes read of the total', async () => {
    const bytes = enc.encode(AWKWARD);
    const seen: number[] = [];
    await readWvsCsv(streamOf(chunked(bytes, [50])), request({ totalBytes: bytes.length, onProgress: (p) => seen.push(p.bytesRead / p.totalBytes!) }));
    expect(seen.length).toBe(Math.ceil(bytes.length / 50));
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe('the reader refuses what is not WVS-7 respondent data, with a specific message', () => {
  const read = (text: string | Uint8Array, over: Partial<WvsReadRequest> = {}) =>
    readWvsCsv(streamOf([typeof text === 'string' ? enc.encode(text) : text]), request({ select: () => ['Q1'], ...over }));

  it('a CSV of something else names every missing WVS column and quotes the columns it has', async () => {
    await expect(read('name,age,score\nBob,3,4\n')).rejects.toThrow(
      /test\.csv is not WVS Wave 7 respondent data \(one row per respondent\): it has no B_COUNTRY_ALPHA \(country, ISO alpha-3\), Q260 \(sex\), Q262 \(age\) and answer columns Q1\.\.Q259\. Its first columns are "name", "age", "score"/,
    );
  });
  it('only what is missing is named', async () => {
    await expect(read('B_COUNTRY_ALPHA,Q260,Q1\nSGP,1,2\n')).rejects.toThrow(/it has no Q262 \(age\)\. /);
    await expect(read('B_COUNTRY_ALPHA,Q260,Q262,Q290\nSGP,1,2,3\n')).rejects.toThrow(/it has no answer columns Q1\.\.Q259/);
  });
  it('a Fair-PP CSV is not WVS data', async () => {
    await expect(read(new Uint8Array(readFileSync(`${FIXTURES}/fair-pp/test.csv`)))).rejects.toThrow(/not WVS Wave 7 respondent data.*"Topic"/);
  });
  it('other formats the WVS distributes are recognised', async () => {
    await expect(read(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 10, 3]))).rejects.toThrow(/ZIP archive: unzip it/);
    await expect(read(enc.encode('$FL2@(#) IBM SPSS STATISTICS\n\0\0\0'))).rejects.toThrow(/SPSS \.sav/);
    await expect(read(enc.encode('<stata_dta><header>\n'))).rejects.toThrow(/Stata \.dta/);
    await expect(read(new Uint8Array([0x1f, 0x8b, 8, 0, 10]))).rejects.toThrow(/gzip/);
  });
  it('an empty file, a truncated quoted field, a column the caller needs', async () => {
    await expect(read('')).rejects.toThrow(/test\.csv is empty/);
    await expect(read('B_COUNTRY_ALPHA,Q260,Q262,Q1\nSGP,1,"40,2\n')).rejects.toThrow(/ends inside a quoted field \(after data row 0\)/);
    await expect(read('B_COUNTRY_ALPHA,Q260,Q262,Q1\nSGP,1,40,2\n', { select: () => ['Q290'] })).rejects.toThrow(/has no column Q290/);
  });
  it('a header-only file reads as no respondents; an abort stops the read', async () => {
    const r = await read('B_COUNTRY_ALPHA,Q260,Q262,Q1');
    expect(r.data.rows).toBe(0);
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    await expect(read('B_COUNTRY_ALPHA,Q260,Q262,Q1\nSGP,1,40,2\n', { signal: controller.signal })).rejects.toThrow(/stopped by the user/);
  });
});
