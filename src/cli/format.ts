/** Plain-text summaries of a run for the terminal. */
import type { RunRecord } from '../core/record/schema.ts';
import type { SuiteMetrics } from '../suites/suite.ts';

const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || Number.isNaN(x) ? 'N/A' : x.toFixed(digits));

export function formatHeadline(record: RunRecord): string {
  const metrics = record.metrics as SuiteMetrics | undefined;
  const lines = [
    `${record.suite.id} · ${record.model.ref} · ${record.scoring.mode}, ${record.scoring.order} order · ${record.items.length} items`,
  ];
  for (const h of metrics?.headline ?? []) {
    const interval = h.low !== undefined && h.high !== undefined ? ` [${num(h.low)}, ${num(h.high)}]` : '';
    const tag = h.official ? ' (official)' : '';
    lines.push(`  ${h.label.padEnd(40)} ${num(h.value)}${interval}${tag}${h.note ? `  ${h.note}` : ''}`);
  }
  lines.push(`Data: ${record.suite.data.source}${record.suite.data.revision ? `@${record.suite.data.revision}` : ''}. Licence: ${record.suite.data.licence}.`);
  return `${lines.join('\n')}\n`;
}
