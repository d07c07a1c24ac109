import { expect, test } from '@playwright/test';
import { expectHeadlineFromCore } from './headline-check.ts';
import { startRun, waitForStatus, watchErrors } from './helpers.ts';

/**
 * Every WVS-family suite runs through the UI from a local file and shows its own results view;
 * the headline numbers on the page are the ones the scoring core computes from the exported
 * record in Node (the cores are tested against references of their own), not blanks or n/a.
 */
const CASES = [
  { suite: 'dvmap', file: 'tests/fixtures/data/dvmap/Demographic_Value_Alignment/DVMap_Corpus/test.parquet', view: 'dvmap-results', text: 'Accuracy' },
  { suite: 'global-opinions', file: 'tests/fixtures/data/global-opinions/data/global_opinions.csv', view: 'global-opinions-results', text: 'Most similar' },
  { suite: 'wvs-microdata', file: 'tests/fixtures/data/wvs/wvs7-fixture.csv', view: 'wvs-results', text: 'Fairness spread' },
];

for (const c of CASES) {
  test(`${c.suite}: a synthetic-model run through the UI shows its results view and the core's numbers`, async ({ page }) => {
    const errors = watchErrors(page);
    await startRun(page, { suite: c.suite, dataFile: c.file, mode: 'likelihood', device: 'wasm', limit: 30 });
    await waitForStatus(page, 'complete');
    await expect(page.getByTestId(c.view)).toContainText(c.text);
    await expect(page.getByTestId(c.view).locator('svg').first()).toBeVisible();
    await page.screenshot({ path: `${process.env.PLURALSCOPE_SCREENSHOTS ?? 'test-results/screenshots'}/results-${c.suite}.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    await expectHeadlineFromCore(page, (await download.path())!);
    expect(errors).toEqual([]);
  });
}
