import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers.ts';

const WVS = 'tests/fixtures/data/wvs/wvs7-fixture.csv';

test('"Start the run" says why it is disabled when a required file is missing', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/run?suite=wvs-microdata&source=synthetic');
  await expect(page.getByTestId('start-run')).toBeDisabled();
  await expect(page.getByTestId('start-blocked')).toHaveText('Choose your WVS Wave 7 CSV first.');
  await page.getByTestId('file-data').setInputFiles(WVS);
  await expect(page.getByTestId('start-run')).toBeEnabled();
  await expect(page.getByTestId('start-blocked')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Back after a failed start finds the form as it was (files must be chosen again, and it says so)', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/run?suite=wvs-microdata&source=synthetic');
  await page.getByTestId('file-data').setInputFiles(WVS);
  await page.locator('#opt-country').fill('XXX');
  await page.locator('#opt-keep').fill('sex=1');
  await page.locator('#opt-minCount').fill('40');
  await page.getByTestId('limit-input').fill('25');
  await page.getByTestId('device-select').selectOption('wasm');
  await page.getByTestId('mode-select').selectOption('likelihood');
  await page.getByTestId('start-run').click();
  await page.waitForURL(/#\/runs\//);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await page.goBack();
  await expect(page.getByTestId('start-run')).toBeVisible();
  await expect(page.locator('#opt-country')).toHaveValue('XXX');
  await expect(page.locator('#opt-keep')).toHaveValue('sex=1');
  await expect(page.locator('#opt-minCount')).toHaveValue('40');
  await expect(page.getByTestId('limit-input')).toHaveValue('25');
  await expect(page.getByTestId('device-select')).toHaveValue('wasm');
  await expect(page.getByTestId('mode-select')).toHaveValue('likelihood');
  await expect(page.getByTestId('files-not-kept')).toContainText('choose them again');
  await expect(page.getByTestId('start-blocked')).toHaveText('Choose your WVS Wave 7 CSV first.');
  // Another suite keeps its own defaults.
  await page.getByTestId('suite-select').selectOption('global-opinions');
  await expect(page.getByTestId('files-not-kept')).toHaveCount(0);
  expect(errors).toEqual([]);
});
