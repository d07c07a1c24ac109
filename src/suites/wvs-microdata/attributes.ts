/**
 * The respondent attributes subgroups are made of (seed 002: sex, age group, ethnicity, religion;
 * a few more a user may stratify by), each derived from one WVS-7 variable: which raw codes form
 * which category, the category's display label and the words a persona prompt uses for it.
 *
 * Choices (SPEC is silent, so ours):
 *  - A category is a non-negative code (negative = missing; a respondent missing an attribute is
 *    in no subgroup of a stratum that uses it). Age and income are binned (`variables.ts`: age
 *    groups 18-34, 35-54, 55+, under 18 in none; income 1-3 / 4-7 / 8-10).
 *  - Display labels: the user's codebook first (role `codebook`), then the shipped code list
 *    (for religion, the shortest of the label and its aliases, so "No religion" rather than
 *    "Does not belong to a denomination"), else the code itself ("ethnic group 702001"): the
 *    project ships no country-specific ethnicity or language codes.
 *  - Persona words for sex, religion and marital status follow the WVS code (the Q260, Q289 and
 *    Q273 codings are cross-national), whatever the display label says; for ethnicity and
 *    language they use the codebook's label, or the code with a note that it is a WVS code.
 */
import { isMissingValue, column, type WvsMicrodata } from '../../sources/wvs/microdata.ts';
import { codebookLabel, type Codebook } from '../../sources/wvs/codebook.ts';
import { WVS_DERIVED, wvsVariable, type Bin } from '../../sources/wvs/variables.ts';

export const ATTRIBUTE_IDS = ['sex', 'age_group', 'ethnicity', 'religion', 'income', 'education', 'marital', 'language'] as const;
export type AttributeId = (typeof ATTRIBUTE_IDS)[number];

export function isAttributeId(x: string): x is AttributeId {
  return (ATTRIBUTE_IDS as readonly string[]).includes(x);
}

export interface AttributeDef {
  id: AttributeId;
  /** The WVS variable it comes from. */
  variable: string;
  /** What it is, for messages. */
  what: string;
  /** The category key of a raw value, or -1 when the respondent has none (missing, under 18). */
  categorize(value: number): number;
  label(key: number, codebook: Codebook): string;
  /** Words for a persona prompt ("a woman", "aged 35-54", "of Malay ethnicity", "Muslim"). */
  phrase(key: number, codebook: Codebook): string;
  /** True when the codes differ by country (labels need the user's codebook). */
  countrySpecific: boolean;
  /** 'code': a category is the WVS code itself; 'bin': a category is a bin of a number (age, income). */
  kind: 'code' | 'bin';
}

const shortest = (texts: readonly string[]) => texts.reduce((a, b) => (b.length < a.length ? b : a));

/** The shipped label of a code (the shortest of label and aliases when `short`), or undefined. */
function shippedLabel(variable: string, code: number, short = false): string | undefined {
  const entry = wvsVariable(variable).codes?.find((c) => c.code === code);
  if (!entry) return undefined;
  return short ? shortest([entry.label, ...(entry.aliases ?? [])]) : entry.label;
}

function binIndex(bins: readonly Bin[], value: number): number {
  if (isMissingValue(value)) return -1;
  return bins.findIndex((b) => (b.min === undefined || value >= b.min) && (b.max === undefined || value < b.max));
}

const codeCategory = (value: number) => (isMissingValue(value) ? -1 : value);
const lowerFirst = (s: string) => (s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s);

/** Persona words for the WVS-7 major religious groups (Q289 codes 0-9). */
const RELIGION_PHRASES: Record<number, string> = {
  0: 'with no religious denomination',
  1: 'Roman Catholic',
  2: 'Protestant',
  3: 'Orthodox Christian',
  4: 'Jewish',
  5: 'Muslim',
  6: 'Hindu',
  7: 'Buddhist',
  8: 'of another Christian denomination',
  9: 'of another religion',
};

const MARITAL_PHRASES: Record<number, string> = {
  1: 'married',
  2: 'living with a partner',
  3: 'divorced',
  4: 'separated',
  5: 'widowed',
  6: 'single',
};

function coded(variable: string, what: string, id: AttributeId, fallback: string, phrase: (key: number, label: string, known: boolean) => string, short = false): AttributeDef {
  const label = (key: number, codebook: Codebook) => codebookLabel(codebook, variable, key) ?? shippedLabel(variable, key, short) ?? `${fallback} ${key}`;
  return {
    id,
    variable,
    what,
    categorize: codeCategory,
    label,
    phrase: (key, codebook) => {
      const text = codebookLabel(codebook, variable, key) ?? shippedLabel(variable, key, short);
      return phrase(key, text ?? label(key, codebook), text !== undefined);
    },
    countrySpecific: wvsVariable(variable).type === 'country-specific',
    kind: 'code',
  };
}

function binned(id: AttributeId, variable: string, what: string, bins: readonly Bin[], phrase: (label: string) => string): AttributeDef {
  return {
    id,
    variable,
    what,
    categorize: (value) => binIndex(bins, value),
    label: (key) => bins[key]?.label ?? `bin ${key}`,
    phrase: (key) => phrase(bins[key]?.label ?? `bin ${key}`),
    countrySpecific: false,
    kind: 'bin',
  };
}

export const ATTRIBUTES: Record<AttributeId, AttributeDef> = {
  sex: coded('Q260', 'sex', 'sex', 'sex code', (key, label) => (key === 1 ? 'a man' : key === 2 ? 'a woman' : `a person of sex "${label}"`)),
  age_group: binned('age_group', 'Q262', 'age', WVS_DERIVED.ageGroup.bins, (label) => `aged ${label.endsWith('+') ? `${label.slice(0, -1)} or older` : label}`),
  ethnicity: coded('Q290', 'ethnic group', 'ethnicity', 'ethnic group', (key, label, known) =>
    known ? `of ${label} ethnicity` : `of ethnic group ${key} (a WVS survey code)`,
  ),
  religion: coded(
    'Q289',
    'religious denomination',
    'religion',
    'religion code',
    (key, label) => RELIGION_PHRASES[key] ?? `whose religious denomination is ${label}`,
    true,
  ),
  income: binned('income', 'Q288', 'income step', WVS_DERIVED.incomeBracket.bins, (label) => `with ${label.toLowerCase()}`),
  education: coded('Q275', 'education (ISCED)', 'education', 'ISCED level', (_key, label) => `whose highest education is ${lowerFirst(label.replace(/\s*\(ISCED \d\)\s*/, ' ').trim())}`),
  marital: coded('Q273', 'marital status', 'marital', 'marital status', (key, label) => MARITAL_PHRASES[key] ?? `with marital status "${label}"`),
  language: coded('Q272', 'language at home', 'language', 'language', (key, label, known) =>
    known ? `who speaks ${label} at home` : `who speaks language ${key} (a WVS survey code) at home`,
  ),
};

/** Each respondent's category per attribute (-1 = none), read from the microdata. */
export interface EncodedAttributes {
  ids: readonly AttributeId[];
  keys: ReadonlyMap<AttributeId, Int32Array>;
}

/** Categorises every respondent on each attribute; throws a RangeError for a column not read. */
export function encodeAttributes(data: WvsMicrodata, ids: readonly AttributeId[]): EncodedAttributes {
  const keys = new Map<AttributeId, Int32Array>();
  for (const id of ids) {
    const def = ATTRIBUTES[id];
    const source = column(data, def.variable);
    if (!source) throw new RangeError(`attribute ${id} needs column ${def.variable}, which was not read`);
    const out = new Int32Array(data.rows);
    for (let i = 0; i < data.rows; i++) out[i] = def.categorize(source[i]!);
    keys.set(id, out);
  }
  return { ids, keys };
}
