/**
 * The shipped FAIR-SP taxonomy against SPEC section 1: the release's 98 topic names in its
 * order, 15 categories with their topic counts, 29 groups in 6 types, 5 dimensions.
 */
import { describe, expect, it } from 'vitest';
import taxonomyJson from '../../static-data/fair-pp/taxonomy.json' with { type: 'json' };
import {
  FAIR_SP_COUNTS,
  findGroup,
  findTopic,
  flatTopics,
  loadTaxonomy,
  parseTaxonomy,
  perspectiveCode,
} from '../../src/suites/fair-pp-local/taxonomy.ts';

/** SPEC section 1, "The release's 98 topic names", category by category, verbatim. */
const SPEC_TOPICS: readonly (readonly [string, readonly string[]])[] = [
  ["basic material needs", ["food", "clean water", "energy", "warm clothing", "stable shelter", "proper toilets"]],
  ["basic health needs", ["accessible basic healthcare", "basic sanitation facilities", "routine vaccinations", "public health services", "essential medications", "emergency medical services"]],
  ["basic social services", ["ensured public security", "ensured personal safety", "fire and rescue services", "quality primary education", "accessible public transport", "reliable waste disposal services", "affordable communication"]],
  ["fundamental rights", ["basic law enforcement", "protected fundamental human rights", "right to liberty", "guaranteed freedom of speech", "guaranteed freedom to move", "guaranteed right to own property"]],
  ["education and skills development", ["affordable higher education", "accessible vocational training", "accessible lifelong learning", "scholarship opportunities", "access to digital literacy", "effective career guidance"]],
  ["economic and employment opportunities", ["job access", "promotion opportunities", "capital access", "training grant chance", "business loan access", "startup support entry", "career switch opportunities"]],
  ["political participation opportunities", ["voting right", "campaign volunteer access", "running for office", "policy feedback access", "debate participation opportunities", "petitioning opportunities"]],
  ["work and compensation", ["wages", "bonuses", "overtime pay", "profit sharing", "tips", "commission", "paid time off"]],
  ["social recognition", ["official commendations", "community honors", "leadership acknowledgment", "media shout-outs", "positive feedback", "verbal praise", "thanks letters"]],
  ["reciprocity", ["unemployment benefits", "pensions and retirement support", "disability support and benefits", "emergency relief funds support", "sick pay", "health insurance subsidies", "energy and utility assistance"]],
  ["welfare", ["subsidized childcare services", "social housing support", "elderly care services", "affordable prescription medications", "mental health and counseling services", "domestic violence and crisis shelters", "free legal aid services"]],
  ["tax", ["income tax", "inheritance tax", "luxury tax", "excess wealth tax", "tax on offshore wealth", "carbon and environmental tax"]],
  ["anti-discrimination", ["protection from housing discrimination", "accommodations in public spaces and workplaces", "representation in government and leadership", "culturally inclusive healthcare services", "consideration of caregiving responsibilities in policies", "accessible legal and administrative services", "protection against stigmatization"]],
  ["legal and social justice", ["protection from workplace harassment", "protection from online harassment", "safeguards against exploitative contracts", "protection from unethical debt collection", "protection from predatory financial practices", "consideration for working conditions"]],
  ["public resource equity", ["distribution of public restrooms in underserved areas", "distribution of disaster relief aid", "public housing programs", "equitable access to social benefits", "subsidized eldercare services", "unbiased use of technology", "accessible public transportation subsidies"]],
];

const SPEC_THEMES: readonly (readonly [string, number])[] = [
  ['fair essentials', 4],
  ['fair opportunities', 3],
  ['fair rewards', 2],
  ['fair exchange', 3],
  ['fair treatment', 3],
];

const SPEC_GROUPS: Record<string, string[]> = {
  Gender: ['men', 'women', 'non-binary people'],
  Race: ['White people', 'Asian people', 'African American people', 'American Indian people', 'Latino people'],
  Religion: ['Christian people', 'Buddhist people', 'Hindu people', 'Jewish people', 'Muslim people'],
  'Sexual Orientation': ['heterosexual people', 'homosexual people'],
  Age: ['children', 'teenagers', 'adults', 'elderly people'],
  Minority: [
    '9/11 victims', 'AIDS victims', 'domestic violence victims', 'drug victims', 'war refugees',
    'famine victims', 'people with disabilities', 'Black Lives Matter supporters', 'feminists', 'environmentalists',
  ],
};

const clone = (): any => structuredClone(taxonomyJson);

describe('FAIR-SP taxonomy (static-data/fair-pp/taxonomy.json)', () => {
  const tax = loadTaxonomy();
  const topics = flatTopics(tax);

  it('has the release counts: 5 themes, 15 categories, 98 topics, 29 groups, 5 dimensions', () => {
    const categories = tax.themes.flatMap((t) => t.categories);
    expect(tax.themes).toHaveLength(5);
    expect(categories).toHaveLength(15);
    expect(topics).toHaveLength(98);
    expect(tax.groups).toHaveLength(29);
    expect(tax.dimensions).toHaveLength(5);
    expect(FAIR_SP_COUNTS).toEqual({ themes: 5, categories: 15, topics: 98, groups: 29, dimensions: 5 });
  });

  it('numbers the themes 1..5 in the release order with SPEC’s categories per theme', () => {
    expect(tax.themes.map((t) => [t.name, t.categories.length])).toEqual(SPEC_THEMES);
    expect(tax.themes.map((t) => t.id)).toEqual([1, 2, 3, 4, 5]);
    expect(tax.themes.flatMap((t) => t.categories.map((c) => c.id))).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('has SPEC’s per-category topic counts 6,6,7,6,6,7,6,7,7,7,7,6,7,6,7', () => {
    const counts = tax.themes.flatMap((t) => t.categories.map((c) => c.topics.length));
    expect(counts).toEqual([6, 6, 7, 6, 6, 7, 6, 7, 7, 7, 7, 6, 7, 6, 7]);
    expect(SPEC_TOPICS.map(([, ts]) => ts.length)).toEqual(counts);
  });

  it('has every SPEC topic name exactly once, in SPEC’s category and order', () => {
    const actual = tax.themes.flatMap((t) => t.categories.map((c) => [c.name, c.topics.map((x) => x.name)]));
    expect(actual).toEqual(SPEC_TOPICS);
    const names = topics.map((t) => t.topic.name);
    for (const [, ts] of SPEC_TOPICS) for (const name of ts) expect(names.filter((n) => n === name)).toHaveLength(1);
  });

  it('has the 29 groups in 6 types, in the release’s type order', () => {
    expect(tax.groupTypes).toEqual(Object.keys(SPEC_GROUPS));
    const byType: Record<string, string[]> = {};
    for (const g of tax.groups) (byType[g.groupType] ??= []).push(g.name);
    expect(byType).toEqual(SPEC_GROUPS);
    expect(tax.groups.map((g) => g.groupType)).toEqual(Object.entries(SPEC_GROUPS).flatMap(([type, gs]) => gs.map(() => type)));
  });

  it('has 5 dimensions with the release’s Option values for both poles', () => {
    expect(tax.dimensions.map((d) => d.id)).toEqual([1, 2, 3, 4, 5]);
    expect(tax.dimensions.map((d) => [d.poles.A.releaseOption, d.poles.B.releaseOption])).toEqual([
      ['libertarianism', 'egalitarianism'],
      ['procedural', 'distributive'],
      ['individualism', 'collectivism'],
      ['social norm', 'fairness'],
      ['moral', 'law'],
    ]);
    expect(tax.dimensions[0]!.poles.A.name).toBe('meritocracy');
    for (const d of tax.dimensions) {
      for (const pole of [d.poles.A, d.poles.B]) expect(pole.description).toMatch(/^[A-Z].{20,}\.$/);
    }
  });

  it('maps release spellings to taxonomy entries', () => {
    expect(findTopic(tax, 'tax on Offshore Wealth')?.topic.name).toBe('tax on offshore wealth');
    expect(findTopic(tax, ' Food ')?.category).toBe('basic material needs');
    expect(findTopic(tax, 'public recognition')).toBeUndefined();
    expect(findGroup(tax, '911 victims')?.name).toBe('9/11 victims');
    expect(findGroup(tax, 'white people')?.groupType).toBe('Race');
    expect(findGroup(tax, 'black lives matter supporters')?.name).toBe('Black Lives Matter supporters');
    expect(findGroup(tax, 'Sexual Orientation')).toBeUndefined();
    expect(perspectiveCode(3, 4)).toBe('3.4');
  });

  describe('a malformed edit fails loudly', () => {
    it('accepts the shipped file', () => {
      expect(() => parseTaxonomy(clone())).not.toThrow();
    });
    it('rejects a dropped topic', () => {
      const raw = clone();
      raw.themes[0].categories[0].topics.pop();
      expect(() => parseTaxonomy(raw)).toThrow(/expected 98 topics, found 97/);
    });
    it('rejects a duplicated topic', () => {
      const raw = clone();
      raw.themes[0].categories[0].topics[1] = { name: 'food' };
      expect(() => parseTaxonomy(raw)).toThrow(/topic "food" appears more than once/);
    });
    it('rejects an unknown group type', () => {
      const raw = clone();
      raw.groups[0].groupType = 'Sex';
      expect(() => parseTaxonomy(raw)).toThrow(/groups/);
    });
    it('rejects renumbered dimensions and unknown fields', () => {
      const renumbered = clone();
      renumbered.dimensions[1].id = 3;
      expect(() => parseTaxonomy(renumbered)).toThrow(/dimension .* has id 3, expected 2/);
      const extra = clone();
      extra.themes[0].colour = 'red';
      expect(() => parseTaxonomy(extra)).toThrow();
    });
  });
});
