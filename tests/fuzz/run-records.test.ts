/**
 * Fuzzes run records (src/core/record/build.ts `validateRunRecord`) and their import into the
 * browser's run store (src/browser/run-store.ts `importRecord`, on fake-indexeddb): a complete
 * record made from the Fair-PP fixture is damaged (fields deleted, renamed or retyped; numbers
 * NaN, negative or huge; distributions of the wrong length or not summing to 1; duplicate item
 * ids; pollution keys; deep nesting; the text cut short, with a BOM, junk or duplicate keys) and
 * given as text and as a value. Validation must give a valid record or a RunRecordError naming
 * the problem; an import that is refused must leave every object store exactly as it was.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { openDB } from 'idb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunRecordError, sortedItems, validateRunRecord } from '../../src/core/record/build.ts';
import { RunRecordSchema, type RunRecord } from '../../src/core/record/schema.ts';
import { RunExistsError, RunStore, StorageFullError } from '../../src/browser/run-store.ts';
import { asyncOutcomeOf, assertNoPollution, fuzzParams, mutatedJson, mutatedJsonText, outcomeOf, Tally, type Outcome } from './helpers.ts';
import { fixtureRunRecord } from './fixtures.ts';

const RECORD = await fixtureRunRecord();
// The schema is strict: most damage is refused, and only a few edits leave a valid input.
const tally = new Tally();

/** What an accepted record must be: the schema's, unique item ids, distributions that fit. */
function assertValidRecord(outcome: Outcome<RunRecord>): void {
  assertNoPollution();
  tally.add(outcome);
  if (!outcome.ok) return;
  const record = outcome.value;
  expect(RunRecordSchema.safeParse(record).success).toBe(true);
  expect(new Set(record.items.map((i) => i.id)).size).toBe(record.items.length);
  for (const item of record.items) {
    if (!item.distribution) continue;
    expect(item.distribution).toHaveLength(item.options.length);
    expect(Math.abs(item.distribution.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
  }
}

describe('validateRunRecord', () => {
  test('the fixture record is valid', () => {
    expect(validateRunRecord(JSON.stringify(RECORD)).items).toHaveLength(RECORD.items.length);
  });

  test('damaged record files (text): a valid record or a RunRecordError', () => {
    fc.assert(
      fc.property(mutatedJsonText(RECORD), (text) => assertValidRecord(outcomeOf([RunRecordError], () => validateRunRecord(text.value)))),
      fuzzParams(600),
    );
    tally.expectBoth(0.01);
  });

  test('damaged record values (as the embed widget passes them): a valid record or a RunRecordError', () => {
    fc.assert(
      fc.property(mutatedJson(RECORD), (value) => assertValidRecord(outcomeOf([RunRecordError], () => validateRunRecord(value.value)))),
      fuzzParams(600),
    );
    tally.expectBoth(0.01);
  });
});

describe('RunStore.importRecord', () => {
  let store: RunStore;
  const name = 'pluralscope-fuzz';

  /** Every object store's keys and values, as comparable JSON. */
  async function snapshot(): Promise<string> {
    const db = await openDB(name);
    const dump: Record<string, unknown> = {};
    for (const storeName of db.objectStoreNames) {
      dump[storeName] = { keys: await db.getAllKeys(storeName), values: await db.getAll(storeName) };
    }
    db.close();
    return JSON.stringify(dump);
  }

  beforeAll(async () => {
    store = await RunStore.open(name);
    // Something already stored, that a damaged import must not touch.
    await store.importRecord({ ...RECORD, id: 'stored-before' }, ['already here']);
    await store.setSetting('theme', 'dark');
  });
  afterAll(() => store.close());

  test('a record whose id is already stored is refused, and nothing changes', async () => {
    const before = await snapshot();
    const changed = { ...RECORD, id: 'stored-before', items: RECORD.items.slice(0, 2) };
    await expect(store.importRecord(changed)).rejects.toThrow(RunExistsError);
    expect(await snapshot()).toBe(before);
  });

  test('an item that cannot be stored aborts the whole import: no header is left behind', async () => {
    const before = await snapshot();
    const uncloneable = { ...RECORD, id: 'half-imported', items: [RECORD.items[0]!, { ...RECORD.items[1]!, refs: { f: () => 1 } }] };
    await expect(store.importRecord(uncloneable)).rejects.toThrow();
    expect(await snapshot()).toBe(before);
  });

  test('a refused import leaves the store unchanged; an accepted one stores the record as given', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedJsonText(RECORD), async (text) => {
        const before = await snapshot();
        const outcome = await asyncOutcomeOf([RunRecordError, RunExistsError, StorageFullError], async () => {
          const record = validateRunRecord(text.value);
          await store.importRecord(record, ['imported by the fuzz test']);
          return record;
        });
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) {
          expect(await snapshot()).toBe(before);
          return;
        }
        const stored = await store.getRecord(outcome.value.id);
        expect(stored && { ...stored, items: sortedItems(stored.items) }).toEqual({ ...outcome.value, items: sortedItems(outcome.value.items) });
        await store.deleteRun(outcome.value.id);
        expect(await snapshot()).toBe(before);
      }),
      fuzzParams(500),
    );
    tally.expectBoth(0.01);
  });
});
