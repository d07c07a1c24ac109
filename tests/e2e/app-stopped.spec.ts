import { expect, test } from '@playwright/test';
import { itemsDone, startRun, waitForStatus, watchErrors } from './helpers.ts';

test('an interrupted run (after a reload) shows its partial results and exports; cancelling it shows it cancelled at once', async ({ page }) => {
  const errors = watchErrors(page);
  await startRun(page, { suite: 'fair-pp-local', mode: 'likelihood', device: 'wasm', limit: 1500 });
  await expect.poll(() => itemsDone(page), { timeout: 180_000 }).toBeGreaterThan(20);
  await page.reload();
  await waitForStatus(page, 'interrupted', 30_000);
  // Like a paused run, an interrupted one shows what it saved and can be exported.
  await expect(page.getByTestId('partial-results')).toBeVisible();
  await expect(page.getByTestId('headline-table')).toBeVisible();
  await expect(page.getByTestId('export-json')).toBeVisible();
  await page.getByTestId('cancel-stopped-run').click();
  await waitForStatus(page, 'cancelled', 5_000);
  await expect(page.getByTestId('resume-run')).toHaveCount(0);
  await expect(page.getByTestId('export-json')).toBeVisible();
  expect(errors).toEqual([]);
});
