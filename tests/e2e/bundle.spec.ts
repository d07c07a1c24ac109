import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { watchErrors } from './helpers.ts';

test('the app builds a training bundle in the browser and downloads it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/bundle?suite=fair-pp');
  await page.getByTestId('bundle-method').selectOption('wsft');
  await page.getByTestId('bundle-target').selectOption('S6');
  await page.getByTestId('bundle-file-data').setInputFiles('tests/fixtures/data/fair-pp/train.parquet');
  await page.getByTestId('bundle-file-test').setInputFiles('tests/fixtures/data/fair-pp/test.parquet');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bundle-build').click()]);
  expect(download.suggestedFilename()).toBe('pluralscope-bundle-fair-pp-wsft-s6.zip');
  const entries = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const root = 'pluralscope-bundle-fair-pp-wsft-s6/';
  const manifest = JSON.parse(strFromU8(entries[`${root}manifest.json`]!));
  expect(manifest).toMatchObject({ suite: 'fair-pp', method: 'wsft', target: 'S6', split: { train: 432, eval: 48, benchmark: 120 } });
  // The browser-built bundle has the same template files as the repository's.
  for (const file of ['train.py', 'eval_server.py', 'pluralscope_bundle/weighted.py', 'accelerate/fsdp2.yaml', 'slurm/train.sbatch']) {
    expect(strFromU8(entries[`${root}${file}`]!)).toBe(readFileSync(`src/bundle/template/${file}`, 'utf8'));
  }
  await expect(page.getByTestId('bundle-result')).toContainText('432 training');
  expect(errors).toEqual([]);
});

test('a WVS microdata bundle takes the respondent file and the suite\'s options from the page', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/bundle?suite=fair-pp');
  // A file chosen for another question set does not stay attached.
  await page.getByTestId('bundle-file-data').setInputFiles('tests/fixtures/data/fair-pp/train.parquet');
  await page.getByTestId('bundle-suite').selectOption('wvs-microdata');
  await expect(page.getByTestId('bundle-file-data')).toHaveValue('');
  await expect(page.getByText('Your WVS Wave 7 CSV')).toContainText('(required)');
  // Without the file: a message that fits the page, not a command-line flag.
  await page.getByTestId('bundle-build').click();
  await expect(page.getByTestId('bundle-error')).toContainText('choose it as the data file');
  await page.getByTestId('bundle-file-data').setInputFiles('tests/fixtures/data/wvs/wvs7-fixture.csv');
  await page.getByTestId('bundle-opt-country').fill('MYS');
  await page.getByTestId('bundle-opt-minCount').fill('20');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bundle-build').click()]);
  const entries = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const root = download.suggestedFilename().replace(/\.zip$/, '/');
  const template = JSON.parse(strFromU8(entries[`${root}data/run_template.json`]!));
  expect(template.suite.options).toMatchObject({ country: 'MYS', minCount: 20, split: 'ood' });
  const manifest = JSON.parse(strFromU8(entries[`${root}manifest.json`]!));
  expect(manifest).toMatchObject({ suite: 'wvs-microdata', method: 'lora-sft', target: 'all' });
  expect(manifest.split.train).toBeGreaterThan(0);
  expect(manifest.split.benchmark).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
