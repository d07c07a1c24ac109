import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/core/items/item.ts';
import { renderPrompt } from '../../../src/core/prompts/template.ts';
import { readTable, type Table } from '../../../src/sources/formats/table.ts';
import { fetchWithProgress, userFileFromBytes, type DataSourceContext } from '../../../src/sources/source.ts';
import { globalOpinionsSuite } from '../../../src/suites/global-opinions/definition.ts';
import { isNonSubstantive, nonSubstantiveTail } from '../../../src/suites/global-opinions/non-substantive.ts';
import { GLOBAL_OPINIONS_TEMPLATE } from '../../../src/suites/global-opinions/prompts.ts';
import { releaseItems, type GlobalOpinionsRefs } from '../../../src/suites/global-opinions/release.ts';
import { resolveSuiteOptions } from '../../../src/suites/suite.ts';
import { FIXTURES, startDatasetHost } from '../../helpers/fixture-hosts.ts';
import type { FixtureServer } from '../../helpers/fixture-server.ts';

const CSV_PATH = `${FIXTURES}/global-opinions/data/global_opinions.csv`;
const csvBytes = () => new Uint8Array(readFileSync(CSV_PATH));
const OFFLINE = 'http://127.0.0.1:9';
const context = (overrides: Partial<DataSourceContext> = {}): DataSourceContext => ({
  hubHost: OFFLINE,
  githubRawHost: OFFLINE,
  fetchBytes: (url) => fetchWithProgress(url),
  ...overrides,
});
const refs = (item: Item) => item.refs as unknown as GlobalOpinionsRefs;
const fixture = async () => releaseItems(await readTable('global_opinions.csv', csvBytes()), 'global_opinions.csv');
const byQuestion = (items: Item[], start: string) => items.find((i) => i.question.startsWith(start))!;

/** A one-row CSV in the release's format (papaparse quotes as pandas does). */
function csv(rows: Array<[string, string, string, string]>): Table {
  const text = Papa.unparse({ fields: ['question', 'selections', 'options', 'source'], data: rows });
  return { columns: ['question', 'selections', 'options', 'source'], rows: Papa.parse<Record<string, unknown>>(text, { header: true }).data };
}

describe('GlobalOpinionQA rows to items: the tricky fixture rows', () => {
  it('one item per row with a question; the empty question and the all-zero question are skipped and counted', async () => {
    const { items, counts, notes } = await fixture();
    expect(counts.rows).toBe(29);
    expect(counts.emptyQuestion).toBe(1);
    expect(counts.noCountry).toBe(1); // "criticise the courts": Brazil and Mexico all zero
    expect(counts.zeroEntries).toBe(3); // Germany, Brazil, Mexico
    expect(items).toHaveLength(27);
    expect(new Set(items.map((i) => i.id)).size).toBe(27);
    expect(notes.join('\n')).toMatch(/1 row\(s\) with an empty question skipped/);
    expect(items.some((i) => i.question.startsWith('Should people be free to criticise'))).toBe(false);
  });

  it('reads an apostrophe inside a double-quoted option, and both quote kinds in one option', async () => {
    const { items } = await fixture();
    const wvs = byQuestion(items, 'How important is keeping up family traditions');
    expect(wvs.options).toEqual(['Very important', 'Rather important', 'Not very important', 'Not at all important', "Don't know", 'No answer']);
    expect(wvs.fixedTail).toBe(2);
    const phrase = byQuestion(items, 'Which phrase best matches your view');
    expect(phrase.question).toBe('Which phrase best matches your view, "fair share" or "fair chance"?');
    expect(phrase.options).toEqual(['Fair share', 'Fair chance', 'The phrase "fair share" doesn\'t apply', "Don't know"]);
    expect(phrase.fixedTail).toBe(1);
    expect(Object.keys(refs(phrase).countries)).toEqual(["Côte d'Ivoire", 'Japan', 'Turkey']);
  });

  it('DK/Refused trails every GAS question; "(VOL)" answers stay substantive', async () => {
    const { items } = await fixture();
    for (const item of items.filter((i) => i.meta.source === 'GAS')) expect(item.options.at(-1)).toBe('DK/Refused');
    expect(items.filter((i) => i.meta.source === 'GAS').every((i) => i.fixedTail === 1)).toBe(true);
    const vol = byQuestion(items, 'Which matters more for getting ahead');
    expect(vol.options).toEqual(['Hard work', 'Knowing the right people', 'Both equally (VOL)', 'DK/Refused']);
    expect(vol.fixedTail).toBe(1);
    expect(['DK/Refused', "Don't know", 'Don’t know', 'No answer', 'Refused', 'Refused (VOL)', "Don't know/Refused"].every(isNonSubstantive)).toBe(true);
    expect(['Both equally (VOL)', 'No', 'Know'].some(isNonSubstantive)).toBe(false);
    expect(nonSubstantiveTail(['DK/Refused', 'No answer'])).toBe(1); // never every option
  });

  it('renormalises shares that do not sum to 1; keys countries by the raw label; skips an all-zero entry', async () => {
    const { items } = await fixture();
    const phrase = refs(byQuestion(items, 'Which phrase best matches your view'));
    // Turkey [0.5, 0.3, 0.1, 0.0] sums to 0.9
    phrase.countries.Turkey!.forEach((x, i) => expect(x).toBeCloseTo([5 / 9, 3 / 9, 1 / 9, 0][i]!, 15));
    const prices = refs(byQuestion(items, 'Do you expect prices'));
    // Côte d'Ivoire [0.33, 0.33, 0.33, 0, 0] sums to 0.99
    prices.countries["Côte d'Ivoire"]!.forEach((x, i) => expect(x).toBeCloseTo([1 / 3, 1 / 3, 1 / 3, 0, 0][i]!, 15));
    const assemblies = refs(byQuestion(items, "How much say should citizens' assemblies"));
    expect(Object.keys(assemblies.countries)).toEqual(['Canada', 'India', 'United States']);
    expect(assemblies.skipped).toEqual(['Germany']);
    // GAS shares are rounded to 2 decimals: every stored distribution sums to 1.
    for (const item of items) for (const shares of Object.values(refs(item).countries)) expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const countries = new Set(items.flatMap((i) => Object.keys(refs(i).countries)));
    expect(countries.size).toBe(12);
  });

  it('keeps source and row index as meta', async () => {
    const { items } = await fixture();
    expect(items[0]!.meta).toEqual({ source: 'WVS', row: 1 });
    expect(byQuestion(items, 'Do you expect prices').meta).toEqual({ source: 'GAS', row: 29 });
    expect(new Set(items.map((i) => i.meta.source))).toEqual(new Set(['WVS', 'GAS']));
  });

  it('a shares list whose length differs from the options: an error naming the row and country', () => {
    const table = csv([
      ['Fine?', "defaultdict(<class 'list'>, {'Kenya': [0.5, 0.5]})", "['Yes', 'No']", 'GAS'],
      ['Short?', "defaultdict(<class 'list'>, {'Kenya': [0.5, 0.5], \"Côte d'Ivoire\": [0.2, 0.3, 0.5]})", "['Yes', 'No']", 'GAS'],
    ]);
    expect(() => releaseItems(table, 'bad.csv')).toThrow(/bad\.csv: row 2, country "Côte d'Ivoire": 3 shares for 2 options/);
  });

  it('unreadable reprs and negative shares: errors naming the row', () => {
    expect(() => releaseItems(csv([['Q?', "{'Kenya': [0.5, 0.5]", "['Yes', 'No']", 'GAS']]), 'bad.csv')).toThrow(
      /bad\.csv: row 1: the "selections" cell is not a readable Python literal/,
    );
    expect(() => releaseItems(csv([['Q?', "{'Kenya': [0.5, 0.5]}", "['Yes', No]", 'GAS']]), 'bad.csv')).toThrow(/row 1: the "options" cell/);
    expect(() => releaseItems(csv([['Q?', "{'Kenya': [1.5, -0.5]}", "['Yes', 'No']", 'GAS']]), 'bad.csv')).toThrow(/row 1, country "Kenya": share 2 is negative/);
    expect(() => releaseItems(csv([['Q?', "{'Kenya': [1.0]}", "['Yes']", 'GAS']]), 'bad.csv')).toThrow(/at least two/);
    const missing = { columns: ['question', 'options', 'source'], rows: [] };
    expect(() => releaseItems(missing, 'bad.csv')).toThrow(/bad\.csv is missing column "selections"/);
  });

  it('a non-finite share (nan) skips that entry and counts it', () => {
    const { items, counts } = releaseItems(csv([['Q?', "{'Kenya': [nan, 0.5], 'Peru': [0.25, 0.75]}", "['Yes', 'No']", 'GAS']]), 'x.csv');
    expect(counts.nonFiniteEntries).toBe(1);
    expect(refs(items[0]!)).toEqual({ countries: { Peru: [0.25, 0.75] }, skipped: ['Kenya'] });
  });

  it('our prompt: the question and lettered options', async () => {
    const { items } = await fixture();
    const rendered = renderPrompt(GLOBAL_OPINIONS_TEMPLATE, byQuestion(items, 'Should your country do more'));
    expect(rendered.user).toBe('Should your country do more to cut air pollution, even if it costs some jobs?\nA. Yes\nB. No\nC. DK/Refused\nAnswer with the letter of your choice.');
    expect(rendered.system).toBeUndefined();
  });
});

describe('the global-opinions suite loads from the Hub layout', () => {
  let host: FixtureServer;
  beforeAll(async () => {
    host = await startDatasetHost();
  });
  afterAll(async () => {
    await host.close();
  });

  it('downloads data/global_opinions.csv and records provenance', async () => {
    const loaded = await globalOpinionsSuite.load(resolveSuiteOptions(globalOpinionsSuite, {}), context({ hubHost: host.url }));
    expect(loaded.items).toHaveLength(27);
    expect(loaded.data.source).toBe('hf:Anthropic/llm_global_opinions');
    expect(loaded.data.licence).toMatch(/CC-BY-NC-SA/);
    expect(loaded.data.citation).toMatch(/Towards Measuring the Representation of Subjective Global Opinions/);
    expect(loaded.data.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(host.requests.map((r) => r.path)).toContain('/datasets/Anthropic/llm_global_opinions/resolve/main/data/global_opinions.csv');
    const fromFile = await globalOpinionsSuite.load(resolveSuiteOptions(globalOpinionsSuite, {}), context({ userFile: userFileFromBytes('global_opinions.csv', csvBytes()) }));
    expect(fromFile.items).toEqual(loaded.items);
  });

  it('persona=CIV: only that country\'s questions, our system prompt, ids marked with the persona', async () => {
    const all = await globalOpinionsSuite.load(resolveSuiteOptions(globalOpinionsSuite, {}), context({ hubHost: host.url }));
    const loaded = await globalOpinionsSuite.load(resolveSuiteOptions(globalOpinionsSuite, { persona: 'CIV' }), context({ hubHost: host.url }));
    const expected = all.items.filter((i) => "Côte d'Ivoire" in refs(i).countries);
    expect(loaded.items).toHaveLength(expected.length);
    expect(loaded.items.map((i) => i.meta.baseId)).toEqual(expected.map((i) => i.id));
    expect(loaded.items.every((i) => i.id.endsWith('~CIV') && i.system!.includes("Côte d'Ivoire"))).toBe(true);
    expect(loaded.notes.join('\n')).toMatch(new RegExp(`persona Côte d'Ivoire \\(CIV\\): ${expected.length} of 27 questions`));
  });

  it('an unknown persona country, or one with no questions, is a clear error', async () => {
    await expect(globalOpinionsSuite.load(resolveSuiteOptions(globalOpinionsSuite, { persona: 'XYZ' }), context({ hubHost: host.url }))).rejects.toMatchObject({
      name: 'CountryResolutionError',
    });
    await expect(globalOpinionsSuite.load(resolveSuiteOptions(globalOpinionsSuite, { persona: 'FRA' }), context({ hubHost: host.url }))).rejects.toThrow(
      /no question in .* has answers from France \(FRA\)/,
    );
  });
});
