/**
 * The local FAIR-SP bank: 28,420 items in the documented order, unique and stable ids (three
 * pinned, so a wording edit that changes ids is seen), every placeholder filled.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { itemId } from '../../../src/core/items/item.ts';
import {
  buildLocalBank,
  fullQuestionText,
  localBankSize,
  localItemId,
  renderLocalQuestion,
  type LocalItem,
} from '../../../src/suites/fair-pp-local/bank.ts';
import { flatTopics, loadTaxonomy } from '../../../src/suites/fair-pp-local/taxonomy.ts';

/**
 * Pinned: id = first 16 hex digits of SHA-256("pluralscope/fair-pp-local\0all\0" + full text),
 * checked independently with Python's hashlib. Changing a template's words changes these on
 * purpose; update them only together with a note that the local bank's ids changed.
 */
const PINNED = [
  {
    index: 0,
    id: 'fd7ae1291d0d0db7',
    text: 'In decisions on food for men, which principle is fairer?\nA. Go by what they have achieved so far\nB. Give every group an equal share\nC. N/A',
  },
  {
    index: 21293,
    id: 'aeae4431ec1f47dd',
    text:
      'Suppose Muslim people are treated more favourably under inheritance tax than other groups. Which explanation of this is fairer?\n' +
      'A. They did better under rules that were the same for everyone\nB. They are at a disadvantage, and this makes up for it\nC. N/A',
  },
  {
    index: 28419,
    id: 'df0d2e514a3d503f',
    text:
      'Suppose environmentalists have better access to accessible public transportation subsidies than other groups. Which explanation of this is fairer?\n' +
      'A. It comes from people\'s sense of moral duty\nB. It is what the law requires\nC. N/A',
  },
];

describe('buildLocalBank', () => {
  let items: LocalItem[];
  let buildMs = 0;
  beforeAll(() => {
    buildLocalBank(); // warm the JIT and the validated-data caches
    const t0 = performance.now();
    items = buildLocalBank();
    buildMs = performance.now() - t0;
  });

  it('has 98 topics x 29 groups x 5 dimensions x 2 phrasings = 28,420 items', () => {
    expect(items).toHaveLength(28_420);
    expect(98 * 29 * 5 * 2).toBe(28_420);
    expect(localBankSize()).toBe(28_420);
  });

  it('builds fast enough for the browser', () => {
    console.info(`local bank: ${items.length} items built in ${buildMs.toFixed(1)} ms`);
    // The target is well under 200 ms on an idle desktop; this bound only catches regressions
    // by an order of magnitude on a loaded CI machine.
    expect(buildMs).toBeLessThan(3000);
  });

  it('has unique ids, each itemId of the full question text', () => {
    expect(new Set(items.map((x) => x.id)).size).toBe(items.length);
    const wrong = items.filter((x) => x.id !== itemId('pluralscope/fair-pp-local', 'all', fullQuestionText(x.question, x.options)));
    expect(wrong).toEqual([]);
  });

  it('keeps three pinned ids (a template edit that changes ids is caught here)', () => {
    for (const pin of PINNED) {
      const item = items[pin.index]!;
      expect(fullQuestionText(item.question, item.options)).toBe(pin.text);
      expect(item.id).toBe(pin.id);
      expect(localItemId(pin.text)).toBe(pin.id);
    }
  });

  it('fills every placeholder', () => {
    const unfilled = items.filter((x) => /[{}]/.test(x.question) || x.options.some((o) => /[{}]/.test(o)));
    expect(unfilled).toEqual([]);
  });

  it('has the item shape: options A, B, N/A with a fixed tail, meta, empty refs', () => {
    const keys = 'bank,category,dimension,group,groupType,perspective,phrasing,theme,themeId,topic';
    const bad = items.filter(
      (x) =>
        x.options.length !== 3 ||
        x.options[2] !== 'N/A' ||
        x.options.some((o) => o.trim() === '') ||
        x.fixedTail !== 1 ||
        Object.keys(x.refs).length !== 0 ||
        'system' in x ||
        Object.keys(x.meta).sort().join(',') !== keys ||
        x.meta.bank !== 'pluralscope-local' ||
        x.meta.perspective !== `${x.meta.themeId}.${x.meta.dimension}` ||
        x.question.startsWith('Suppose ') !== (x.meta.phrasing === 'justification'),
    );
    expect(bad).toEqual([]);
    expect(items[0]).toEqual({
      id: 'fd7ae1291d0d0db7',
      question: 'In decisions on food for men, which principle is fairer?',
      options: ['Go by what they have achieved so far', 'Give every group an equal share', 'N/A'],
      fixedTail: 1,
      meta: {
        theme: 'fair essentials', themeId: 1, category: 'basic material needs', topic: 'food', group: 'men',
        groupType: 'Gender', dimension: 1, perspective: '1.1', phrasing: 'forward', bank: 'pluralscope-local',
      },
      refs: {},
    });
  });

  it('follows the documented order: topic, group, dimension, phrasing', () => {
    const tax = loadTaxonomy();
    const topics = flatTopics(tax);
    const expected: string[] = [];
    topics.forEach((t, ti) => {
      tax.groups.forEach((g, gi) => {
        for (let d = 1; d <= 5; d++) {
          for (const phrasing of ['forward', 'justification'] as const) {
            expected.push([t.theme, t.category, t.topic.name, g.groupType, g.name, d, phrasing].join('|'));
          }
        }
      });
    });
    // The documented index formula, on a few items.
    for (const [ti, gi, d, pi] of [[0, 0, 1, 0], [57, 12, 3, 1], [97, 28, 5, 1]] as const) {
      const item = items[((ti * 29 + gi) * 5 + (d - 1)) * 2 + pi]!;
      expect([item.meta.topic, item.meta.group, item.meta.dimension, item.meta.phrasing]).toEqual([
        topics[ti]!.topic.name, tax.groups[gi]!.name, d, pi ? 'justification' : 'forward',
      ]);
    }
    const actual = items.map((x) => [x.meta.theme, x.meta.category, x.meta.topic, x.meta.groupType, x.meta.group, x.meta.dimension, x.meta.phrasing].join('|'));
    expect(actual).toEqual(expected);
  });

  it('is balanced: every (topic, group) has 10 items, every dimension and phrasing 1/5 and 1/2 of all', () => {
    const count = (key: (x: LocalItem) => string) => {
      const m = new Map<string, number>();
      for (const item of items) m.set(key(item), (m.get(key(item)) ?? 0) + 1);
      return m;
    };
    expect(new Set(count((x) => `${x.meta.topic}|${x.meta.group}`).values())).toEqual(new Set([10]));
    expect([...count((x) => String(x.meta.dimension)).values()]).toEqual([5684, 5684, 5684, 5684, 5684]);
    expect([...count((x) => x.meta.phrasing).values()]).toEqual([14_210, 14_210]);
    expect(count((x) => x.meta.topic).size).toBe(98);
    expect(count((x) => x.meta.group).size).toBe(29);
  });

  it('is deterministic and returns fresh items', () => {
    const again = buildLocalBank();
    expect(again).toEqual(items);
    expect(again[0]).not.toBe(items[0]);
  });

  it('renders one question the same way as the bank', () => {
    const q = renderLocalQuestion('income tax', 'feminists', 4, 'justification');
    expect(q.stem).toBe('Suppose feminists are treated more favourably under income tax than other groups. Which explanation of this is fairer?');
    expect(q.options[2]).toBe('N/A');
    expect(q.fullText).toBe(fullQuestionText(q.stem, q.options));
    const item = items.find((x) => x.meta.topic === 'income tax' && x.meta.group === 'feminists' && x.meta.dimension === 4 && x.meta.phrasing === 'justification')!;
    expect(item.question).toBe(q.stem);
    expect(item.id).toBe(localItemId(q.fullText));
    expect(renderLocalQuestion('running for office', 'teenagers', 2, 'forward').stem).toBe(
      'In decisions on running for office for teenagers, which approach is fairer?',
    );
  });
});
