import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { startRun, waitForStatus, watchErrors } from './helpers.ts';

test('a run\'s notes on the data are in its exported record and come back on import', async ({ page }) => {
  const errors = watchErrors(page);
  const runId = await startRun(page, { suite: 'wvs-microdata', dataFile: 'tests/fixtures/data/wvs/wvs7-fixture.csv', mode: 'likelihood', device: 'wasm', limit: 30 });
  await waitForStatus(page, 'complete');
  // The notes saved with the run (this tab also shows its progress messages, such as "reading your WVS-7 file").
  await page.reload();
  const summary = page.locator('details.notes summary');
  const shown = Number(/\((\d+)\)/.exec((await summary.textContent()) ?? '')?.[1]);
  expect(shown).toBeGreaterThan(3);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const path = (await download.path())!;
  const record = JSON.parse(readFileSync(path, 'utf8')) as { events: Array<{ kind: string; message: string }> };
  const notes = record.events.filter((e) => e.kind === 'note').map((e) => e.message);
  expect(notes).toHaveLength(shown);
  expect(notes.some((n) => /respondents are unweighted/.test(n))).toBe(true);

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('delete-run').click();
  await page.waitForURL(/#\/history/);
  await page.getByTestId('import-record').setInputFiles({ name: 'wvs.run.json', mimeType: 'application/json', buffer: readFileSync(path) });
  await page.waitForURL(new RegExp(`#/runs/${runId}`));
  await expect(summary).toHaveText(`Notes on the data (${shown + 1})`);
  await summary.click();
  await expect(page.locator('details.notes')).toContainText('respondents are unweighted');
  await expect(page.locator('details.notes')).toContainText('imported from wvs.run.json');
  expect(errors).toEqual([]);
});
