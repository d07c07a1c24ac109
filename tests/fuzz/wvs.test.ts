/**
 * Fuzzes the WVS microdata importers: the streaming CSV reader (src/sources/wvs/stream-reader.ts
 * with csv-header.ts) on the WVS-7 fixture damaged byte by byte and cell by cell and fed in
 * random chunks; the wvs-microdata suite's load on a small damaged file, with damaged options
 * (country, strata, questions, minCount); and the user's codebook (codebook.ts) and question
 * metadata (user-metadata.ts) as damaged JSON and CSV. Each must give a usable result or a
 * DatasetError (or a country/option error) naming the problem, quickly.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { CountryResolutionError } from '../../src/sources/countries.ts';
import { DatasetError } from '../../src/sources/formats/table.ts';
import type { UserFile } from '../../src/sources/source.ts';
import { parseCodebook } from '../../src/sources/wvs/codebook.ts';
import { readWvsCsv } from '../../src/sources/wvs/stream-reader.ts';
import { parseUserQuestionMetadata } from '../../src/sources/wvs/user-metadata.ts';
import { getSuite } from '../../src/suites/registry.ts';
import { resolveSuiteOptions, SuiteOptionError } from '../../src/suites/suite.ts';
import { fixtureBytes } from './fixtures.ts';
import {
  asyncOutcomeOf,
  assertNoPollution,
  concatBytes,
  Damaged,
  encode,
  fuzzParams,
  mutatedBytes,
  mutatedJsonText,
  mutatedTable,
  Tally,
  tableText,
  weirdCell,
  type StringTable,
} from './helpers.ts';

const FULL = fixtureBytes('wvs/wvs7-fixture.csv');
const LINES = new TextDecoder().decode(FULL).split('\n');
/** The header and the first 150 respondents (all SGP): small enough to load 500 times. */
const SMALL = encode(LINES.slice(0, 151).join('\n'));
const SMALL_TABLE: StringTable = (() => {
  const parsed = Papa.parse<string[]>(LINES.slice(0, 41).join('\n'), { skipEmptyLines: true });
  return { columns: parsed.data[0]!, rows: parsed.data.slice(1) };
})();

/** A user file streamed in the given chunk sizes (cycled), so chunk boundaries fall anywhere. */
function chunkedFile(name: string, bytes: Uint8Array, sizes: readonly number[]): UserFile {
  return {
    name,
    size: bytes.byteLength,
    bytes: async () => bytes,
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0, k = 0; at < bytes.length; k++) {
            const size = sizes[k % sizes.length]!;
            controller.enqueue(bytes.subarray(at, at + size));
            at += size;
          }
          controller.close();
        },
      }),
  };
}

const chunkSizes = fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 4 });
/** Other formats the WVS distributes, and text that is no CSV at all, put in front of a file. */
const prefix = fc.constantFrom('', '', '', '\uFEFF', 'PK\u0003\u0004', '\u001f\u008b', '$FL2', '<stata_dta>', 'PAR1', '\u0000\u0000', 'sep=;\n');
const delimiter = fc.constantFrom(',', ',', ';', '\t');

/** A damaged WVS file: byte edits, or cell/column/row edits written back with some delimiter. */
function damagedWvs(valid: Uint8Array, table: StringTable): fc.Arbitrary<Damaged<Uint8Array>> {
  return fc.oneof(
    fc.tuple(mutatedBytes(valid), prefix).map(([d, p]) => new Damaged(concatBytes(encode(p), d.value), [...d.edits, { prefix: p }])),
    fc.tuple(mutatedTable(table), delimiter, fc.boolean()).map(([d, delim, crlf]) => {
      const text = Papa.unparse({ fields: d.value.columns, data: d.value.rows }, { delimiter: delim, newline: crlf ? '\r\n' : '\n' });
      return new Damaged(encode(text), [...d.edits, { delimiter: delim, crlf }]);
    }),
  );
}

const tally = new Tally();

describe('the streaming WVS reader', () => {
  test('damaged WVS-7 files in random chunks: consistent microdata or a DatasetError', async () => {
    await fc.assert(
      fc.asyncProperty(damagedWvs(FULL, SMALL_TABLE), chunkSizes, fc.constantFrom<readonly string[] | null>(['SGP'], ['sgp', 'MYS'], null), async (file, sizes, countries) => {
        const outcome = await asyncOutcomeOf([DatasetError], () =>
          readWvsCsv(chunkedFile('wvs.csv', file.value, sizes).stream(), {
            fileName: 'wvs.csv',
            countries,
            select: (header) => header.answerColumns.slice(0, 5),
            hash: true,
          }),
        );
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        const { data, rowsInFile, countryCounts } = outcome.value;
        expect(data.countryOf).toHaveLength(data.rows);
        for (const column of data.columns.values()) expect(column).toHaveLength(data.rows);
        expect(countryCounts.reduce((a, c) => a + c.rows, 0)).toBe(rowsInFile);
        expect(data.rows).toBeLessThanOrEqual(rowsInFile);
      }),
      fuzzParams(600),
    );
    tally.expectBoth();
  });
});

describe('the wvs-microdata suite', () => {
  const suite = getSuite('wvs-microdata');
  const load = (file: UserFile, given: Record<string, string>, extraFiles: Record<string, UserFile> = {}) =>
    suite.load(resolveSuiteOptions(suite, given), {
      hubHost: 'http://127.0.0.1:9',
      githubRawHost: 'http://127.0.0.1:9',
      fetchBytes: async () => {
        throw new Error('no downloads in the fuzz tests');
      },
      userFile: file,
      extraFiles,
    });
  const ALLOWED = [DatasetError, CountryResolutionError, SuiteOptionError];

  test('damaged files: items with a gold answer, or a DatasetError', async () => {
    await fc.assert(
      fc.asyncProperty(damagedWvs(SMALL, SMALL_TABLE), chunkSizes, async (file, sizes) => {
        const outcome = await asyncOutcomeOf(ALLOWED, () => load(chunkedFile('wvs.csv', file.value, sizes), { minCount: '3', strata: 'sex,age_group,religion' }));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        expect(outcome.value.items.length).toBeGreaterThan(0);
        for (const item of outcome.value.items) expect(item.options.length).toBeGreaterThanOrEqual(2);
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });

  test('damaged options: items, or an error naming the option', async () => {
    /** Mostly a valid value, sometimes a damaged one. */
    const option = (...valid: string[]) =>
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.oneof(weirdCell, fc.constantFrom('XXX', 'sex,sex', 'gender', 'Q9999', 'Q1 Q2', '0', '-1', '1e9', 'ethnicity')) });
    const given = fc.record(
      {
        country: option('SGP', 'sgp', 'Singapore', ' singapore '),
        strata: option('sex,age_group,religion', 'sex,age,religion', 'age_group, sex, religion', 'sex,age_group,ethnicity,religion'),
        questions: option('', 'Q1,Q2,Q46', 'q6 q29'),
        minCount: option('3', '5', ' 4 '),
        split: option('ood', 'train', 'all'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(given, async (options) => {
        const outcome = await asyncOutcomeOf(ALLOWED, () => load(chunkedFile('wvs.csv', SMALL, [1 << 20]), { minCount: '3', ...options }));
        assertNoPollution();
        tally.add(outcome);
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });
});

describe("the user's codebook and question metadata", () => {
  const CODEBOOK = { Q290: { '702001': 'Chinese', '702002': 'Malay' }, Q289: { '0': 'No religion', '1': 'Roman Catholic' } };
  const CODEBOOK_TABLE: StringTable = { columns: ['variable', 'code', 'label'], rows: [['Q290', '702001', 'Chinese'], ['Q290', '702002', 'Malay, Singapore'], ['Q289', '0', 'No religion']] };
  const METADATA = [
    { code: 'Q57', text: 'Can most people be trusted?', options: ['Most people can be trusted', 'Need to be very careful'], ordinal: false, concept: 'Trust' },
    { code: 'Q200', text: 'A scale?', options: [{ code: 1, label: 'Low' }, { code: 2, label: 'High' }], ordinal: true },
  ];
  const METADATA_TABLE: StringTable = { columns: ['code', 'text', 'ordinal', 'options', 'section'], rows: [['Q57', 'Trust, generally?', 'no', 'Can be trusted | Be careful', 'Trust'], ['Q200', 'Scale?', 'true', 'Low|Mid|High', '']] };

  /** JSON (named .json, or told apart by its first character) or CSV. */
  const damagedText = (json: unknown, table: StringTable) =>
    fc.oneof(
      fc.tuple(mutatedJsonText(json), fc.constantFrom('file.json', 'file')).map(([d, name]) => new Damaged({ name, bytes: encode(d.value) }, d.edits)),
      mutatedTable(table).map((d) => new Damaged({ name: 'file.csv', bytes: encode(tableText(d.value, 'csv')) }, d.edits)),
    );

  test('damaged codebooks: a code -> label map, or a DatasetError', async () => {
    await fc.assert(
      fc.asyncProperty(damagedText(CODEBOOK, CODEBOOK_TABLE), async (file) => {
        const outcome = await asyncOutcomeOf([DatasetError], () => parseCodebook(file.value.name, file.value.bytes));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        for (const [variable, codes] of outcome.value) {
          expect(variable).toBe(variable.toUpperCase());
          for (const [code, label] of codes) {
            expect(Number.isInteger(code)).toBe(true);
            expect(typeof label === 'string' && label.trim().length > 0).toBe(true);
          }
        }
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });

  test('damaged question metadata: questions with two or more options, or a DatasetError', async () => {
    await fc.assert(
      fc.asyncProperty(damagedText(METADATA, METADATA_TABLE), async (file) => {
        const outcome = await asyncOutcomeOf([DatasetError], () => parseUserQuestionMetadata(file.value.name, file.value.bytes));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        expect(new Set(outcome.value.map((q) => q.code)).size).toBe(outcome.value.length);
        for (const q of outcome.value) {
          expect(q.code).toMatch(/^Q\d+[A-Z]?$/);
          expect(q.options.length).toBeGreaterThanOrEqual(2);
          expect(typeof q.ordinal).toBe('boolean');
        }
      }),
      fuzzParams(500),
    );
    tally.expectBoth(0.01);
  });
});
