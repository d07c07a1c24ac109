import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { FAIR_PP_TEST, startRun, waitForStatus, watchErrors } from './helpers.ts';
import { expectHeadlineFromCore } from './headline-check.ts';

/** Screenshots land in test-results/ (refresh the README's with PLURALSCOPE_SCREENSHOTS=docs/screenshots). */
const SHOTS = process.env.PLURALSCOPE_SCREENSHOTS ?? 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

test.describe.configure({ mode: 'serial' });

test('a full run through the UI to the results page (WASM), with charts, drill-down, export and share', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.screenshot({ path: `${SHOTS}/home.png`, fullPage: true });
  await page.goto('/#/run?suite=fair-pp&source=synthetic');
  await page.getByTestId('file-data').setInputFiles(FAIR_PP_TEST);
  await page.screenshot({ path: `${SHOTS}/new-run.png`, fullPage: true });

  const runId = await startRun(page, { dataFile: FAIR_PP_TEST, mode: 'likelihood', device: 'wasm', limit: 60 });
  await waitForStatus(page, 'complete');
  await expect(page.getByTestId('nearest-segment')).toContainText(/S\d/);
  await expect(page.getByTestId('chart-similarity').locator('svg')).toBeVisible();
  await expect(page.getByTestId('headline-table')).toContainText('Similarity to S1');
  await expect(page.getByTestId('run-device')).toContainText('wasm');
  await page.screenshot({ path: `${SHOTS}/results.png`, fullPage: true });

  // Drill into one item: the prompt as the model saw it.
  await page.getByTestId('item-row').first().click();
  await expect(page.getByTestId('item-prompt')).toContainText('Directly select your option without explanation.');
  // Each row shows its id under the question; the search finds it whatever the case.
  const firstId = (await page.getByTestId('item-row').first().locator('.item-id').textContent())!.trim();
  await page.getByLabel('Search questions, ids or attributes').fill(firstId.toUpperCase());
  await expect(page.getByTestId('item-row').first()).toContainText(firstId);
  await page.getByLabel('Search questions, ids or attributes').fill('');

  // Export the run record and check it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const path = await download.path();
  const record = JSON.parse(readFileSync(path!, 'utf8'));
  expect(record.id).toBe(runId);
  expect(record.items).toHaveLength(60);
  expect(record.suite.data.licence).toMatch(/CC-BY-NC-SA/);
  // The committed synthetic model has no num_logits_to_keep: the Worker added it at load.
  expect(record.runtime.logits).toMatch(/^last position only \(num_logits_to_keep added to the graph at load\)/);
  expect(JSON.stringify(record)).not.toMatch(/hf_|sk-/);
  // The numbers on the page are the scoring core's, the nearest segment included.
  const { metrics } = await expectHeadlineFromCore(page, path!);
  const nearest = (metrics.details as { nearest: string | null }).nearest;
  expect(nearest).toMatch(/^S\d$/);
  await expect(page.getByTestId('nearest-segment')).toContainText(nearest!);

  // The service worker keeps the app shell, never model files (transformers.js caches those once;
  // a second copy doubled storage, and a file larger than the cache allows failed to load).
  const shell = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const key of await caches.keys()) {
      if (key.startsWith('pluralscope-shell-')) for (const request of await (await caches.open(key)).keys()) urls.push(request.url);
    }
    const models: string[] = [];
    for (const request of await (await caches.open('transformers-cache')).keys()) models.push(request.url);
    return { urls, models };
  });
  expect(shell.urls.some((u) => u.includes('/assets/'))).toBe(true);
  expect(shell.urls.filter((u) => u.includes('/models/'))).toEqual([]);
  expect(shell.models.some((u) => /\/models\/synthetic-tiny\/onnx\/model(_q4)?\.onnx$/.test(u))).toBe(true);

  // A share link holds the summary only, and opens in a fresh page.
  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#\/share\?d=/);
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByTestId('shared-headline')).toContainText('Similarity to S1');
  await other.close();
  expect(errors).toEqual([]);
});

test('a run on WebGPU where the browser offers an adapter', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const hasGpu = await page.evaluate(async () => Boolean(await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()));
  test.info().annotations.push({ type: 'webgpu', description: hasGpu ? 'adapter available: WebGPU run executed' : 'no adapter: WebGPU run not possible here' });
  if (!hasGpu) {
    console.log('WebGPU: this browser offers no adapter; the WebGPU run was not possible (WASM runs are tested above)');
    return;
  }
  await startRun(page, { dataFile: FAIR_PP_TEST, mode: 'likelihood', device: 'webgpu', limit: 20 });
  await waitForStatus(page, 'complete');
  await expect(page.getByTestId('run-device')).toContainText('webgpu');
  await expect(page.getByTestId('run-device')).toContainText('num_logits_to_keep added to the graph at load');
  expect(errors).toEqual([]);
});
