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
