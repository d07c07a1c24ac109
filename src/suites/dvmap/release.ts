/**
 * Reading the DVMap release (GitHub EnlightenedAI/DVMap; no licence file, so it is loaded at
 * run time and never copied) into items.
 *
 * Where each split lives in the repository:
 *   dev, test, train      Demographic_Value_Alignment/DVMap_Corpus/<split>.parquet
 *   cross-demographic,    Triple-Generalization_Evaluation_Benchmark/<Cross-...>/ in the
 *   cross-country,        Hugging Face `save_to_disk` layout: state.json lists the Arrow IPC
 *   cross-value           stream files (data-00000-of-00001.arrow)
 *
 * Columns are read BY NAME: `Q_id, Category, Question, Options, answer`, the 11 profile
 * attributes, and `prompt` for the release's reasoning prompt. One row is one item:
 *   options = the `Options` string read by `parseOptions` (known WVS list first, else split);
 *   gold    = the index of `answer` among them (exact, else ignoring case and spacing);
 *   meta    = qid, category, country (+ its ISO3 code when it resolves), the other 10 attributes;
 *   refs    = { gold, k } (k = the number of options);
 *   id      = itemId('EnlightenedAI/DVMap', split, qid + the 11 attribute values + question).
 * The same profile and question twice gets "#2", "#3" ... appended to the id text (counted in
 * the notes). A missing column, an answer that is not among the options or an Options string
 * that cannot be split stops the import with a message naming the row.
 */
import { itemId, type Item } from '../../core/items/item.ts';
import { findCountry } from '../../sources/countries.ts';
import { DatasetError, requireColumns, type Row, type Table } from '../../sources/formats/table.ts';
import { DVMAP_MISSING_LABEL } from '../../sources/wvs/variables.ts';
import { answerIndex, OptionsError, parseOptions } from './options.ts';
import { profileSystemPrompt, type Profile } from './prompts.ts';

export const DVMAP_REPO = 'EnlightenedAI/DVMap';
export const DVMAP_REF = 'main';

import { DVMAP_SPLITS } from './meta.ts';

export { DVMAP_SPLITS };
export type DvmapSplit = (typeof DVMAP_SPLITS)[number];
/** Every file the suite reads: the evaluable splits and the corpus train split (majority baseline). */
export type DvmapFileSplit = DvmapSplit | 'train';

const CORPUS_DIR = 'Demographic_Value_Alignment/DVMap_Corpus';
const BENCHMARK_DIR = 'Triple-Generalization_Evaluation_Benchmark';
const BENCHMARK_FOLDERS: Record<'cross-demographic' | 'cross-country' | 'cross-value', string> = {
  'cross-demographic': 'Cross-Demographic',
  'cross-country': 'Cross-Country',
  'cross-value': 'Cross-Value',
};

/** Where a split lives in the repository: one Parquet file, or a save_to_disk folder. */
export function splitLocation(split: DvmapFileSplit): { kind: 'parquet'; path: string } | { kind: 'arrow-folder'; folder: string } {
  if (split === 'train' || split === 'dev' || split === 'test') return { kind: 'parquet', path: `${CORPUS_DIR}/${split}.parquet` };
  return { kind: 'arrow-folder', folder: `${BENCHMARK_DIR}/${BENCHMARK_FOLDERS[split]}` };
}

/** The default Arrow shard name of a one-shard save_to_disk folder. */
export const DEFAULT_ARROW_SHARD = 'data-00000-of-00001.arrow';

/** Profile attribute columns, as the release names them, and our meta keys for them. */
export const ATTRIBUTE_COLUMNS = {
  Country: 'country',
  Gender: 'gender',
  'Marital Status': 'maritalStatus',
  'Has Children': 'hasChildren',
  'Education Level': 'education',
  Occupation: 'occupation',
  'Work Nature': 'workNature',
  Religion: 'religion',
  'Life Stage': 'lifeStage',
  'Income Bracket': 'income',
  'Common Language': 'language',
} as const satisfies Record<string, keyof Profile>;

export type AttributeKey = (typeof ATTRIBUTE_COLUMNS)[keyof typeof ATTRIBUTE_COLUMNS];
/** The 11 attributes' meta keys, in the release's column order. */
export const ATTRIBUTE_KEYS = Object.values(ATTRIBUTE_COLUMNS) as AttributeKey[];

export const REQUIRED_COLUMNS = ['Q_id', 'Category', 'Question', 'Options', 'answer', ...Object.keys(ATTRIBUTE_COLUMNS)] as const;

/** What a DVMap item is scored against. */
export interface DvmapRefs {
  /** The respondent group's answer, as an index into the options. */
  gold: number;
  /** Number of options (the scale size for LC and WD). */
  k: number;
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value).trim());

/** The 11 attributes of a row (a null cell reads as the release's missing label). */
export function rowProfile(row: Row): Profile {
  const p = {} as Profile;
  for (const [column, key] of Object.entries(ATTRIBUTE_COLUMNS)) {
    const v = text(row[column]);
    p[key] = v === '' ? DVMAP_MISSING_LABEL : v;
  }
  return p;
}

export interface ReleaseItemsOptions {
  split: DvmapFileSplit;
  /** Where the rows came from, for messages ("test.parquet", "github:EnlightenedAI/DVMap/..."). */
  source: string;
  prompt: 'reasoning' | 'direct';
}

export function releaseItems(table: Table, options: ReleaseItemsOptions): { items: Item[]; notes: string[] } {
  const { split, source, prompt } = options;
  requireColumns(table, prompt === 'reasoning' ? [...REQUIRED_COLUMNS, 'prompt'] : REQUIRED_COLUMNS, source);

  // Every answer seen per (question, Options string): lets the splitter rejoin answers that hold ", ".
  const answersByOptions = new Map<string, Set<string>>();
  for (const row of table.rows) {
    const key = `${text(row.Q_id)}\u0000${text(row.Options)}`;
    let set = answersByOptions.get(key);
    if (!set) answersByOptions.set(key, (set = new Set()));
    set.add(text(row.answer));
  }
  const parsedOptions = new Map<string, ReturnType<typeof parseOptions>>();

  const items: Item[] = [];
  const seen = new Map<string, number>();
  const unresolved = new Set<string>();
  let repeats = 0;
  const splitQuestions = new Set<string>();
  table.rows.forEach((row, r) => {
    const where = `${source}: row ${r + 1}`;
    const qid = text(row.Q_id);
    if (!qid) throw new DatasetError(`${where} has an empty "Q_id"`);
    const question = text(row.Question);
    if (!question) throw new DatasetError(`${where} (${qid}) has an empty "Question"`);
    const optionsText = text(row.Options);
    const key = `${qid}\u0000${optionsText}`;
    let parsed = parsedOptions.get(key);
    if (!parsed) {
      try {
        parsed = parseOptions(qid, optionsText, answersByOptions.get(key) ?? []);
      } catch (error) {
        if (error instanceof OptionsError) throw new DatasetError(`${where} (${qid}): the "Options" value ${error.message}`);
        throw error;
      }
      parsedOptions.set(key, parsed);
      if (parsed.via === 'split') splitQuestions.add(qid);
    }
    const answer = text(row.answer);
    const gold = answerIndex(answer, parsed.options);
    if (gold < 0) {
      throw new DatasetError(
        `${where} (${qid}): the answer ${JSON.stringify(answer)} is not among its options ${parsed.options.map((o) => JSON.stringify(o)).join(', ')}`,
      );
    }
    const profile = rowProfile(row);
    const idText = [qid, ...ATTRIBUTE_KEYS.map((k) => profile[k]), question].join('\u0000');
    const count = (seen.get(idText) ?? 0) + 1;
    seen.set(idText, count);
    if (count > 1) repeats++;
    const id = itemId(DVMAP_REPO, split, count > 1 ? `${idText}\u0000#${count}` : idText);

    const iso3 = findCountry(profile.country) ?? null;
    if (iso3 === null) unresolved.add(profile.country);
    // The release's prompt is used verbatim (it starts with a newline and indentation).
    const promptText = typeof row.prompt === 'string' ? row.prompt : text(row.prompt);
    if (prompt === 'reasoning' && !promptText.trim()) throw new DatasetError(`${where} (${qid}) has an empty "prompt" (needed by prompt=reasoning)`);
    items.push({
      id,
      question,
      options: parsed.options,
      fixedTail: 0,
      ...(prompt === 'direct' ? { system: profileSystemPrompt(profile) } : { vars: { prompt: promptText } }),
      meta: { qid, category: text(row.Category), iso3, ...profile },
      refs: { gold, k: parsed.options.length } satisfies DvmapRefs as unknown as Record<string, unknown>,
    });
  });

  const notes: string[] = [];
  if (repeats > 0) notes.push(`${repeats} rows repeat an earlier row's profile and question; they are kept as separate items (ids marked #2, #3, ...)`);
  if (unresolved.size > 0) notes.push(`no ISO3 code for ${[...unresolved].sort().map((c) => JSON.stringify(c)).join(', ')} (shown without a map position)`);
  if (splitQuestions.size > 0) {
    notes.push(`options of ${[...splitQuestions].sort(byQid).join(', ')} were split at ", " (no known WVS option list matched)`);
  }
  return { items, notes };
}

/** Orders question ids numerically: Q2 before Q10. */
export function byQid(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
