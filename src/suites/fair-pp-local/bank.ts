/**
 * Pluralscope's own FAIR-SP question bank ("pluralscope-local"): every (topic, group, dimension)
 * asked in two phrasings with the project's templates (static-data/fair-pp/local-templates.json),
 * 98 x 29 x 5 x 2 = 28,420 items. It works offline and is the bank for anchors the user generates;
 * it is labelled as ours and never scored together with the official release's questions.
 *
 * Order (fixed, the release's own generation order): theme, category, topic (taxonomy order),
 * then group (taxonomy order: Gender, Race, Religion, Sexual Orientation, Age, Minority), then
 * dimension 1..5, then phrasing (forward before justification). So item k is
 *   k = ((topicIndex * 29 + groupIndex) * 5 + (dimension - 1)) * 2 + (justification ? 1 : 0).
 *
 * Ids: `itemId(LOCAL_DATASET_ID, LOCAL_SPLIT, fullText)`, where fullText is the stem followed by
 * "\nA. <A>\nB. <B>\nC. N/A" (the shape of the release's Question column). Any edit to a
 * template's wording therefore changes ids, on purpose: answers to different words are different
 * data. Tests pin three ids so such an edit is seen.
 *
 * Speed: hashing dominates the build, so ids come from `sha256-text.ts` (no concatenation, no
 * per-call buffers) rather than `itemId`'s general hasher, and the part of a stem that all five
 * dimensions share (for justification questions, the whole stem) is hashed once per (topic,
 * group) with `Sha256Prefix`. The value is exactly `itemId(LOCAL_DATASET_ID, LOCAL_SPLIT,
 * fullText)`; a test checks that on every item.
 */
import { Sha256Prefix, sha256HexParts } from '../../core/hash/sha256-text.ts';
import type { Item } from '../../core/items/item.ts';
import {
  LOCAL_BANK,
  LOCAL_DATASET_ID,
  LOCAL_SPLIT,
  flatTopics,
  loadLocalTemplates,
  loadTaxonomy,
  perspectiveCode,
  type DimensionId,
  type DimensionTemplate,
  type LocalTemplates,
  type SocialGroup,
  type Taxonomy,
  type FlatTopic,
} from './taxonomy.ts';

export const PHRASINGS = ['forward', 'justification'] as const;
export type Phrasing = (typeof PHRASINGS)[number];

/** Breakdown attributes of a local item. */
export interface LocalItemMeta {
  [key: string]: string | number;
  theme: string;
  themeId: number;
  category: string;
  topic: string;
  group: string;
  groupType: string;
  dimension: DimensionId;
  /** The release's Perspective code "t.d". */
  perspective: string;
  phrasing: Phrasing;
  bank: typeof LOCAL_BANK;
}

export interface LocalItem extends Item {
  meta: LocalItemMeta;
}

/** One rendered question: stem, options (A, B, 'N/A') and the full text the id hashes. */
export interface LocalQuestion {
  stem: string;
  options: [string, string, string];
  fullText: string;
}

const ID_PREFIX = `${LOCAL_DATASET_ID}\u0000${LOCAL_SPLIT}\u0000`;

/** `itemId(LOCAL_DATASET_ID, LOCAL_SPLIT, fullText)`, computed with the fast text hasher. */
export function localItemId(fullText: string): string {
  return sha256HexParts([ID_PREFIX, fullText], 16);
}

/** The full question text: the stem, then one "X. text" line per option. */
export function fullQuestionText(stem: string, options: readonly string[]): string {
  let out = stem;
  options.forEach((option, i) => {
    out += `\n${String.fromCharCode(65 + i)}. ${option}`;
  });
  return out;
}

/**
 * A template split at its placeholders once, so rendering 28,420 questions is string
 * concatenation only. parts alternate literal, name, literal, ..., literal.
 */
interface Compiled {
  parts: string[];
}

function compile(template: string): Compiled {
  return { parts: template.split(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/) };
}

function render(c: Compiled, vars: Readonly<Record<string, string>>): string {
  const { parts } = c;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const value = vars[name];
    if (value === undefined) throw new Error(`template placeholder {${name}} has no value`);
    out += value + parts[i + 1]!;
  }
  return out;
}

/**
 * One phrasing's five stems, split where they stop agreeing: `head` is the longest template text
 * all five dimensions share (cut before any placeholder it would split), `rest[d - 1]` what
 * follows it. Rendered, stem = head + rest. The head is hashed once per (topic, group).
 */
interface CompiledPhrasing {
  head: Compiled;
  rest: Compiled[];
  options: [string, string, string][];
  /** "\nA. ...\nB. ...\nC. N/A" per dimension, appended to the stem for the id. */
  tails: string[];
}

/** The longest common prefix of `texts` that does not end inside a `{placeholder}`. */
function sharedTemplatePrefix(texts: readonly string[]): string {
  const first = texts[0] ?? '';
  let n = 0;
  while (n < first.length && texts.every((t) => t[n] === first[n])) n++;
  if (first.lastIndexOf('{', n - 1) > first.lastIndexOf('}', n - 1)) n = first.lastIndexOf('{', n - 1);
  return first.slice(0, n);
}

function compilePhrasing(ps: readonly DimensionTemplate['forward'][]): CompiledPhrasing {
  const head = sharedTemplatePrefix(ps.map((p) => p.stem));
  const options = ps.map((p): [string, string, string] => [p.options.A, p.options.B, p.options.C]);
  return {
    head: compile(head),
    rest: ps.map((p) => compile(p.stem.slice(head.length))),
    options,
    tails: options.map((o) => fullQuestionText('', o)),
  };
}

/** Everything the renderer needs, compiled once per bank build. */
interface Renderer {
  phrasings: Record<Phrasing, CompiledPhrasing>;
  advantage: Map<string, string>;
}

function makeRenderer(templates: LocalTemplates): Renderer {
  const advantage = new Map<string, string>();
  for (const [topic, form] of Object.entries(templates.topicForms)) {
    advantage.set(topic, render(compile(templates.advantageForms[form].text), { topic }));
  }
  return {
    phrasings: {
      forward: compilePhrasing(templates.templates.map((t) => t.forward)),
      justification: compilePhrasing(templates.templates.map((t) => t.justification)),
    },
    advantage,
  };
}

function varsFor(r: Renderer, topic: string, group: string): Record<string, string> {
  const advantage = r.advantage.get(topic);
  if (advantage === undefined) throw new Error(`topic "${topic}" has no advantage form`);
  return { topic, group, advantage };
}

function renderWith(r: Renderer, topic: string, group: string, dimension: DimensionId, phrasing: Phrasing): LocalQuestion {
  const p = r.phrasings[phrasing];
  const vars = varsFor(r, topic, group);
  const stem = render(p.head, vars) + render(p.rest[dimension - 1]!, vars);
  const options = p.options[dimension - 1]!;
  return { stem, options, fullText: stem + p.tails[dimension - 1]! };
}

/** Renders one question of the local bank (for previews, docs and tests). */
export function renderLocalQuestion(topic: string, group: string, dimension: DimensionId, phrasing: Phrasing): LocalQuestion {
  return renderWith(makeRenderer(loadLocalTemplates()), topic, group, dimension, phrasing);
}

/** The number of items the bank has: topics x groups x dimensions x phrasings. */
export function localBankSize(taxonomy: Taxonomy = loadTaxonomy()): number {
  return flatTopics(taxonomy).length * taxonomy.groups.length * taxonomy.dimensions.length * PHRASINGS.length;
}

function makeItem(t: FlatTopic, g: SocialGroup, dimension: DimensionId, phrasing: Phrasing, stem: string, id: string, options: readonly string[]): LocalItem {
  return {
    id,
    question: stem,
    options: [...options],
    fixedTail: 1,
    meta: {
      theme: t.theme,
      themeId: t.themeId,
      category: t.category,
      topic: t.topic.name,
      group: g.name,
      groupType: g.groupType,
      dimension,
      perspective: perspectiveCode(t.themeId, dimension),
      phrasing,
      bank: LOCAL_BANK,
    },
    refs: {},
  };
}

/**
 * Builds the whole local bank, deterministically, in the order documented above. A fresh array
 * of fresh items each call (callers may attach refs). Synchronous and DOM-free: runs in a Worker.
 */
export function buildLocalBank(): LocalItem[] {
  const taxonomy = loadTaxonomy();
  const r = makeRenderer(loadLocalTemplates());
  const items: LocalItem[] = [];
  const dimensions = taxonomy.dimensions.map((d) => d.id as DimensionId);
  const heads = { forward: '', justification: '' };
  const hashed = { forward: new Sha256Prefix(), justification: new Sha256Prefix() };
  for (const t of flatTopics(taxonomy)) {
    for (const g of taxonomy.groups) {
      const vars = varsFor(r, t.topic.name, g.name);
      // Each phrasing's shared head is rendered and hashed once per (topic, group); each
      // dimension then hashes only what follows it (for justification stems, the options).
      heads.forward = render(r.phrasings.forward.head, vars);
      heads.justification = render(r.phrasings.justification.head, vars);
      hashed.forward.set([ID_PREFIX, heads.forward]);
      hashed.justification.set([ID_PREFIX, heads.justification]);
      for (const d of dimensions) {
        for (const phrasing of PHRASINGS) {
          const p = r.phrasings[phrasing];
          const rest = render(p.rest[d - 1]!, vars);
          const id = hashed[phrasing].hex([rest, p.tails[d - 1]!], 16);
          items.push(makeItem(t, g, d, phrasing, heads[phrasing] + rest, id, p.options[d - 1]!));
        }
      }
    }
  }
  return items;
}
