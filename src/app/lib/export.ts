/** Exports of a run: the record as JSON (with licence and citation inside), the items as CSV. */
import type { RunRecord } from '../../core/record/schema.ts';
import { saveText } from './download.ts';

export function fileStem(record: RunRecord): string {
  const model = record.model.ref.replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 60);
  return `pluralscope-${record.suite.id}-${model}-${record.createdAt.slice(0, 10)}`;
}

export function exportRecordJson(record: RunRecord): void {
  saveText(`${JSON.stringify(record, null, 1)}\n`, `${fileStem(record)}.run.json`);
}

export async function itemsCsv(record: RunRecord): Promise<string> {
  const { default: Papa } = await import('papaparse');
  const metaKeys = [...new Set(record.items.flatMap((i) => Object.keys(i.meta)))].sort();
  const maxOptions = Math.max(...record.items.map((i) => i.options.length));
  const rows = record.items.map((item) => {
    const row: Record<string, unknown> = { id: item.id, question: item.question ?? '' };
    for (const k of metaKeys) row[k] = item.meta[k] ?? '';
    for (let i = 0; i < maxOptions; i++) {
      row[`option_${i + 1}`] = item.options[i] ?? '';
      row[`p_${i + 1}`] = item.distribution?.[i] ?? '';
    }
    row.label_mass = item.labelMass ?? '';
    row.invalid = item.invalid ?? '';
    row.raw = item.raw?.join(' | ') ?? '';
    return row;
  });
  const header = [
    `# Pluralscope run ${record.id}: suite ${record.suite.id}, model ${record.model.ref}, ${record.scoring.mode}`,
    `# Data licence: ${record.suite.data.licence}`,
    `# Citation: ${record.suite.data.citation}`,
  ].join('\n');
  return `${header}\n${Papa.unparse(rows)}\n`;
}

export async function exportItemsCsv(record: RunRecord): Promise<void> {
  saveText(await itemsCsv(record), `${fileStem(record)}.items.csv`, 'text/csv');
}
