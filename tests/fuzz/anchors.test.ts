/**
 * Fuzzes anchor packs (src/suites/fair-pp/anchors.ts `parseAnchorPack`, `applyAnchorPack`, and
 * the fair-pp suite's load with `--anchors`): a valid pack built from the Fair-PP fixture's items
 * is damaged (fields deleted, renamed or retyped; distributions of the wrong length, negative,
 * not summing to 1 or NaN; duplicate item ids; unknown segments; pollution keys; deep nesting;
 * the JSON text cut short, with a BOM or junk after it). Each must give a pack that fits the
 * questions or an AnchorPackError (a DatasetError from the data file) naming the problem.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Item } from '../../src/core/items/item.ts';
import { DatasetError, readTable } from '../../src/sources/formats/table.ts';
import { DataSourceError, userFileFromBytes } from '../../src/sources/source.ts';
import { ANCHOR_PACK_FORMAT, AnchorPackError, applyAnchorPack, parseAnchorPack, type AnchorPack } from '../../src/suites/fair-pp/anchors.ts';
import { releaseItems } from '../../src/suites/fair-pp/release.ts';
import { personaSet } from '../../src/suites/fair-pp/segments.ts';
import { getSuite } from '../../src/suites/registry.ts';
import { resolveSuiteOptions } from '../../src/suites/suite.ts';
import { fairPpCsv } from './fixtures.ts';
import { asyncOutcomeOf, assertNoPollution, encode, fuzzParams, mutatedJsonText, outcomeOf, Tally } from './helpers.ts';

const table = await readTable('test.csv', await fairPpCsv(10));
const ITEMS: Item[] = releaseItems(table, 'test', 'test.csv').items;
/** The same 10 rows as a CSV file, for the suite's load. */
const DATA_FILE = await fairPpCsv(10);

const VALID_PACK: AnchorPack = {
  format: ANCHOR_PACK_FORMAT,
  version: 1,
  suite: 'fair-pp',
  split: 'test',
  segments: personaSet('uk').map((s) => ({ id: s.id, label: s.label })),
  provenance: { source: 'import', description: 'made by the fuzz tests', createdAt: '2026-11-23T00:00:00.000Z' },
  items: ITEMS.map((item) => ({ id: item.id, anchors: (item.refs as { anchors: Record<string, number[]> }).anchors })),
};

// The schema is strict: most damage is refused, and only a few edits leave a valid input.
const tally = new Tally();

describe('anchor packs', () => {
  test('the valid pack is accepted and fits every item', () => {
    expect(applyAnchorPack(ITEMS, parseAnchorPack(JSON.stringify(VALID_PACK))).items).toHaveLength(ITEMS.length);
  });

  test('damaged packs: a pack whose distributions fit the questions, or an AnchorPackError', () => {
    fc.assert(
      fc.property(mutatedJsonText(VALID_PACK), (text) => {
        const outcome = outcomeOf([AnchorPackError], () => applyAnchorPack(ITEMS, parseAnchorPack(text.value)));
        assertNoPollution();
        tally.add(outcome);
        if (!outcome.ok) return;
        const byId = new Map(ITEMS.map((i) => [i.id, i]));
        for (const item of outcome.value.items) {
          const anchors = (item.refs as { anchors: Record<string, number[]> }).anchors;
          for (const dist of Object.values(anchors)) {
            expect(dist).toHaveLength(byId.get(item.id)!.options.length);
            expect(dist.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)).toBe(true);
            expect(Math.abs(dist.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
          }
        }
      }),
      fuzzParams(600),
    );
    tally.expectBoth(0.01);
  });

  test('damaged packs given to the fair-pp suite (--anchors): items, or an AnchorPackError', async () => {
    const suite = getSuite('fair-pp');
    const options = resolveSuiteOptions(suite, { split: 'test' });
    await fc.assert(
      fc.asyncProperty(mutatedJsonText(VALID_PACK), async (text) => {
        const outcome = await asyncOutcomeOf([AnchorPackError, DatasetError], () =>
          suite.load(options, {
            hubHost: 'http://127.0.0.1:9',
            githubRawHost: 'http://127.0.0.1:9',
            fetchBytes: async (url) => {
              throw new DataSourceError(`offline: ${url}`, url);
            },
            userFile: userFileFromBytes('test.csv', DATA_FILE),
            extraFiles: { anchors: userFileFromBytes('pack.json', encode(text.value)) },
          }),
        );
        assertNoPollution();
        tally.add(outcome);
        if (outcome.ok) expect(outcome.value.items.length).toBeGreaterThan(0);
      }),
      fuzzParams(300),
    );
    tally.expectBoth(0.01);
  });
});
