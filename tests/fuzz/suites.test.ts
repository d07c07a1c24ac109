/**
 * Fuzzes the suite adapters on tables, through each suite's `load()` from the registry with the
 * data as a user file (`userFileFromBytes`): FAIR-SP (fair-pp/release.ts), DVMap
 * (dvmap/release.ts) and GlobalOpinionQA (global-opinions/release.ts, with its Python-literal
 * cells). Inputs are the fixtures' first rows, damaged (cells retyped or replaced by quotes, line
 * breaks, NULs, answer codes out of range, option lists that do not split, distributions of the
 * wrong length; columns dropped or renamed; rows duplicated or cut) and written as CSV, JSON
 * Lines or JSON (whose cells may also be numbers, objects, arrays or pollution keys). Each load
 * must give items a run can use, or a DatasetError (or a country/option error) naming what is
 * wrong, quickly.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Item } from '../../src/core/items/item.ts';
import { CountryResolutionError } from '../../src/sources/countries.ts';
import { DatasetError, readTable } from '../../src/sources/formats/table.ts';
import { DataSourceError, userFileFromBytes, type DataSourceContext, type UserFile } from '../../src/sources/source.ts';
import { releaseItems } from '../../src/suites/global-opinions/release.ts';
import { getSuite } from '../../src/suites/registry.ts';
import { resolveSuiteOptions, type LoadedSuite } from '../../src/suites/suite.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';
import {
  asyncOutcomeOf,
  assertNoPollution,
  encode,
  fuzzParams,
  mutatedBytes,
  mutatedJsonText,
  mutatedTable,
  stringTable,
  tableText,
  Damaged,
  Tally,
  type ErrorClass,
  type StringTable,
  type TextFormat,
} from './helpers.ts';

const ALLOWED: ErrorClass[] = [DatasetError, CountryResolutionError];

/** Offline: any download fails at once (the suites must not need one when given a file). */
function context(userFile: UserFile, extraFiles: Record<string, UserFile> = {}): DataSourceContext {
  return {
    hubHost: 'http://127.0.0.1:9',
    githubRawHost: 'http://127.0.0.1:9',
    fetchBytes: async (url) => {
      throw new DataSourceError(`offline in the fuzz tests: ${url}`, url);
    },
    userFile,
    extraFiles,
  };
}

async function fixtureRows(path: string, count: number): Promise<{ table: StringTable; objects: Array<Record<string, unknown>> }> {
  const table = await readTable(path, new Uint8Array(readFileSync(`${FIXTURES}/${path}`)));
  const objects = table.rows.slice(0, count);
  return { table: stringTable(table.columns, objects), objects };
}

const isDistribution = (d: unknown, k: number): boolean =>
  Array.isArray(d) && d.length === k && d.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0) && Math.abs(d.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-6;

/** What every suite's items must be for a run to use them. */
function assertUsableItems(items: Item[]): void {
  expect(items.length).toBeGreaterThan(0);
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  for (const item of items) {
    expect(typeof item.id === 'string' && item.id.length > 0).toBe(true);
    expect(typeof item.question).toBe('string');
    expect(item.options.length).toBeGreaterThanOrEqual(2);
    expect(item.options.every((o) => typeof o === 'string')).toBe(true);
    expect(Number.isInteger(item.fixedTail) && item.fixedTail >= 0 && item.fixedTail < item.options.length).toBe(true);
    for (const v of Object.values(item.meta)) expect(v === null || ['string', 'number', 'boolean'].includes(typeof v)).toBe(true);
  }
}

interface DataFile {
  name: string;
  bytes: Uint8Array;
}

/** A damaged table as a file: CSV, JSON Lines or a JSON array (strings only), or JSON rows with retyped values. */
function damagedFile(valid: { table: StringTable; objects: Array<Record<string, unknown>> }): fc.Arbitrary<Damaged<DataFile>> {
  return fc.oneof(
    fc.tuple(mutatedTable(valid.table), fc.constantFrom<TextFormat>('csv', 'jsonl', 'json')).map(
      ([damaged, format]) => new Damaged({ name: `data.${format}`, bytes: encode(tableText(damaged.value, format)) }, [...damaged.edits, { format }]),
    ),
    mutatedJsonText(valid.objects).map((damaged) => new Damaged({ name: 'data.json', bytes: encode(damaged.value) }, damaged.edits)),
  );
}

async function loadSuite(id: string, options: Record<string, string>, file: Damaged<DataFile>, extra: Record<string, UserFile> = {}): Promise<LoadedSuite> {
  const suite = getSuite(id);
  return suite.load(resolveSuiteOptions(suite, options), context(userFileFromBytes(file.value.name, file.value.bytes), extra));
}

const tally = new Tally();

describe('suite adapters on damaged tables', () => {
  test('fair-pp: items with one-hot anchors per segment, or a DatasetError', async () => {
    const valid = await fixtureRows('fair-pp/test.csv', 8);
    await fc.assert(
      fc.asyncProperty(damagedFile(valid), async (file) => {
        const outcome = await asyncOutcomeOf(ALLOWED, () => loadSuite('fair-pp', { split: 'test' }, file));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        assertUsableItems(outcome.value.items);
        for (const item of outcome.value.items) {
          const anchors = (item.refs as { anchors: Record<string, unknown> }).anchors;
          expect(Object.keys(anchors)).toHaveLength(7);
          for (const d of Object.values(anchors)) expect(isDistribution(d, item.options.length)).toBe(true);
        }
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });

  test('dvmap: items with a gold answer among the options, or a DatasetError', async () => {
    const valid = await fixtureRows('dvmap/Demographic_Value_Alignment/DVMap_Corpus/dev.parquet', 8);
    await fc.assert(
      fc.asyncProperty(damagedFile(valid), fc.constantFrom('direct', 'reasoning'), async (file, prompt) => {
        const outcome = await asyncOutcomeOf(ALLOWED, () => loadSuite('dvmap', { split: 'dev', prompt }, file));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        assertUsableItems(outcome.value.items);
        for (const item of outcome.value.items) {
          const { gold, k } = item.refs as { gold: number; k: number };
          expect(k).toBe(item.options.length);
          expect(Number.isInteger(gold) && gold >= 0 && gold < k).toBe(true);
        }
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });

  test('dvmap: damaged Arrow IPC files (the benchmark folders\' format): items, or a DatasetError', async () => {
    const arrow = readFileSync(`${FIXTURES}/dvmap/Triple-Generalization_Evaluation_Benchmark/Cross-Value/data-00000-of-00001.arrow`);
    await fc.assert(
      fc.asyncProperty(mutatedBytes(new Uint8Array(arrow)), async (bytes) => {
        const file = new Damaged({ name: 'data-00000-of-00001.arrow', bytes: bytes.value }, bytes.edits);
        const outcome = await asyncOutcomeOf(ALLOWED, () => loadSuite('dvmap', { split: 'cross-value' }, file));
        assertNoPollution();
        tally.add(outcome);
        if (outcome.ok) assertUsableItems(outcome.value.items);
      }),
      fuzzParams(300),
    );
    tally.expectBoth();
  });

  test('global-opinions: items with a distribution per country, or a DatasetError', async () => {
    const valid = await fixtureRows('global-opinions/data/global_opinions.csv', 8);
    await fc.assert(
      fc.asyncProperty(damagedFile(valid), fc.constantFrom('none', 'none', 'BEL', 'Germany'), async (file, persona) => {
        const outcome = await asyncOutcomeOf(ALLOWED, () => loadSuite('global-opinions', { persona }, file));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        assertUsableItems(outcome.value.items);
        for (const item of outcome.value.items) {
          const { countries } = item.refs as { countries: Record<string, unknown> };
          expect(Object.keys(countries).length).toBeGreaterThan(0);
          for (const d of Object.values(countries)) expect(isDistribution(d, item.options.length)).toBe(true);
        }
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });

  test('global-opinions: shares near the largest double still make a distribution (their sum overflowed to Infinity: [0, 0])', () => {
    const table = { columns: ['question', 'selections', 'options', 'source'], rows: [{ question: 'Q?', selections: "{'Belgium': [1e308, 1e308]}", options: "['a', 'b']", source: 'WVS' }] };
    expect(releaseItems(table, 'x.csv').items[0]!.refs).toEqual({ countries: { Belgium: [0.5, 0.5] }, skipped: [] });
  });

  test('global-opinions: damaged Python literals in "selections" and "options" (cut, quotes, brackets, nan, inf, negative shares)', async () => {
    const valid = await fixtureRows('global-opinions/data/global_opinions.csv', 6);
    const piece = fc.constantFrom("'", '"', '[', ']', '{', '}', ',', ', ', ':', ' ', 'nan', 'inf', '-inf', '-', '-0.5', '0.5', '1e999', '1e308', '\\', "\\'", 'defaultdict(', ')', "'x'", '0.0, 0.0', '');
    const literalEdit = fc.record({ row: fc.nat(), column: fc.constantFrom('selections', 'options'), at: fc.nat(), cut: fc.boolean(), text: piece });
    await fc.assert(
      fc.asyncProperty(fc.array(literalEdit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const table = { columns: valid.table.columns, rows: valid.table.rows.map((r) => [...r]) };
        for (const e of edits) {
          const row = table.rows[e.row % table.rows.length]!;
          const c = table.columns.indexOf(e.column);
          const cell = row[c]!;
          const i = e.at % (cell.length + 1);
          row[c] = e.cut ? cell.slice(0, i) + e.text : cell.slice(0, i) + e.text + cell.slice(i);
        }
        const file = new Damaged({ name: 'data.csv', bytes: encode(tableText(table, 'csv')) }, edits);
        const outcome = await asyncOutcomeOf(ALLOWED, () => loadSuite('global-opinions', {}, file));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        for (const item of outcome.value.items) {
          for (const d of Object.values((item.refs as { countries: Record<string, unknown> }).countries)) expect(isDistribution(d, item.options.length)).toBe(true);
        }
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });
});
