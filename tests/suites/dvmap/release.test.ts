import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/core/items/item.ts';
import { renderPrompt } from '../../../src/core/prompts/template.ts';
import { readArrowTable, readTableOrArrow } from '../../../src/sources/formats/arrow.ts';
import { readTable, type Row, type Table } from '../../../src/sources/formats/table.ts';
import { fetchWithProgress, userFileFromBytes, type DataSourceContext } from '../../../src/sources/source.ts';
import { dvmapSuite } from '../../../src/suites/dvmap/definition.ts';
import { buildMajorityTable, majorityCounts, majorityPrediction } from '../../../src/suites/dvmap/majority.ts';
import { DIRECT_TEMPLATE, REASONING_TEMPLATE } from '../../../src/suites/dvmap/prompts.ts';
import { releaseItems, type DvmapRefs } from '../../../src/suites/dvmap/release.ts';
import { resolveSuiteOptions } from '../../../src/suites/suite.ts';
import { FIXTURES, startDatasetHost } from '../../helpers/fixture-hosts.ts';
import type { FixtureServer } from '../../helpers/fixture-server.ts';

const CORPUS = `${FIXTURES}/dvmap/Demographic_Value_Alignment/DVMap_Corpus`;
const BENCHMARK = `${FIXTURES}/dvmap/Triple-Generalization_Evaluation_Benchmark`;
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));
const fileOf = (path: string) => userFileFromBytes(path.split('/').pop()!, bytesOf(path));
const OFFLINE = 'http://127.0.0.1:9';

function context(overrides: Partial<DataSourceContext> = {}): DataSourceContext {
  return { hubHost: OFFLINE, githubRawHost: OFFLINE, fetchBytes: (url) => fetchWithProgress(url), ...overrides };
}

const options = (given: Record<string, string> = {}) => resolveSuiteOptions(dvmapSuite, given);
const refs = (item: Item) => item.refs as unknown as DvmapRefs;

/** Rows per split in the fixtures (tests/fixtures/README.md). */
const SIZES = { test: 130, dev: 50, 'cross-demographic': 104, 'cross-country': 60, 'cross-value': 45 } as const;

describe('the dvmap suite loads every split from the GitHub layout', () => {
  let host: FixtureServer;
  beforeAll(async () => {
    host = await startDatasetHost();
  });
  afterAll(async () => {
    await host.close();
  });

  it.each(Object.entries(SIZES))('%s: %i items, gold among the options, all 11 attributes in meta', async (split, size) => {
    const loaded = await dvmapSuite.load(options({ split }), context({ githubRawHost: host.url }));
    expect(loaded.items).toHaveLength(size);
    expect(new Set(loaded.items.map((i) => i.id)).size).toBe(size);
    expect(loaded.data.source).toBe('github:EnlightenedAI/DVMap');
    expect(loaded.data.revision).toBe('main');
    expect(loaded.data.licence).toMatch(/no licence file/);
    expect(loaded.data.citation).toMatch(/arXiv:2605\.14420/);
    for (const item of loaded.items) {
      const { gold, k } = refs(item);
      expect(k).toBe(item.options.length);
      expect(gold).toBeGreaterThanOrEqual(0);
      expect(gold).toBeLessThan(k);
      for (const key of ['qid', 'category', 'country', 'gender', 'maritalStatus', 'hasChildren', 'education', 'occupation', 'workNature', 'religion', 'lifeStage', 'income', 'language']) {
        expect(typeof item.meta[key], key).toBe('string');
      }
      expect(item.system).toMatch(/The person:/); // the default direct prompt
    }
    // A model run does not read the corpus train split (only baseline:majority does).
    expect(loaded.notes.join('\n')).not.toMatch(/train split/);
  });

  it('reads the benchmark through state.json and the Arrow IPC stream, and records the files', async () => {
    const before = host.requests.length;
    const loaded = await dvmapSuite.load(options({ split: 'cross-value' }), context({ githubRawHost: host.url }));
    const paths = host.requests.slice(before).map((r) => r.path);
    expect(paths).toContain('/EnlightenedAI/DVMap/main/Triple-Generalization_Evaluation_Benchmark/Cross-Value/state.json');
    expect(paths).toContain('/EnlightenedAI/DVMap/main/Triple-Generalization_Evaluation_Benchmark/Cross-Value/data-00000-of-00001.arrow');
    expect(paths).not.toContain('/EnlightenedAI/DVMap/main/Demographic_Value_Alignment/DVMap_Corpus/train.parquet');
    expect(loaded.data.files.map((f) => f.path.split('/').pop())).toEqual(['data-00000-of-00001.arrow']);
    // A baseline:majority run reads the corpus train split too, from the same host, and records it.
    const before2 = host.requests.length;
    const withMajority = await dvmapSuite.load(options({ split: 'cross-value' }), context({ githubRawHost: host.url, baseline: 'majority' }));
    expect(host.requests.slice(before2).map((r) => r.path)).toContain('/EnlightenedAI/DVMap/main/Demographic_Value_Alignment/DVMap_Corpus/train.parquet');
    expect(withMajority.data.files.map((f) => f.path.split('/').pop())).toEqual(['data-00000-of-00001.arrow', 'train.parquet']);
    expect(withMajority.notes.join('\n')).toMatch(/counts 350 rows of the corpus train split \(10 countries\)/);
    expect(new Set(loaded.items.map((i) => i.meta.qid))).toEqual(new Set(['Q8', 'Q61', 'Q70']));
    // ISO3 codes for the map: every fixture country resolves.
    expect(loaded.items.every((i) => typeof i.meta.iso3 === 'string' && /^[A-Z]{3}$/.test(i.meta.iso3))).toBe(true);
  });

  it('gives the same items from a user file (Parquet, Arrow or JSON lines) as from the repository', async () => {
    const remote = await dvmapSuite.load(options({ split: 'cross-demographic' }), context({ githubRawHost: host.url }));
    const arrow = await dvmapSuite.load(
      options({ split: 'cross-demographic' }),
      context({ githubRawHost: host.url, userFile: fileOf(`${BENCHMARK}/Cross-Demographic/data-00000-of-00001.arrow`) }),
    );
    expect(arrow.items).toEqual(remote.items);
    expect(arrow.data.source).toBe('file:data-00000-of-00001.arrow');
    // The same rows as JSON lines.
    const table = readArrowTable('x.arrow', bytesOf(`${BENCHMARK}/Cross-Demographic/data-00000-of-00001.arrow`));
    const jsonl = new TextEncoder().encode(table.rows.map((r) => JSON.stringify(r)).join('\n'));
    const fromJsonl = await dvmapSuite.load(options({ split: 'cross-demographic' }), context({ githubRawHost: host.url, userFile: userFileFromBytes('cd.jsonl', jsonl) }));
    expect(fromJsonl.items).toEqual(remote.items);
  });
});

describe('DVMap rows to items', () => {
  it('reads Parquet and Arrow into the same columns (the benchmark has no data_source)', async () => {
    const parquet = await readTable('test.parquet', bytesOf(`${CORPUS}/test.parquet`));
    const arrow = await readTableOrArrow('data.arrow', bytesOf(`${BENCHMARK}/Cross-Country/data-00000-of-00001.arrow`));
    expect(arrow.columns).toEqual(parquet.columns.filter((c) => c !== 'data_source'));
    expect(typeof arrow.rows[0]!.frequency).toBe('number');
    expect(typeof parquet.rows[0]!.frequency).toBe('number');
    // The Arrow reader recognises a stream by its bytes too.
    expect((await readTableOrArrow('no-extension', bytesOf(`${BENCHMARK}/Cross-Country/data-00000-of-00001.arrow`))).rows).toHaveLength(60);
  });

  it('keeps the release\'s prompt verbatim, leading newline and indentation included', async () => {
    const table = await readTable('test.parquet', bytesOf(`${CORPUS}/test.parquet`));
    const raw = '\n                You are playing the role of someone.\n            **Question**: Q?\n            ';
    const patched = { ...table, rows: table.rows.map((r, i) => (i === 0 ? { ...r, prompt: raw } : r)) };
    const { items } = releaseItems(patched, { split: 'test', source: 't', prompt: 'reasoning' });
    expect(renderPrompt(REASONING_TEMPLATE, items[0]!).user).toBe(raw);
    const blank = { ...table, rows: table.rows.map((r, i) => (i === 0 ? { ...r, prompt: '  \n ' } : r)) };
    expect(() => releaseItems(blank, { split: 'test', source: 't', prompt: 'reasoning' })).toThrow(/row 1 \(Q\d+\) has an empty "prompt"/);
  });

  it('builds items: options from the known list, gold = index of the answer, a stable id', async () => {
    const table = await readTable('test.parquet', bytesOf(`${CORPUS}/test.parquet`));
    const { items, notes } = releaseItems(table, { split: 'test', source: 'test.parquet', prompt: 'direct' });
    const row = table.rows[0]!;
    const item = items[0]!;
    expect(item.options.join(', ')).toBe(row.Options);
    expect(item.options[refs(item).gold]).toBe(row.answer);
    expect(item.meta.qid).toBe(row.Q_id);
    expect(item.meta.income).toBe(row['Income Bracket']);
    expect(notes.join('\n')).not.toMatch(/split at/); // every fixture question has a known list
    // Ids depend on the split, the profile and the question, not on the prompt option.
    const again = releaseItems(table, { split: 'test', source: 'elsewhere', prompt: 'reasoning' }).items;
    expect(again.map((i) => i.id)).toEqual(items.map((i) => i.id));
    const asDev = releaseItems(table, { split: 'dev', source: 'x', prompt: 'direct' }).items;
    expect(asDev[0]!.id).not.toBe(item.id);
  });

  it('renders the release\'s prompt verbatim for prompt=reasoning, and our profile prompt for direct', async () => {
    const table = await readTable('test.parquet', bytesOf(`${CORPUS}/test.parquet`));
    const reasoning = releaseItems(table, { split: 'test', source: 'test.parquet', prompt: 'reasoning' }).items;
    const rendered = renderPrompt(REASONING_TEMPLATE, reasoning[3]!);
    expect(rendered.user).toBe(table.rows[3]!.prompt);
    // The release's evaluation script sends a format instruction as the system message.
    expect(rendered.system).toBe('Respond in the following format:\n<reasoning>\n ...\n</reasoning>\n<answer>\n  ...\n</answer>');
    const direct = releaseItems(table, { split: 'test', source: 'test.parquet', prompt: 'direct' }).items;
    const d = renderPrompt(DIRECT_TEMPLATE, direct[3]!);
    expect(d.system).toContain(`- lives in: ${table.rows[3]!.Country}`);
    expect(d.system).toContain(`- religious denomination: ${table.rows[3]!.Religion}`);
    expect(d.user).toBe(`${table.rows[3]!.Question}\n${direct[3]!.options.map((o, i) => `${'ABCD'[i]}. ${o}`).join('\n')}\nAnswer with the letter of your choice.`);
    expect(dvmapSuite.defaults({ prompt: 'reasoning' })).toEqual({ mode: 'generate', parser: 'dvmap-release', maxNewTokens: 1024 });
    expect(dvmapSuite.defaults({ prompt: 'direct' }).mode).toBe('likelihood');
  });

  it('writes "not stated" for the release\'s "Not Answered"', async () => {
    const table = await readTable('test.parquet', bytesOf(`${CORPUS}/test.parquet`));
    const { items } = releaseItems(table, { split: 'test', source: 't', prompt: 'direct' });
    const unanswered = items.find((i) => i.meta.maritalStatus === 'Not Answered');
    expect(unanswered).toBeDefined();
    expect(unanswered!.system).toContain('- marital status: not stated');
  });

  describe('malformed input gives specific errors', () => {
    const base = async (): Promise<Table> => readTable('test.parquet', bytesOf(`${CORPUS}/test.parquet`));
    const withRow = (table: Table, r: number, patch: Row): Table => ({ ...table, rows: table.rows.map((row, i) => (i === r ? { ...row, ...patch } : row)) });

    it('a missing column', async () => {
      const table = await base();
      const dropped = { columns: table.columns.filter((c) => c !== 'Income Bracket'), rows: table.rows };
      expect(() => releaseItems(dropped, { split: 'test', source: 'bad.parquet', prompt: 'direct' })).toThrow(/bad\.parquet is missing column "Income Bracket"/);
      const noPrompt = { columns: table.columns.filter((c) => c !== 'prompt'), rows: table.rows };
      expect(() => releaseItems(noPrompt, { split: 'test', source: 'bad.parquet', prompt: 'direct' })).not.toThrow();
      expect(() => releaseItems(noPrompt, { split: 'test', source: 'bad.parquet', prompt: 'reasoning' })).toThrow(/missing column "prompt"/);
    });

    it('an answer that is not among the options', async () => {
      const table = withRow(await base(), 6, { answer: 'Somewhat important' });
      expect(() => releaseItems(table, { split: 'test', source: 'bad.parquet', prompt: 'direct' })).toThrow(
        /bad\.parquet: row 7 \(Q\d+\): the answer "Somewhat important" is not among its options "/,
      );
    });

    it('an Options string that cannot be split', async () => {
      const table = withRow(await base(), 2, { Q_id: 'Q900', Options: 'Yes, No, Yes', answer: 'No' });
      expect(() => releaseItems(table, { split: 'test', source: 'bad.parquet', prompt: 'direct' })).toThrow(/row 3 \(Q900\): the "Options" value .*"Yes" occurs twice/);
    });

    it('an empty question id', async () => {
      const table = withRow(await base(), 0, { Q_id: null });
      expect(() => releaseItems(table, { split: 'test', source: 'bad.parquet', prompt: 'direct' })).toThrow(/row 1 has an empty "Q_id"/);
    });

    it('through the suite, as a DatasetError (a user file)', async () => {
      const table = withRow(await base(), 0, { answer: 'Nope' });
      const jsonl = new TextEncoder().encode(table.rows.map((r) => JSON.stringify(r)).join('\n'));
      await expect(dvmapSuite.load(options(), context({ userFile: userFileFromBytes('bad.jsonl', jsonl) }))).rejects.toMatchObject({
        name: 'DatasetError',
        message: expect.stringMatching(/bad\.jsonl: row 1 .*"Nope" is not among its options/),
      });
    });
  });

  it('keeps a repeated profile and question as two items with distinct ids', async () => {
    const table = await readTable('test.parquet', bytesOf(`${CORPUS}/test.parquet`));
    const doubled = { ...table, rows: [...table.rows, table.rows[0]!] };
    const { items, notes } = releaseItems(doubled, { split: 'test', source: 't', prompt: 'direct' });
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(notes.join('\n')).toMatch(/1 rows repeat/);
  });
});

describe('baseline:majority', () => {
  let host: FixtureServer;
  let train: Table;
  beforeAll(async () => {
    host = await startDatasetHost();
    train = await readTable('train.parquet', bytesOf(`${CORPUS}/train.parquet`));
  });
  afterAll(async () => {
    await host.close();
  });

  /** Independent reference: the most frequent training answer of (country, question), ties to the earliest option. */
  function reference(item: Item, pooled: boolean): number | null {
    const counts = item.options.map(
      (o) => train.rows.filter((r) => r.Q_id === item.meta.qid && (pooled || r.Country === item.meta.country) && r.answer === o).length,
    );
    if (counts.every((c) => c === 0)) return null;
    return counts.indexOf(Math.max(...counts));
  }
  const predicted = (d: number[] | null) => (d === null ? null : d.indexOf(1));

  it.each(['test', 'dev', 'cross-demographic'])('%s: the majority of the same country\'s training answers', async (split) => {
    const loaded = await dvmapSuite.load(options({ split }), context({ githubRawHost: host.url, baseline: 'majority' }));
    const majority = loaded.baselines!.majority!;
    for (const item of loaded.items) {
      const d = majority(item);
      expect(d).not.toBeNull();
      expect(d!.reduce((a, b) => a + b, 0)).toBe(1);
      expect(predicted(d)).toBe(reference(item, false));
    }
  });

  it('cross-country: pooled over the training countries (the country is unseen)', async () => {
    const loaded = await dvmapSuite.load(options({ split: 'cross-country' }), context({ githubRawHost: host.url, baseline: 'majority' }));
    const table = buildMajorityTable(train, 'train.parquet');
    for (const item of loaded.items) {
      expect(majorityCounts(table, item).scope).toBe('pooled');
      expect(predicted(loaded.baselines!.majority!(item))).toBe(reference(item, true));
    }
  });

  it('cross-value: N/A (null) for every item (the question is unseen)', async () => {
    const loaded = await dvmapSuite.load(options({ split: 'cross-value' }), context({ githubRawHost: host.url, baseline: 'majority' }));
    expect(loaded.items.map((i) => loaded.baselines!.majority!(i)).every((d) => d === null)).toBe(true);
  });

  it('uses a train file given by role instead of downloading', async () => {
    const loaded = await dvmapSuite.load(
      options(),
      context({ userFile: fileOf(`${CORPUS}/test.parquet`), extraFiles: { train: fileOf(`${CORPUS}/train.parquet`) }, baseline: 'majority' }),
    );
    expect(loaded.notes.join('\n')).toMatch(/counts 350 training rows from train\.parquet/);
    expect(loaded.data.files.map((f) => f.path)).toEqual(['test.parquet', 'train.parquet']);
    expect(predicted(loaded.baselines!.majority!(loaded.items[0]!))).toBe(reference(loaded.items[0]!, false));
  });

  it('without a reachable train split, the run still loads and the baseline explains itself', async () => {
    const loaded = await dvmapSuite.load(options(), context({ userFile: fileOf(`${CORPUS}/test.parquet`), baseline: 'majority' }));
    expect(loaded.items).toHaveLength(130);
    expect(loaded.notes.join('\n')).toMatch(/baseline:majority is unavailable/);
    expect(() => loaded.baselines!.majority!(loaded.items[0]!)).toThrow(/--file train=/);
  });

  it('ties go to the earliest option', () => {
    const tied: Table = {
      columns: ['Q_id', 'Country', 'answer'],
      rows: [
        { Q_id: 'Q46', Country: 'Japan', answer: 'Rather happy' },
        { Q_id: 'Q46', Country: 'Japan', answer: 'Very happy' },
      ],
    };
    const item = { options: ['Very happy', 'Rather happy', 'Not very happy', 'Not at all happy'], meta: { qid: 'Q46', country: 'Japan' } };
    expect(majorityCounts(buildMajorityTable(tied, 't'), item)).toEqual({ counts: [1, 1, 0, 0], scope: 'country' });
    expect(majorityPrediction(buildMajorityTable(tied, 't'), item)).toEqual([1, 0, 0, 0]);
  });
});
