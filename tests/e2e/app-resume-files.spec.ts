import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itemsDone, startRun, waitForStatus, watchErrors } from './helpers.ts';

const WVS = 'tests/fixtures/data/wvs/wvs7-fixture.csv';

test('a run from a picked file resumes after a reload once the same file is given again; another file is refused', async ({ page }) => {
  const errors = watchErrors(page);
  // Generation with the synthetic model: slow enough to reload in the middle.
  await startRun(page, { suite: 'wvs-microdata', dataFile: WVS, mode: 'generate', device: 'wasm', limit: 300 });
  await expect.poll(() => itemsDone(page), { timeout: 180_000 }).toBeGreaterThan(3);
  await page.reload();
  await waitForStatus(page, 'interrupted', 30_000);
  // Interrupted runs show what they saved and can be exported, like paused ones.
  await expect(page.getByTestId('partial-results')).toBeVisible();
  await expect(page.getByTestId('export-json')).toBeVisible();

  await expect(page.getByText('Choose wvs7-fixture.csv again to resume').first()).toBeVisible();
  await expect(page.getByTestId('resume-run')).toBeDisabled();
  await expect(page.getByTestId('resume-blocked')).toHaveText('Choose wvs7-fixture.csv again to resume');

  // Another file (here: the same respondents less the last one) is refused; the answers stay.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-'));
  const lines = readFileSync(WVS, 'utf8').trimEnd().split('\n');
  writeFileSync(join(dir, 'other.csv'), `${lines.slice(0, -1).join('\n')}\n`);
  await page.getByTestId('resume-file-data').setInputFiles(join(dir, 'other.csv'));
  await page.getByTestId('resume-run').click();
  await expect(page.getByTestId('run-status')).toContainText(/other\.csv is not the file this run used|different size/);
  await expect(page.locator('text=/of \\d+ items are saved/')).toBeVisible();

  await page.getByTestId('resume-file-data').setInputFiles(WVS);
  await page.getByTestId('resume-run').click();
  await waitForStatus(page, 'complete');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const record = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { items: Array<{ id: string }>; sample: { total: number } };
  expect(record.items).toHaveLength(record.sample.total);
  expect(new Set(record.items.map((i) => i.id)).size).toBe(record.sample.total);
  expect(errors).toEqual([]);
});
