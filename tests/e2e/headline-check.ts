import { expect, type Page } from '@playwright/test';
import { computeMetrics } from '../../src/core/run/execute-run.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';
import type { SuiteMetrics } from '../../src/suites/suite.ts';
import { getSuite } from '../../src/suites/registry.ts';
import { fmt } from '../../src/app/lib/format.ts';

/**
 * The headline table on the page holds the numbers the scoring core computes from the exported
 * record in Node (the cores are tested against references of their own), and the Worker's
 * metrics saved in the record are the same to the last bit. Returns the recomputed metrics.
 */
export async function expectHeadlineFromCore(page: Page, record: RunRecord): Promise<SuiteMetrics> {
  const shown = await page
    .getByTestId('headline-table')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));
  const again = computeMetrics(getSuite(record.suite.id), record, { seed: record.scoring.seed, resamples: 1000 });
  expect(record.metrics).toEqual(JSON.parse(JSON.stringify(again)));
  expect(shown.map((row) => row[1])).toEqual(again.headline.map((h) => fmt(h.value)));
  expect(shown.map((row) => row[2])).toEqual(again.headline.map((h) => (h.low !== undefined && h.high !== undefined ? `${fmt(h.low)} – ${fmt(h.high)}` : '')));
  shown.forEach((row, i) => expect(row[0]!.startsWith(again.headline[i]!.label), `row ${i}: ${row[0]}`).toBe(true));
  // Something was measured: at least one headline number and one interval.
  expect(shown.some((row) => /^-?\d+\.\d{3}$/.test(row[1]!))).toBe(true);
  expect(shown.some((row) => /\d – -?\d/.test(row[2]!))).toBe(true);
  return again;
}
