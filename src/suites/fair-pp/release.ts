/**
 * Reading the Fair-PP release (tools-o/Fair-PP, tools-o/Fair-PP-simulation) into items.
 *
 * Columns are read BY NAME: the question (`Question`, or `simulation_question` for the
 * scenario set), the taxonomy columns, and each segment's parsed answer
 * `gpt-4o-mini_role_{k}_answer` (0 = A, 1 = B, 2 = C/N/A) or, for scenarios, its `_simulation`
 * variant. A missing column, an answer outside 0-2, or a question that appears twice stops the
 * import with a message that names it; nothing is stored.
 */
import { itemId, type Item } from '../../core/items/item.ts';
import { DatasetError, requireColumns, type Row, type Table } from '../../sources/formats/table.ts';
import { isNotApplicable, phrasingOf, splitQuestionText } from './question-text.ts';
import { SEGMENT_IDS } from './segments.ts';

export const FAIR_PP_DATASET = 'tools-o/Fair-PP';
export const FAIR_PP_SIMULATION_DATASET = 'tools-o/Fair-PP-simulation';

export const TAXONOMY_COLUMNS = ['Topic', 'Problem Category', 'Specific Problem', 'Group Type', 'Group', 'Perspective'] as const;

export type FairPpSplit = 'test' | 'train' | 'simulation';

/** Candidate column names for segment k's parsed answer, in the order they are tried. */
export function answerColumns(k: number, split: FairPpSplit): string[] {
  return split === 'simulation'
    ? [`gpt-4o-mini_role_${k}_simulation_answer`, `gpt-4o-mini_role_${k}_answer_simulation`, `gpt-4o-mini_role_${k}_answer`]
    : [`gpt-4o-mini_role_${k}_answer`];
}

/** What an item of this suite is scored against: each segment's distribution over the options. */
export interface FairPpRefs {
  anchors: Record<string, number[]>;
  /** Training-time tier for segment 6 as released (kept for the bundle; recomputed for other targets). */
  tier?: number;
}

function parseAnswerCode(value: unknown, column: string, row: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 2) {
    const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    const held = empty ? 'is empty' : `holds ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`;
    throw new DatasetError(`wrong answer coding: column "${column}" row ${row + 1} ${held}; answers are coded 0 (A), 1 (B) or 2 (C, N/A)`);
  }
  return n;
}

const oneHot = (k: number, n: number) => Array.from({ length: n }, (_, i) => (i === k ? 1 : 0));

export function releaseItems(table: Table, split: FairPpSplit, source: string): { items: Item[]; notes: string[] } {
  const questionColumn = split === 'simulation' ? 'simulation_question' : 'Question';
  requireColumns(table, [questionColumn, ...TAXONOMY_COLUMNS], source);
  const answerCols = SEGMENT_IDS.map((_, i) => {
    const candidates = answerColumns(i + 1, split);
    const found = candidates.find((c) => table.columns.includes(c));
    if (!found) {
      throw new DatasetError(`${source} is missing the anchor column "${candidates[0]}" (segment S${i + 1}'s parsed answer)`);
    }
    return found;
  });

  const datasetId = split === 'simulation' ? FAIR_PP_SIMULATION_DATASET : FAIR_PP_DATASET;
  const seen = new Map<string, number>();
  const items: Item[] = [];
  const notes: string[] = [];
  let borrowedOptions = 0;
  table.rows.forEach((row: Row, r) => {
    const text = String(row[questionColumn] ?? '');
    if (!text.trim()) throw new DatasetError(`${source}: row ${r + 1} has an empty "${questionColumn}"`);
    let split1 = splitQuestionText(text);
    if (!split1 && split === 'simulation' && typeof row.Question === 'string') {
      // A scenario vignette without option lines: ask it with the original question's options.
      const original = splitQuestionText(row.Question);
      if (original) {
        split1 = { stem: text.trim(), options: original.options };
        borrowedOptions++;
      }
    }
    if (!split1) {
      throw new DatasetError(`${source}: row ${r + 1}'s "${questionColumn}" does not end in option lines ("A. ...", "B. ...")`);
    }
    const { stem, options } = split1;
    if (items.length > 0 && options.length !== items[0]!.options.length) {
      // The scores pool answers option by option over questions: all need the same options.
      throw new DatasetError(
        `${source}: row ${r + 1}'s "${questionColumn}" has ${options.length} option lines where row 1 has ${items[0]!.options.length}; every question needs the same options (A, B, C)`,
      );
    }
    const id = itemId(datasetId, split, text);
    const previous = seen.get(id);
    if (previous !== undefined) throw new DatasetError(`${source}: rows ${previous + 1} and ${r + 1} hold the same question (item ids must be unique)`);
    seen.set(id, r);
    const anchors: Record<string, number[]> = {};
    answerCols.forEach((column, k) => {
      const code = parseAnswerCode(row[column], column, r);
      if (code >= options.length) throw new DatasetError(`${source}: row ${r + 1}, "${column}" answers option ${code} but the question has ${options.length} options`);
      anchors[SEGMENT_IDS[k]!] = oneHot(code, options.length);
    });
    const perspective = String(row.Perspective ?? '');
    const dimension = Number(perspective.split('.')[1]);
    const refs: FairPpRefs = { anchors };
    const tier = Number(row.Tier);
    if (row.Tier !== undefined && row.Tier !== null && Number.isInteger(tier)) refs.tier = tier;
    items.push({
      id,
      question: stem,
      options,
      fixedTail: isNotApplicable(options.at(-1) ?? '') ? 1 : 0,
      meta: {
        theme: String(row.Topic ?? ''),
        category: String(row['Problem Category'] ?? ''),
        topic: String(row['Specific Problem'] ?? ''),
        groupType: String(row['Group Type'] ?? ''),
        group: String(row.Group ?? ''),
        perspective,
        dimension: Number.isInteger(dimension) ? dimension : null,
        option: row.Option === undefined ? null : String(row.Option),
        phrasing: phrasingOf(split === 'simulation' && typeof row.Question === 'string' ? row.Question : stem),
        bank: 'official',
      },
      refs: refs as unknown as Record<string, unknown>,
    });
  });
  if (borrowedOptions > 0) notes.push(`${borrowedOptions} scenario questions had no option lines; they are asked with their original question's options`);
  return { items, notes };
}
