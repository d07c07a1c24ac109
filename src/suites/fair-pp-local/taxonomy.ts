/**
 * FAIR-SP static data, typed and validated: the taxonomy (themes > categories > topics, social
 * groups, preference dimensions), our persona sets, and our own question templates.
 *
 * The three files live in `static-data/fair-pp/` and are bundled as JSON imports (Vite, tsx and
 * Node all read `with { type: 'json' }`). Each is checked with zod when first used, including
 * the counts the release fixes (5 themes, 15 categories, 98 topics, 29 groups, 5 dimensions), so
 * a malformed edit fails loudly instead of producing a silently smaller bank.
 *
 * Names (topics, groups, poles) are the release's facts; every description, persona prompt and
 * template is the project's own wording (the release is CC-BY-NC-SA and is never copied here).
 */
import { z } from 'zod';
import taxonomyJson from '../../../static-data/fair-pp/taxonomy.json' with { type: 'json' };
import personasJson from '../../../static-data/fair-pp/personas.json' with { type: 'json' };
import templatesJson from '../../../static-data/fair-pp/local-templates.json' with { type: 'json' };

/** Counts fixed by the release (the paper's text says 97 topics and 28 groups; the release has these). */
export const FAIR_SP_COUNTS = { themes: 5, categories: 15, topics: 98, groups: 29, dimensions: 5 } as const;

/** The release's `Group Type` values, in the release's order. */
export const GROUP_TYPES = ['Gender', 'Race', 'Religion', 'Sexual Orientation', 'Age', 'Minority'] as const;

/** Persona sets we ship, and how many segments each has (paper Appendix E and H.2). */
export const PERSONA_SET_SIZES = { uk: 7, us: 7, fr: 6, de: 6, pl: 7 } as const;

/** The local bank's id scheme: `itemId(LOCAL_DATASET_ID, LOCAL_SPLIT, full question text)`. */
export const LOCAL_DATASET_ID = 'pluralscope/fair-pp-local';
export const LOCAL_SPLIT = 'all';
export const LOCAL_BANK = 'pluralscope-local';

/** How a topic is phrased when a group "ends up ahead" on it (justification questions). */
export const ADVANTAGE_FORMS = ['quantity', 'access', 'chances', 'benefit', 'tax'] as const;

const text = z.string().trim().min(1);
const placeholderPattern = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;

/** The placeholder names used in a template text, in order of appearance. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(placeholderPattern)].map((m) => m[1]!);
}

// ---------------------------------------------------------------------------------------------
// Taxonomy

const TopicSchema = z.strictObject({
  /** The release's name (its `Specific Problem`), lower case as SPEC lists it. */
  name: text,
  /** The exact release string where it differs from `name` (e.g. capitalisation). */
  releaseSpelling: text.optional(),
  /** The paper's Appendix B name where it differs from the release's. */
  appendixName: text.optional(),
  /** false: the topic is missing from the paper's Appendix B. */
  inAppendix: z.boolean().optional(),
});

const CategorySchema = z.strictObject({
  /** 1..15 in the release's order, across themes. */
  id: z.number().int().min(1),
  /** The release's `Problem Category`. */
  name: text,
  appendixName: text.optional(),
  topics: z.array(TopicSchema).min(1),
});

const ThemeSchema = z.strictObject({
  /** 1..5; the `t` of the release's `Perspective` code `t.d`. */
  id: z.number().int().min(1),
  /** The release's `Topic` column (fair essentials, ...). */
  name: text,
  categories: z.array(CategorySchema).min(1),
});

const GroupTypeSchema = z.enum(GROUP_TYPES);

const GroupSchema = z.strictObject({
  /** Display name, written to sit mid-sentence ("White people", "9/11 victims"); always plural. */
  name: text,
  groupType: GroupTypeSchema,
  /** The exact release string where it differs from `name` ("white people", "911 victims"). */
  releaseSpelling: text.optional(),
});

const PoleSchema = z.strictObject({
  /** The paper's name for the orientation (meritocracy, procedural, ...). */
  name: text,
  /** The release's `Option` value for this pole (dimension 1's A pole is "libertarianism"). */
  releaseOption: text,
  /** One sentence in our words. */
  description: text,
});

const DimensionSchema = z.strictObject({
  /** 1..5; the `d` of the release's `Perspective` code `t.d`. */
  id: z.number().int().min(1).max(5),
  name: text,
  /** The paper's lens: distributive ideology, justice theory, ... */
  lens: text,
  /** The dimension's question, in our words. */
  question: text,
  /** A is always option A of a question, B option B. */
  poles: z.strictObject({ A: PoleSchema, B: PoleSchema }),
});

const TaxonomySchema = z
  .strictObject({
    $comment: z.string().optional(),
    source: z.strictObject({
      paper: text,
      paperSections: z.array(text),
      release: text,
      releaseLicence: text,
      notes: z.array(text),
    }),
    themes: z.array(ThemeSchema),
    groupTypes: z.array(GroupTypeSchema),
    groups: z.array(GroupSchema),
    dimensions: z.array(DimensionSchema),
  })
  .superRefine((t, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    const categories = t.themes.flatMap((th) => th.categories);
    const topics = categories.flatMap((c) => c.topics);
    const counts = {
      themes: t.themes.length,
      categories: categories.length,
      topics: topics.length,
      groups: t.groups.length,
      dimensions: t.dimensions.length,
    };
    for (const key of Object.keys(FAIR_SP_COUNTS) as (keyof typeof FAIR_SP_COUNTS)[]) {
      if (counts[key] !== FAIR_SP_COUNTS[key]) issue(`expected ${FAIR_SP_COUNTS[key]} ${key}, found ${counts[key]}`);
    }
    t.themes.forEach((th, i) => th.id !== i + 1 && issue(`theme "${th.name}" has id ${th.id}, expected ${i + 1}`));
    categories.forEach((c, i) => c.id !== i + 1 && issue(`category "${c.name}" has id ${c.id}, expected ${i + 1}`));
    t.dimensions.forEach((d, i) => d.id !== i + 1 && issue(`dimension "${d.name}" has id ${d.id}, expected ${i + 1}`));
    for (const [what, names] of [
      ['theme', t.themes.map((x) => x.name)],
      ['category', categories.map((x) => x.name)],
      ['topic', topics.map((x) => x.name)],
      ['group', t.groups.map((x) => x.name)],
    ] as const) {
      const seen = new Set<string>();
      for (const name of names) {
        if (seen.has(name.toLowerCase())) issue(`${what} "${name}" appears more than once`);
        seen.add(name.toLowerCase());
      }
    }
    if (t.groupTypes.join('|') !== GROUP_TYPES.join('|')) issue(`groupTypes must be ${GROUP_TYPES.join(', ')} in that order`);
    // Groups are listed type by type, in groupTypes order (the release's order).
    const typeOrder = t.groups.map((g) => GROUP_TYPES.indexOf(g.groupType));
    if (typeOrder.some((v, i) => i > 0 && v < typeOrder[i - 1]!)) issue('groups must be listed in groupTypes order');
  });

export type Taxonomy = z.infer<typeof TaxonomySchema>;
export type Theme = Taxonomy['themes'][number];
export type Category = Theme['categories'][number];
export type Topic = Category['topics'][number];
export type SocialGroup = Taxonomy['groups'][number];
export type GroupType = (typeof GROUP_TYPES)[number];
export type Dimension = Taxonomy['dimensions'][number];
export type DimensionId = 1 | 2 | 3 | 4 | 5;
export type Pole = Dimension['poles']['A'];

// ---------------------------------------------------------------------------------------------
// Personas

const PersonaSchema = z.strictObject({
  /** S1, S2, ... in the paper's order. */
  id: z.string().regex(/^S[1-9]$/),
  /** The segment's name as the paper gives it; null where the paper gives none. */
  name: text.nullable(),
  /** What the UI shows: the name, or (name null) our short description from the listed traits. */
  label: text,
  region: text,
  /** Share of the population; null where the paper gives none (it gives none). */
  populationShare: z.number().min(0).max(1).nullable(),
  /** The paper's traits as short phrases (paraphrased where needed). */
  traits: z.array(text).min(1),
  /** Second-person system prompt in our words, keeping every trait. */
  prompt: text,
});

const PersonaSetSchema = z
  .strictObject({
    region: text,
    label: text,
    source: z.strictObject({ paper: text, appendix: text, survey: text, surveyUrl: z.url() }),
    /** True for the UK set: the release's anchors were simulated from these segments. */
    usedForOfficialAnchors: z.boolean(),
    /** Gaps and readings of the paper's text. */
    notes: z.array(text),
    segments: z.array(PersonaSchema).min(1),
  })
  .superRefine((set, ctx) => {
    set.segments.forEach((s, i) => {
      if (s.id !== `S${i + 1}`) ctx.addIssue({ code: 'custom', message: `segment ${i + 1} has id ${s.id}` });
      if (s.region !== set.region) ctx.addIssue({ code: 'custom', message: `${s.id} region ${s.region} is not the set's ${set.region}` });
    });
  });

const PersonasSchema = z
  .strictObject({
    $comment: z.string().optional(),
    version: z.literal(1),
    /** The sentence every prompt ends with. */
    closing: text,
    sets: z.strictObject({ uk: PersonaSetSchema, us: PersonaSetSchema, fr: PersonaSetSchema, de: PersonaSetSchema, pl: PersonaSetSchema }),
  })
  .superRefine((doc, ctx) => {
    for (const [id, size] of Object.entries(PERSONA_SET_SIZES) as [PersonaSetId, number][]) {
      const set = doc.sets[id];
      if (set.segments.length !== size) ctx.addIssue({ code: 'custom', message: `persona set ${id} has ${set.segments.length} segments, expected ${size}` });
      for (const s of set.segments) {
        if (!s.prompt.endsWith(doc.closing)) ctx.addIssue({ code: 'custom', message: `${id} ${s.id}: prompt does not end with the closing sentence` });
      }
    }
  });

export type PersonaSetId = keyof typeof PERSONA_SET_SIZES;
export type Personas = z.infer<typeof PersonasSchema>;
export type PersonaSet = Personas['sets'][PersonaSetId];
export type Persona = PersonaSet['segments'][number];
export const PERSONA_SET_IDS = Object.keys(PERSONA_SET_SIZES) as PersonaSetId[];

// ---------------------------------------------------------------------------------------------
// Our templates

const OptionsSchema = z.strictObject({ A: text, B: text, C: z.literal('N/A') });

/** A stem whose placeholders are exactly `names` (each at least once, nothing else). */
function stemWith(names: readonly string[]) {
  return text.refine(
    (stem) => {
      const used = new Set(placeholders(stem));
      return used.size === names.length && names.every((n) => used.has(n));
    },
    { message: `placeholders must be exactly {${names.join('}, {')}}` },
  );
}

const DimensionTemplateSchema = z.strictObject({
  dimension: z.number().int().min(1).max(5),
  /** "In decisions on {topic} for {group}, which ... is fairer?": placeholders {topic} and {group}. */
  forward: z.strictObject({ stem: stemWith(['topic', 'group']), options: OptionsSchema }),
  /** "Suppose {group} {advantage} ...": {advantage} is the topic's advantage form, filled. */
  justification: z.strictObject({ stem: stemWith(['group', 'advantage']), options: OptionsSchema }),
});

const AdvantageFormSchema = z.strictObject({ text: stemWith(['topic']), use: text });

const LocalTemplatesSchema = z
  .strictObject({
    $comment: z.string().optional(),
    version: z.literal(1),
    datasetId: z.literal(LOCAL_DATASET_ID),
    split: z.literal(LOCAL_SPLIT),
    bank: z.literal(LOCAL_BANK),
    notes: z.array(text),
    advantageForms: z.strictObject({
      quantity: AdvantageFormSchema,
      access: AdvantageFormSchema,
      chances: AdvantageFormSchema,
      benefit: AdvantageFormSchema,
      tax: AdvantageFormSchema,
    }),
    /** Every topic name -> its advantage form. */
    topicForms: z.record(z.string(), z.enum(ADVANTAGE_FORMS)),
    /** One entry per dimension, in order 1..5. */
    templates: z.array(DimensionTemplateSchema).length(5),
  })
  .superRefine((doc, ctx) => {
    doc.templates.forEach((t, i) => {
      if (t.dimension !== i + 1) ctx.addIssue({ code: 'custom', message: `templates[${i}] is for dimension ${t.dimension}, expected ${i + 1}` });
    });
  });

export type LocalTemplates = z.infer<typeof LocalTemplatesSchema>;
export type DimensionTemplate = LocalTemplates['templates'][number];
export type AdvantageForm = (typeof ADVANTAGE_FORMS)[number];

// ---------------------------------------------------------------------------------------------
// Parsing and loading

function parseOrThrow<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const result = schema.safeParse(raw);
  if (!result.success) throw new Error(`${what} is invalid:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export function parseTaxonomy(raw: unknown): Taxonomy {
  return parseOrThrow(TaxonomySchema, raw, 'static-data/fair-pp/taxonomy.json');
}

export function parsePersonas(raw: unknown): Personas {
  return parseOrThrow(PersonasSchema, raw, 'static-data/fair-pp/personas.json');
}

/** Parses the templates and checks that `topicForms` names exactly the taxonomy's topics. */
export function parseLocalTemplates(raw: unknown, taxonomy: Taxonomy): LocalTemplates {
  const doc = parseOrThrow(LocalTemplatesSchema, raw, 'static-data/fair-pp/local-templates.json');
  const names = new Set(flatTopics(taxonomy).map((t) => t.topic.name));
  const missing = [...names].filter((n) => !(n in doc.topicForms));
  const unknown = Object.keys(doc.topicForms).filter((n) => !names.has(n));
  if (missing.length || unknown.length) {
    throw new Error(
      'static-data/fair-pp/local-templates.json is invalid: topicForms must name every taxonomy topic exactly once' +
        (missing.length ? `\n  missing: ${missing.join(', ')}` : '') +
        (unknown.length ? `\n  not in the taxonomy: ${unknown.join(', ')}` : ''),
    );
  }
  return doc;
}

let taxonomyCache: Taxonomy | undefined;
let personasCache: Personas | undefined;
let templatesCache: LocalTemplates | undefined;

/** The shipped taxonomy, validated once. Treat the result as read-only. */
export function loadTaxonomy(): Taxonomy {
  return (taxonomyCache ??= parseTaxonomy(taxonomyJson));
}

/** The shipped persona sets, validated once. Treat the result as read-only. */
export function loadPersonas(): Personas {
  return (personasCache ??= parsePersonas(personasJson));
}

/** The shipped local templates, validated once (against the taxonomy). Treat as read-only. */
export function loadLocalTemplates(): LocalTemplates {
  return (templatesCache ??= parseLocalTemplates(templatesJson, loadTaxonomy()));
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A topic with its place in the hierarchy. */
export interface FlatTopic {
  themeId: number;
  theme: string;
  categoryId: number;
  category: string;
  topic: Topic;
}

/** All topics in the release's order (theme, category, topic). */
export function flatTopics(taxonomy: Taxonomy): FlatTopic[] {
  return taxonomy.themes.flatMap((th) =>
    th.categories.flatMap((c) =>
      c.topics.map((topic) => ({ themeId: th.id, theme: th.name, categoryId: c.id, category: c.name, topic })),
    ),
  );
}

/** The release's `Perspective` code: theme id, dot, dimension id ("1.1" .. "5.5"). */
export function perspectiveCode(themeId: number, dimension: number): string {
  return `${themeId}.${dimension}`;
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** The topic a release value names (case- and space-insensitive; `name` or `releaseSpelling`). */
export function findTopic(taxonomy: Taxonomy, value: string): FlatTopic | undefined {
  const key = norm(value);
  return flatTopics(taxonomy).find((t) => norm(t.topic.name) === key || (t.topic.releaseSpelling !== undefined && norm(t.topic.releaseSpelling) === key));
}

/** The group a release value names (case- and space-insensitive; `name` or `releaseSpelling`). */
export function findGroup(taxonomy: Taxonomy, value: string): SocialGroup | undefined {
  const key = norm(value);
  return taxonomy.groups.find((g) => norm(g.name) === key || (g.releaseSpelling !== undefined && norm(g.releaseSpelling) === key));
}
