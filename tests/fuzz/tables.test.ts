/**
 * Fuzzes the tabular readers (src/sources/formats/table.ts `readTable`, arrow.ts
 * `readTableOrArrow`, `requireColumns`): damaged Parquet and Arrow IPC files (bytes set, flipped,
 * cut, deleted or inserted, headers and footers hit), damaged CSV, JSON Lines and JSON tables
 * (cells with quotes, line breaks, BOMs, NULs, columns dropped or renamed, ragged rows, retyped
 * JSON values, pollution keys) and files whose format must be told from the bytes. Each must
 * give a valid table or a DatasetError with a specific message, quickly.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readTableOrArrow } from '../../src/sources/formats/arrow.ts';
import { DatasetError, readTable, requireColumns, type Table } from '../../src/sources/formats/table.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';
import {
  asyncOutcomeOf,
  assertNoPollution,
  encode,
  fuzzParams,
  mutatedBytes,
  mutatedJsonText,
  mutatedTable,
  outcomeOf,
  stringTable,
  tableText,
  Tally,
  type Outcome,
} from './helpers.ts';

const fixture = (path: string) => new Uint8Array(readFileSync(`${FIXTURES}/${path}`));
const PARQUET = [fixture('fair-pp/malformed/missing-column.parquet'), fixture('dvmap/Demographic_Value_Alignment/DVMap_Corpus/dev.parquet')];
const ARROW = fixture('dvmap/Triple-Generalization_Evaluation_Benchmark/Cross-Value/data-00000-of-00001.arrow');

const tally = new Tally();

/** What a table must look like when the reader accepts a file. */
function assertValidTable(outcome: Outcome<Table>): void {
  assertNoPollution();
  tally.add(outcome);
  if (!outcome.ok) return;
  const { columns, rows } = outcome.value;
  expect(Array.isArray(columns) && columns.every((c) => typeof c === 'string')).toBe(true);
  expect(Array.isArray(rows) && rows.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))).toBe(true);
}

/** The first rows of the Fair-PP test split, as strings (the mutators' starting point). */
async function fairPpRows(count: number) {
  const table = await readTable('test.csv', fixture('fair-pp/test.csv'));
  return stringTable(table.columns, table.rows.slice(0, count));
}

describe('binary tables', () => {
  test('damaged Parquet files: a table or a DatasetError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: PARQUET.length - 1 }).chain((i) => mutatedBytes(PARQUET[i]!)),
        async (bytes) => assertValidTable(await asyncOutcomeOf([DatasetError], () => readTable('data.parquet', bytes.value))),
      ),
      fuzzParams(600),
    );
    tally.expectBoth();
  });

  test('damaged Arrow IPC streams: a table or a DatasetError', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBytes(ARROW), async (bytes) => assertValidTable(await asyncOutcomeOf([DatasetError], () => readTableOrArrow('data-00000-of-00001.arrow', bytes.value)))),
      fuzzParams(600),
    );
    tally.expectBoth();
  });

  test('a file without an extension, told apart by its bytes', async () => {
    const sources = [...PARQUET, ARROW, fixture('fair-pp/test.csv').subarray(0, 4000), fixture('fair-pp/test.jsonl').subarray(0, 4000)];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: sources.length - 1 }).chain((i) => mutatedBytes(sources[i]!)),
        async (bytes) => assertValidTable(await asyncOutcomeOf([DatasetError], () => readTableOrArrow('data', bytes.value))),
      ),
      fuzzParams(500),
    );
    tally.expectBoth();
  });
});

describe('text tables', () => {
  test('damaged CSV: a table or a DatasetError', async () => {
    const valid = await fairPpRows(12);
    // After the table edits, maybe damage below the writer: open quotes, stray quotes, NULs, BOMs.
    const junk = fc.option(fc.tuple(fc.nat(), fc.constantFrom('"', '\u0000', '\uFEFF', '\r', '""x', '\n"')));
    const withJunk = (csv: string, at: number, text: string) => {
      const i = at % Math.max(1, csv.length);
      return csv.slice(0, i) + text + csv.slice(i);
    };
    await fc.assert(
      fc.asyncProperty(mutatedTable(valid), junk, async (table, extra) => {
        const csv = extra ? withJunk(tableText(table.value, 'csv'), ...extra) : tableText(table.value, 'csv');
        assertValidTable(await asyncOutcomeOf([DatasetError], () => readTable('data.csv', encode(csv))));
      }),
      fuzzParams(600),
    );
    tally.expectBoth();
  });

  test('damaged JSON Lines and JSON arrays: a table or a DatasetError', async () => {
    const valid = await readTable('test.jsonl', fixture('fair-pp/test.jsonl'));
    const rows = valid.rows.slice(0, 6);
    /** One row per line, as JSON Lines holds them (a damaged array becomes damaged lines). */
    const asLines = (text: string): string => {
      try {
        const value = JSON.parse(text) as unknown;
        return Array.isArray(value) ? value.map((r) => JSON.stringify(r)).join('\n') : text;
      } catch {
        return text;
      }
    };
    await fc.assert(
      fc.asyncProperty(mutatedJsonText(rows), fc.boolean(), async (damaged, lines) => {
        const [name, text] = lines ? ['data.jsonl', asLines(damaged.value)] : ['data.json', damaged.value];
        assertValidTable(await asyncOutcomeOf([DatasetError], () => readTable(name, encode(text))));
      }),
      fuzzParams(600),
    );
    tally.expectBoth();
  });
});

describe('requireColumns', () => {
  test('names every missing column, for any column list', () => {
    const required = ['Question', 'Topic', '__proto__', 'constructor'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...required, 'toString', ''), fc.string({ maxLength: 8 })), { maxLength: 40 }), (columns) => {
        const outcome = outcomeOf([DatasetError], () => requireColumns({ columns, rows: [] }, required, 'data.csv'));
        const missing = required.filter((c) => !columns.includes(c));
        expect(outcome.ok).toBe(missing.length === 0);
        if (!outcome.ok) for (const c of missing) expect(outcome.error.message).toContain(`"${c}"`);
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });
});
