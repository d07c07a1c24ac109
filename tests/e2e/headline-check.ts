import { expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { metricsDifference } from '../../src/core/record/metrics-agree.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';
import type { SuiteMetrics } from '../../src/suites/suite.ts';
import { fmt } from '../../src/app/lib/format.ts';

/**
 * The headline table on the page holds the numbers the scoring core computes from the exported
 * record in Node (`pluralscope score --json`, which also validates the record; the cores are
 * tested against references of their own): the Worker's metrics saved in the record equal Node's
 * within a relative 1e-9 (Chromium's V8 and Node's can differ in the last bits), and the
 * page shows the saved ones. Takes the exported record's path; returns the record and the metrics.
 */
export async function expectHeadlineFromCore(page: Page, recordPath: string): Promise<{ record: RunRecord; metrics: SuiteMetrics }> {
  const record = JSON.parse(readFileSync(recordPath, 'utf8')) as RunRecord;
  const cli = spawnSync(process.execPath, ['bin/pluralscope.mjs', 'score', recordPath, '--json'], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  expect(cli.stderr).toContain('the stored metrics agree with the recomputed ones');
  const again = JSON.parse(cli.stdout) as SuiteMetrics;
  const shown = await page
    .getByTestId('headline-table')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));
  expect(metricsDifference(record.metrics, again)).toBeNull();
  const saved = record.metrics as SuiteMetrics;
  expect(shown.map((row) => row[1])).toEqual(saved.headline.map((h) => fmt(h.value)));
  expect(shown.map((row) => row[2])).toEqual(saved.headline.map((h) => (h.low !== undefined && h.high !== undefined ? `${fmt(h.low)} – ${fmt(h.high)}` : '')));
  shown.forEach((row, i) => expect(row[0]!.startsWith(saved.headline[i]!.label), `row ${i}: ${row[0]}`).toBe(true));
  // Something was measured: at least one headline number and one interval.
  expect(shown.some((row) => /^-?\d+\.\d{3}$/.test(row[1]!))).toBe(true);
  expect(shown.some((row) => /\d – -?\d/.test(row[2]!))).toBe(true);
  return { record, metrics: again };
}
