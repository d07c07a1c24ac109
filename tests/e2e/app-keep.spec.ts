import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAIR_PP_TEST, itemsDone, startRun, waitForStatus, watchErrors } from './helpers.ts';

test.describe.configure({ mode: 'serial' });

test('reload in the middle of a run, resume, and lose or duplicate nothing', async ({ page }) => {
  const errors = watchErrors(page);
  // Our own bank, likelihood on WASM: long enough to interrupt.
  const runId = await startRun(page, { suite: 'fair-pp-local', mode: 'likelihood', device: 'wasm', limit: 1500 });
  await expect.poll(() => itemsDone(page), { timeout: 180_000 }).toBeGreaterThan(200);
  await page.reload();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'interrupted', { timeout: 30_000 });
  const saved = await page.evaluate(async (id) => {
    const open = indexedDB.open('pluralscope');
    const db: IDBDatabase = await new Promise((r) => (open.onsuccess = () => r(open.result)));
    const count: number = await new Promise((r) => {
      const q = db.transaction('items').objectStore('items').index('runId').count(IDBKeyRange.only(id));
      q.onsuccess = () => r(q.result);
    });
    db.close();
    return count;
  }, runId);
  expect(saved).toBeGreaterThan(0);
  expect(saved).toBeLessThan(1500);
  await page.getByTestId('resume-run').click();
  await waitForStatus(page, 'complete');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const record = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { items: Array<{ id: string }>; sample: { total: number } };
  expect(record.sample.total).toBe(1500);
  expect(record.items).toHaveLength(1500);
  expect(new Set(record.items.map((i) => i.id)).size).toBe(1500);
  expect(errors).toEqual([]);
});

test('pause a run, then cancel it while paused: its saved items stay, and it no longer offers to resume', async ({ page }) => {
  const errors = watchErrors(page);
  const runId = await startRun(page, { suite: 'fair-pp-local', mode: 'likelihood', device: 'wasm', limit: 1500 });
  await expect.poll(() => itemsDone(page), { timeout: 180_000 }).toBeGreaterThan(50);
  await page.getByTestId('pause-run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused', { timeout: 30_000 });
  const saved = Number(/(\d+) of \d+ items are saved/.exec((await page.locator('text=/of \\d+ items are saved/').textContent()) ?? '')?.[1] ?? 0);
  expect(saved).toBeGreaterThan(50);
  await page.getByTestId('cancel-stopped-run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('resume-run')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.locator('text=/of \\d+ items are saved/')).toContainText(`${saved} of 1500 items are saved`);
  await page.goto('/#/history');
  await expect(page.locator(`[data-run-id="${runId}"]`)).toContainText(/cancelled/i);
  expect(errors).toEqual([]);
});

test('compare two runs, import a record, reject a malformed one, delete a run', async ({ page }) => {
  const errors = watchErrors(page);
  const a = await startRun(page, { dataFile: FAIR_PP_TEST, mode: 'likelihood', device: 'wasm', limit: 40 });
  await waitForStatus(page, 'complete');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const exported = readFileSync((await download.path())!, 'utf8');
  const b = await startRun(page, { source: 'baseline', dataFile: FAIR_PP_TEST, limit: 40 });
  await waitForStatus(page, 'complete');

  await page.goto(`/#/compare?a=${a}&b=${b}`);
  await expect(page.getByTestId('compare-table')).toContainText('Similarity to S1');
  await expect(page.getByTestId('compare-table')).toContainText('–');
  // Each table says which questions it is measured on.
  await expect(page.getByTestId('compare-table').locator('thead')).toContainText('(on the 40 shared questions)');
  await expect(page.getByTestId('compare-scope-b')).toHaveText('Its own results, on all 40 of its questions');
  await page.screenshot({ path: `${process.env.PLURALSCOPE_SCREENSHOTS ?? 'test-results/screenshots'}/compare.png`, fullPage: true });

  // Delete run A, then import its exported record back.
  await page.goto(`/#/runs/${a}`);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('delete-run').click();
  await page.waitForURL(/#\/history/);
  await expect(page.locator(`[data-run-id="${a}"]`)).toHaveCount(0);
  // A comparison link to the deleted run says which run is gone, and offers the other runs.
  await page.goto(`/#/compare?a=${a}&b=${b}`);
  await expect(page.getByTestId('compare-missing')).toContainText(a);
  await expect(page.getByRole('link', { name: /baseline/ })).toBeVisible();
  await page.goto('/#/history');
  const dir = mkdtempSync(join(tmpdir(), 'e2e-'));
  writeFileSync(join(dir, 'run.json'), exported);
  await page.getByTestId('import-record').setInputFiles(join(dir, 'run.json'));
  await page.waitForURL(new RegExp(`#/runs/${a}`));
  await expect(page.getByTestId('headline-table')).toContainText('Similarity to S1');

  // A malformed record is refused with a specific message and changes nothing.
  await page.goto('/#/history');
  // Run B and the re-imported run A (waited for: the list fills in after the page shows).
  const before = 2;
  await expect(page.getByTestId('run-row')).toHaveCount(before);
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ format: 'pluralscope.run', version: 1, id: 'x', items: 'no' }));
  await page.getByTestId('import-record').setInputFiles(join(dir, 'bad.json'));
  await expect(page.getByTestId('import-error')).toContainText(/invalid run record/);
  await expect(page.getByTestId('run-row')).toHaveCount(before);
  await page.screenshot({ path: `${process.env.PLURALSCOPE_SCREENSHOTS ?? 'test-results/screenshots'}/runs.png`, fullPage: true });
  expect(errors).toEqual([]);
});
