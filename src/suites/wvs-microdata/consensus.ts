/**
 * DVMap-style high-consensus corpus (SPEC section 3) from WVS-7 microdata, for any country:
 * respondents are grouped by their 11-attribute DVMap profile, and a (profile, question) pair is
 * kept only when every respondent in it gave the same answer (Shannon entropy H = 0). Rows come
 * out in DVMap's corpus column layout (SPEC section 3b), so a user can rebuild a DVMap-style
 * corpus from their own WVS file. Pure: in-memory typed arrays in, rows and counts out.
 *
 * EXACT DEFINITIONS (ours where DVMap does not say):
 *  - Profile: the 11 attributes of `DVMAP_ATTRIBUTES` (variables.ts) in its order. Country =
 *    DVMap's UN-style name for the 18 countries DVMap uses, else our common English name.
 *    Gender, Marital Status, Education Level, Occupation, Work Nature, Religion, Common Language:
 *    the user's codebook label, else the shipped WVS label (Occupation code 8 is DVMap's
 *    "Other (write in):"), else the code as text. Life Stage, Income Bracket and Has Children are
 *    derived (variables.ts). A missing value (negative code, or a variable the file lacks) is
 *    "Not Answered". Religion is the Q289 major group (DVMap uses the country-specific
 *    denominations, which need the country's codebook: give it as labels for Q289 to match).
 *  - Answer: a valid code 1..K as its option text; a 1-10 question the project ships with a
 *    collapse is binned to Low/Medium/High first (as DVMap does), and agreement (H = 0) is judged
 *    on the binned answer. Invalid answers are left out of the pair.
 *  - A SAMPLE is one valid (respondent, question) answer. A sample "shares a profile" when its
 *    (profile, question) pair holds at least two samples. A pair with two or more distinct
 *    answers (H > 0) is REMOVED with all its samples. A single-respondent pair has H = 0 and is
 *    kept (as in DVMap, where most profiles are unique).
 *  - One row per kept pair (not per respondent). `frequency` (undocumented in DVMap) = the pair's
 *    samples / the valid answers to that question in that country, in (0, 1].
 *  - Rows are ordered by question (the order given), then by the profile's first respondent.
 */
import Papa from 'papaparse';
import type { Codebook } from '../../sources/wvs/codebook.ts';
import { codebookLabel } from '../../sources/wvs/codebook.ts';
import { countryName } from '../../sources/countries.ts';
import { column, type WvsMicrodata } from '../../sources/wvs/microdata.ts';
import { collapseTenPoint } from '../../sources/wvs/question-metadata.ts';
import type { WvsQuestionSpec } from '../../sources/wvs/user-metadata.ts';
import { DVMAP_ATTRIBUTES, DVMAP_MISSING_LABEL, incomeBracket, lifeStage, parenthood, variableLabel } from '../../sources/wvs/variables.ts';

export const DVMAP_PROFILE_ATTRIBUTES = DVMAP_ATTRIBUTES.map((a) => a.attribute);

export const DVMAP_CORPUS_COLUMNS = [
  'Q_id',
  'Country',
  'Gender',
  'Marital Status',
  'Has Children',
  'Education Level',
  'Occupation',
  'Work Nature',
  'Religion',
  'Life Stage',
  'Income Bracket',
  'Common Language',
  'frequency',
  'Category',
  'Question',
  'prompt',
  'Options',
  'answer',
  'data_source',
] as const;

export type DvmapCorpusRow = Record<Exclude<(typeof DVMAP_CORPUS_COLUMNS)[number], 'frequency'>, string> & { frequency: number };

/** The WVS variables a DVMap profile reads (besides B_COUNTRY_ALPHA). */
export const DVMAP_PROFILE_VARIABLES: readonly string[] = [...new Set(DVMAP_ATTRIBUTES.map((a) => a.source).filter((s) => s !== 'B_COUNTRY_ALPHA'))];

/** DVMap's country names (UN M49 style) for the countries its corpus and benchmark use. */
export const DVMAP_COUNTRY_NAMES: Readonly<Record<string, string>> = {
  CAN: 'Canada',
  GBR: 'United Kingdom of Great Britain and Northern Ireland',
  BRA: 'Brazil',
  USA: 'United States of America',
  DEU: 'Germany',
  RUS: 'Russian Federation',
  IND: 'India',
  CHN: 'China',
  JPN: 'Japan',
  EGY: 'Egypt',
  NGA: 'Nigeria',
  IRN: 'Iran (Islamic Republic of)',
  PAK: 'Pakistan',
  IDN: 'Indonesia',
  VNM: 'Viet Nam',
  AUS: 'Australia',
  MEX: 'Mexico',
  TUR: 'Türkiye',
};

export function dvmapCountryName(iso3: string): string {
  const known = DVMAP_COUNTRY_NAMES[iso3];
  if (known) return known;
  try {
    return countryName(iso3);
  } catch {
    return iso3;
  }
}

/** One profile attribute's value for a raw code (see the definitions above). */
export function profileValue(attribute: string, variable: string, value: number | undefined, codebook: Codebook): string {
  if (value === undefined || value < 0) return DVMAP_MISSING_LABEL;
  const derived = DVMAP_ATTRIBUTES.find((a) => a.attribute === attribute)?.derived;
  if (derived === 'lifeStage') return lifeStage(value) ?? DVMAP_MISSING_LABEL;
  if (derived === 'incomeBracket') return incomeBracket(value) ?? DVMAP_MISSING_LABEL;
  if (derived === 'parenthood') return parenthood(value) ?? DVMAP_MISSING_LABEL;
  const own = codebookLabel(codebook, variable, value);
  if (own) return own;
  // variables.json: DVMap writes Q279 code 8 as "Other (write in):".
  if (variable === 'Q279' && value === 8) return 'Other (write in):';
  return variableLabel(variable, value) ?? String(value);
}

/** Our DVMap-style user prompt: role block, question, options, three reasoning steps, <answer> tag. */
export function dvmapStylePrompt(profile: Readonly<Record<string, string>>, question: string, options: readonly string[]): string {
  const role = DVMAP_PROFILE_ATTRIBUTES.map((a) => `- ${a}: ${profile[a] ?? DVMAP_MISSING_LABEL}`).join('\n');
  return [
    'Imagine you are a person with this profile:',
    role,
    '',
    `Question: ${question}`,
    `Options: ${options.join(', ')}`,
    '',
    'Reason in three steps: (1) relate the question to your identity and circumstances; (2) weigh how someone like you would see each option; (3) choose the option that fits you best.',
    'Write your final answer inside <answer></answer>, exactly as one of the options.',
  ].join('\n');
}

export interface ConsensusQuestionStats {
  question: string;
  samples: number;
  sharedSamples: number;
  removedSamples: number;
  keptPairs: number;
  removedPairs: number;
}

export interface ConsensusStats {
  respondents: number;
  profiles: number;
  /** Profiles with at least two respondents, and the respondents in them. */
  sharedProfiles: number;
  respondentsInSharedProfiles: number;
  samples: number;
  sharedSamples: number;
  removedSamples: number;
  /** sharedSamples / samples and removedSamples / samples (null without samples). */
  shareShared: number | null;
  shareRemoved: number | null;
  keptPairs: number;
  removedPairs: number;
  perQuestion: ConsensusQuestionStats[];
}

export interface ConsensusResult {
  rows: DvmapCorpusRow[];
  stats: ConsensusStats;
}

export interface ConsensusInput {
  data: WvsMicrodata;
  questions: readonly WvsQuestionSpec[];
  codebook: Codebook;
  /** Bin shipped 1-10 questions to Low/Medium/High (default true, as DVMap). */
  collapseTenPoint?: boolean;
  /** `data_source` of every row (default "wvs", as in DVMap's corpus). */
  dataSource?: string;
}

/** The answer texts of a question (collapsed or not) and the category of each code 1..K. */
function answerCategories(q: WvsQuestionSpec, collapse: boolean): { labels: string[]; categoryOfCode: Int32Array } {
  const k = q.options.length;
  const categoryOfCode = new Int32Array(k + 1).fill(-1);
  if (collapse && q.shipped?.collapse) {
    const labels = [...q.shipped.collapse.labels];
    for (let code = 1; code <= k; code++) categoryOfCode[code] = labels.indexOf(collapseTenPoint(code, q.shipped.collapse)!);
    return { labels, categoryOfCode };
  }
  for (let code = 1; code <= k; code++) categoryOfCode[code] = code - 1;
  return { labels: [...q.options], categoryOfCode };
}

export function buildConsensusCorpus(input: ConsensusInput): ConsensusResult {
  const { data, codebook } = input;
  const collapse = input.collapseTenPoint ?? true;
  const n = data.rows;

  // Profiles.
  const profileIndex = new Map<string, number>();
  const profiles: Array<Record<string, string>> = [];
  const profileOf = new Int32Array(n);
  const profileSize: number[] = [];
  const profileCountry: number[] = [];
  const sources = DVMAP_ATTRIBUTES.map((a) => ({ attribute: a.attribute, variable: a.source, col: a.source === 'B_COUNTRY_ALPHA' ? undefined : column(data, a.source) }));
  const countryNames = data.countryCodes.map(dvmapCountryName);
  for (let i = 0; i < n; i++) {
    const values = sources.map((s) => (s.variable === 'B_COUNTRY_ALPHA' ? countryNames[data.countryOf[i]!]! : profileValue(s.attribute, s.variable, s.col?.[i], codebook)));
    const key = values.join('\u0001');
    let p = profileIndex.get(key);
    if (p === undefined) {
      p = profiles.length;
      profileIndex.set(key, p);
      profiles.push(Object.fromEntries(sources.map((s, j) => [s.attribute, values[j]!])));
      profileSize.push(0);
      profileCountry.push(data.countryOf[i]!);
    }
    profileOf[i] = p;
    profileSize[p]!++;
  }

  const rows: DvmapCorpusRow[] = [];
  const perQuestion: ConsensusQuestionStats[] = [];
  const pairN = new Int32Array(profiles.length);
  const pairCategory = new Int32Array(profiles.length);
  const pairAgree = new Uint8Array(profiles.length);
  for (const q of input.questions) {
    const answers = column(data, q.code);
    if (!answers) throw new RangeError(`question ${q.code} was not read from the file`);
    const { labels, categoryOfCode } = answerCategories(q, collapse);
    const k = q.options.length;
    pairN.fill(0);
    // Valid answers per country, for `frequency`.
    const perCountry = new Float64Array(data.countryCodes.length);
    for (let i = 0; i < n; i++) {
      const v = answers[i]!;
      if (v < 1 || v > k) continue;
      const cat = categoryOfCode[v]!;
      const p = profileOf[i]!;
      perCountry[data.countryOf[i]!]!++;
      if (pairN[p] === 0) {
        pairCategory[p] = cat;
        pairAgree[p] = 1;
      } else if (pairCategory[p] !== cat) pairAgree[p] = 0;
      pairN[p]!++;
    }
    const stats: ConsensusQuestionStats = { question: q.code, samples: 0, sharedSamples: 0, removedSamples: 0, keptPairs: 0, removedPairs: 0 };
    // Profile indices follow their first respondent, so this is the documented row order.
    for (let p = 0; p < profiles.length; p++) {
      const m = pairN[p]!;
      if (m === 0) continue;
      stats.samples += m;
      if (m >= 2) stats.sharedSamples += m;
      if (!pairAgree[p]) {
        stats.removedSamples += m;
        stats.removedPairs++;
        continue;
      }
      stats.keptPairs++;
      const profile = profiles[p]!;
      rows.push({
        Q_id: q.code,
        Country: profile.Country!,
        Gender: profile.Gender!,
        'Marital Status': profile['Marital Status']!,
        'Has Children': profile['Has Children']!,
        'Education Level': profile['Education Level']!,
        Occupation: profile.Occupation!,
        'Work Nature': profile['Work Nature']!,
        Religion: profile.Religion!,
        'Life Stage': profile['Life Stage']!,
        'Income Bracket': profile['Income Bracket']!,
        'Common Language': profile['Common Language']!,
        frequency: m / perCountry[profileCountry[p]!]!,
        Category: q.section ?? '',
        Question: q.text,
        prompt: dvmapStylePrompt(profile, q.text, labels),
        Options: labels.join(', '),
        answer: labels[pairCategory[p]!]!,
        data_source: input.dataSource ?? 'wvs',
      });
    }
    perQuestion.push(stats);
  }

  const sum = (key: keyof Omit<ConsensusQuestionStats, 'question'>) => perQuestion.reduce((a, s) => a + s[key], 0);
  const samples = sum('samples');
  const sharedProfiles = profileSize.filter((s) => s >= 2);
  return {
    rows,
    stats: {
      respondents: n,
      profiles: profiles.length,
      sharedProfiles: sharedProfiles.length,
      respondentsInSharedProfiles: sharedProfiles.reduce((a, b) => a + b, 0),
      samples,
      sharedSamples: sum('sharedSamples'),
      removedSamples: sum('removedSamples'),
      shareShared: samples > 0 ? sum('sharedSamples') / samples : null,
      shareRemoved: samples > 0 ? sum('removedSamples') / samples : null,
      keptPairs: sum('keptPairs'),
      removedPairs: sum('removedPairs'),
      perQuestion,
    },
  };
}

/** The rows as CSV text in DVMap's column order (RFC 4180 quoting, "\n" line ends). */
export function corpusRowsToCsv(rows: readonly DvmapCorpusRow[]): string {
  return `${Papa.unparse(rows as DvmapCorpusRow[], { columns: [...DVMAP_CORPUS_COLUMNS], newline: '\n' })}\n`;
}
