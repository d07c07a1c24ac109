/** Exports of a run: the record as JSON (with licence and citation inside), the items as CSV. */
import { withNotes } from '../../core/record/notes.ts';
import type { RunRecord } from '../../core/record/schema.ts';
import { saveText } from './download.ts';

export function fileStem(record: RunRecord): string {
  const model = record.model.ref.replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 60);
  return `pluralscope-${record.suite.id}-${model}-${record.createdAt.slice(0, 10)}`;
}

/** The record as exported: with the run's notes on the data (as note events, see core/record/notes.ts). */
export function recordJson(record: RunRecord, notes: readonly string[] = []): string {
  return `${JSON.stringify(withNotes(record, notes), null, 1)}\n`;
}

export function exportRecordJson(record: RunRecord, notes: readonly string[] = []): void {
  saveText(recordJson(record, notes), `${fileStem(record)}.run.json`);
}

/**
 * One row per question, the header on the first line (so any CSV reader takes it as is); the
 * run, model, data licence and citation ride in every row, as the licence asks of every copy.
 * The item's breakdown attributes are `meta.<key>` columns (a meta key such as `question` must
 * not replace the item's own field), and `refs` holds what the item is scored against (JSON),
 * so per-item scores can be recomputed from the file alone.
 */
export async function itemsCsv(record: RunRecord): Promise<string> {
  const { default: Papa } = await import('papaparse');
  const metaKeys = [...new Set(record.items.flatMap((i) => Object.keys(i.meta)))].sort();
  const maxOptions = Math.max(0, ...record.items.map((i) => i.options.length));
  const rows = record.items.map((item) => {
    const row: Record<string, unknown> = { id: item.id, question: item.question ?? '' };
    for (const k of metaKeys) row[`meta.${k}`] = item.meta[k] ?? '';
    for (let i = 0; i < maxOptions; i++) {
      row[`option_${i + 1}`] = item.options[i] ?? '';
      row[`p_${i + 1}`] = item.distribution?.[i] ?? '';
    }
    row.refs = JSON.stringify(item.refs ?? {});
    row.label_mass = item.labelMass ?? '';
    row.invalid = item.invalid ?? '';
    row.raw = item.raw?.join(' | ') ?? '';
    row.run_id = record.id;
    row.suite = record.suite.id;
    row.model = record.model.ref;
    row.scoring = record.scoring.mode;
    row.data_licence = record.suite.data.licence;
    row.data_citation = record.suite.data.citation;
    return row;
  });
  return `${Papa.unparse(rows)}\n`;
}

export async function exportItemsCsv(record: RunRecord): Promise<void> {
  saveText(await itemsCsv(record), `${fileStem(record)}.items.csv`, 'text/csv');
}
