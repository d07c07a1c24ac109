/**
 * Reading GlobalOpinionQA (Hugging Face Anthropic/llm_global_opinions, data/global_opinions.csv;
 * CC-BY-NC-SA 4.0) into items. Columns, read BY NAME: `question`, `selections` (a Python repr,
 * `defaultdict(<class 'list'>, {'Belgium': [0.06, 0.94], ...})`: country -> answer shares in
 * option order), `options` (a Python list repr) and `source` (WVS, GAS, ...). Both reprs are
 * read with the safe literal parser (nothing is evaluated).
 *
 * One item per row:
 *   options   = the parsed list; its trailing non-substantive options ("DK/Refused", "Don't
 *               know", "No answer", "Refused") form `fixedTail`;
 *   refs      = { countries: { <raw country label>: shares / sum(shares) }, skipped: [labels] }.
 *               Countries are keyed by the RAW label: several labels resolve to one ISO code
 *               but are different surveys ("Britain" in Pew, "Great Britain" in the WVS);
 *   meta      = source, row (1-based data row of the file, header excluded);
 *   id        = itemId('Anthropic/llm_global_opinions', 'global_opinions', question + options)
 *               ("#2", ... appended for a repeated question with the same options).
 * Skipped and counted: rows with an empty question; a country entry whose shares are all zero
 * or not finite (listed in refs.skipped); a row left with no usable country. Errors (naming the
 * row): an unreadable repr, a shares list whose length differs from the options, a negative
 * share, fewer than two options.
 */
import { itemId, type Item } from '../../core/items/item.ts';
import { parsePythonNumberListDict, parsePythonStringList, PythonLiteralError } from '../../sources/formats/python-literal.ts';
import { DatasetError, requireColumns, type Table } from '../../sources/formats/table.ts';
import { nonSubstantiveTail } from './non-substantive.ts';

export const GLOBAL_OPINIONS_DATASET = 'Anthropic/llm_global_opinions';
export const GLOBAL_OPINIONS_FILE = 'data/global_opinions.csv';
export const GLOBAL_OPINIONS_SPLIT = 'global_opinions';

export const REQUIRED_COLUMNS = ['question', 'selections', 'options', 'source'] as const;

/** What a GlobalOpinionQA item is scored against. */
export interface GlobalOpinionsRefs {
  /** Raw country label -> answer shares over the options, renormalised to sum to 1. */
  countries: Record<string, number[]>;
  /** Labels of this row whose entry was unusable (all zero, or a non-finite share). */
  skipped: string[];
}

export interface ReleaseResult {
  items: Item[];
  notes: string[];
  counts: { rows: number; emptyQuestion: number; zeroEntries: number; nonFiniteEntries: number; noCountry: number };
}

const cell = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

function literal<T>(parse: (text: string) => T, text: string, column: string, where: string): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof PythonLiteralError) {
      throw new DatasetError(`${where}: the "${column}" cell is not a readable Python literal (${error.message})`);
    }
    throw error;
  }
}

export function releaseItems(table: Table, source: string): ReleaseResult {
  requireColumns(table, REQUIRED_COLUMNS, source);
  const items: Item[] = [];
  const seen = new Map<string, number>();
  const counts = { rows: table.rows.length, emptyQuestion: 0, zeroEntries: 0, nonFiniteEntries: 0, noCountry: 0 };
  let repeats = 0;

  table.rows.forEach((row, r) => {
    const where = `${source}: row ${r + 1}`;
    const question = cell(row.question).trim();
    if (!question) {
      counts.emptyQuestion++;
      return;
    }
    const options = literal(parsePythonStringList, cell(row.options), 'options', where);
    if (options.length < 2) throw new DatasetError(`${where}: "options" lists ${options.length} option(s); a question needs at least two`);
    const selections = literal(parsePythonNumberListDict, cell(row.selections), 'selections', where);

    const countries: Record<string, number[]> = {};
    const skipped: string[] = [];
    for (const [label, shares] of selections) {
      if (shares.length !== options.length) {
        throw new DatasetError(`${where}, country ${JSON.stringify(label)}: ${shares.length} shares for ${options.length} options`);
      }
      if (shares.some((x) => !Number.isFinite(x))) {
        counts.nonFiniteEntries++;
        skipped.push(label);
        continue;
      }
      const negative = shares.findIndex((x) => x < 0);
      if (negative >= 0) throw new DatasetError(`${where}, country ${JSON.stringify(label)}: share ${negative + 1} is negative (${shares[negative]})`);
      // Shares near the largest double (1e308) overflow their sum to Infinity, and x / Infinity
      // is 0 for every share: scale them down by the largest first.
      const largest = Math.max(...shares);
      const scaled = shares.reduce((a, b) => a + b, 0) === Infinity ? shares.map((x) => x / largest) : shares;
      const sum = scaled.reduce((a, b) => a + b, 0);
      if (sum === 0) {
        counts.zeroEntries++;
        skipped.push(label);
        continue;
      }
      countries[label] = scaled.map((x) => x / sum);
    }
    if (Object.keys(countries).length === 0) {
      counts.noCountry++;
      return;
    }

    const idText = `${question}\u0000${options.join('\u0001')}`;
    const n = (seen.get(idText) ?? 0) + 1;
    seen.set(idText, n);
    if (n > 1) repeats++;
    const refs: GlobalOpinionsRefs = { countries, skipped };
    items.push({
      id: itemId(GLOBAL_OPINIONS_DATASET, GLOBAL_OPINIONS_SPLIT, n > 1 ? `${idText}\u0000#${n}` : idText),
      question,
      options,
      fixedTail: nonSubstantiveTail(options),
      meta: { source: cell(row.source).trim(), row: r + 1 },
      refs: refs as unknown as Record<string, unknown>,
    });
  });

  const notes: string[] = [];
  if (counts.emptyQuestion > 0) notes.push(`${counts.emptyQuestion} row(s) with an empty question skipped`);
  if (counts.zeroEntries > 0) notes.push(`${counts.zeroEntries} country entries whose shares are all zero skipped`);
  if (counts.nonFiniteEntries > 0) notes.push(`${counts.nonFiniteEntries} country entries with a non-finite share (nan, inf) skipped`);
  if (counts.noCountry > 0) notes.push(`${counts.noCountry} question(s) with no usable country distribution left out`);
  if (repeats > 0) notes.push(`${repeats} question(s) repeat an earlier question with the same options; kept as separate items (ids marked #2, ...)`);
  return { items, notes, counts };
}
