import { readFileSync } from 'node:fs';
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { renderPrompt } from '../../../src/core/prompts/template.ts';
import { readTable } from '../../../src/sources/formats/table.ts';
import { OFFICIAL_EVAL_TEMPLATE } from '../../../src/suites/fair-pp/prompts.ts';
import { releaseItems } from '../../../src/suites/fair-pp/release.ts';
import { fairPpSuite } from '../../../src/suites/fair-pp/definition.ts';
import { splitQuestionText } from '../../../src/suites/fair-pp/question-text.ts';
import { resolveSuiteOptions } from '../../../src/suites/suite.ts';
import type { DataSourceContext } from '../../../src/sources/source.ts';
import { fetchWithProgress, userFileFromBytes } from '../../../src/sources/source.ts';
import { FIXTURES, startDatasetHost } from '../../helpers/fixture-hosts.ts';
import type { FixtureServer } from '../../helpers/fixture-server.ts';

const file = (path: string) => ({ name: path.split('/').pop()!, bytes: new Uint8Array(readFileSync(`${FIXTURES}/fair-pp/${path}`)) });
const userFile = (path: string) => { const f = file(path); return userFileFromBytes(f.name, f.bytes); };

function context(overrides: Partial<DataSourceContext> = {}): DataSourceContext {
  return {
    hubHost: 'http://127.0.0.1:9/',
    githubRawHost: 'http://127.0.0.1:9/',
    fetchBytes: (url) => fetchWithProgress(url),
    ...overrides,
  };
}

describe('Fair-PP release adapter', () => {
  it('splits the question text into stem and options', () => {
    expect(splitQuestionText('Which is fairer?\nA. One way\nB. Another\nC. N/A')).toEqual({ stem: 'Which is fairer?', options: ['One way', 'Another', 'N/A'] });
    expect(splitQuestionText('No options here')).toBeNull();
    expect(splitQuestionText('Bad order\nB. x\nA. y')).toBeNull();
  });

  it('reads the test split in all three formats into the same items', async () => {
    const ids = [];
    for (const name of ['test.parquet', 'test.csv', 'test.jsonl']) {
      const f = file(name);
      const { items } = releaseItems(await readTable(f.name, f.bytes), 'test', f.name);
      expect(items).toHaveLength(120);
      ids.push(items.map((i) => [i.id, i.refs]));
    }
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
  });

  it('reproduces the release\'s evaluation prompt text exactly', async () => {
    const f = file('test.parquet');
    const table = await readTable(f.name, f.bytes);
    const { items } = releaseItems(table, 'test', f.name);
    items.forEach((item, r) => {
      const rendered = renderPrompt(OFFICIAL_EVAL_TEMPLATE, item);
      expect(rendered.user).toBe(`${table.rows[r]!.Question}\nDirectly select your option without explanation.`);
      expect(rendered.system).toBeUndefined();
    });
  });

  it('keeps the taxonomy as breakdown attributes and marks justification questions', async () => {
    const f = file('test.parquet');
    const { items } = releaseItems(await readTable(f.name, f.bytes), 'test', f.name);
    const justification = items.filter((i) => i.meta.phrasing === 'justification');
    expect(justification).toHaveLength(54); // fixtures/data/fair-pp/expected.json: justification_rows
    expect(new Set(items.map((i) => i.meta.dimension))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(items[0]!.fixedTail).toBe(1);
  });

  it.each([
    ['malformed/missing-column.parquet', /missing the anchor column "gpt-4o-mini_role_4_answer"/],
    ['malformed/bad-answer-code.parquet', /wrong answer coding: column "gpt-4o-mini_role_\d_answer" row \d+ holds 5/],
    ['malformed/duplicate-question.parquet', /rows 4 and \d+ hold the same question/],
  ])('rejects %s with a specific error', async (name, message) => {
    const f = file(name);
    const table = await readTable(f.name, f.bytes);
    expect(() => releaseItems(table, 'test', f.name)).toThrow(message);
  });

  it('rejects a question with fewer option lines than the others (the pools add options by position)', async () => {
    const f = file('test.parquet');
    const table = await readTable(f.name, f.bytes);
    const text = String(table.rows[2]!.Question);
    const twoOptions = text.slice(0, text.lastIndexOf('\nC.'));
    expect(splitQuestionText(twoOptions)?.options).toHaveLength(2);
    const rows = table.rows.map((row, r) => (r === 2 ? { ...row, Question: twoOptions, 'gpt-4o-mini_role_1_answer': 0, 'gpt-4o-mini_role_2_answer': 0, 'gpt-4o-mini_role_3_answer': 0, 'gpt-4o-mini_role_4_answer': 0, 'gpt-4o-mini_role_5_answer': 0, 'gpt-4o-mini_role_6_answer': 0, 'gpt-4o-mini_role_7_answer': 0 } : row));
    expect(() => releaseItems({ ...table, rows }, 'test', f.name)).toThrow('row 3\'s "Question" has 2 option lines where row 1 has 3');
  });
});

describe('the fair-pp suite loads from the Hub layout', () => {
  let host: FixtureServer;
  beforeAll(async () => {
    host = await startDatasetHost();
  });
  afterAll(async () => {
    await host.close();
  });

  it('lists the Parquet conversion, downloads it, and records provenance', async () => {
    const loaded = await fairPpSuite.load(resolveSuiteOptions(fairPpSuite, {}), context({ hubHost: host.url }));
    expect(loaded.items).toHaveLength(120);
    expect(loaded.data.source).toBe('hf:tools-o/Fair-PP');
    expect(loaded.data.licence).toMatch(/CC-BY-NC-SA/);
    expect(loaded.data.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(host.requests.map((r) => r.path)).toContain('/api/datasets/tools-o/Fair-PP/parquet/default/test');
  });

  it('loads the scenario set with its own anchors', async () => {
    const loaded = await fairPpSuite.load(resolveSuiteOptions(fairPpSuite, { split: 'simulation' }), context({ hubHost: host.url }));
    expect(loaded.items).toHaveLength(51);
    expect(fairPpSuite.template('generate', { split: 'simulation' }).id).toBe('fair-pp/scenario-eval');
  });

  it('expands role-play: every question under each UK persona', async () => {
    const loaded = await fairPpSuite.load(resolveSuiteOptions(fairPpSuite, { roleplay: 'uk' }), context({ userFile: userFile('test.parquet') }));
    expect(loaded.items).toHaveLength(120 * 7);
    expect(new Set(loaded.items.map((i) => i.meta.persona))).toEqual(new Set(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7']));
    expect(loaded.items.every((i) => (i.system ?? '').length > 100)).toBe(true);
  });
});

describe('fair-pp metadata', () => {
  it('offers exactly the persona sets the static data has', async () => {
    const { ROLEPLAY_CHOICES } = await import('../../../src/suites/fair-pp/meta.ts');
    const { PERSONA_SET_IDS } = await import('../../../src/suites/fair-pp-local/taxonomy.ts');
    expect([...ROLEPLAY_CHOICES]).toEqual(['none', ...PERSONA_SET_IDS]);
  });
});
