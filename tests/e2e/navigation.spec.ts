import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers.ts';

/** Links are the app's state: a new link on the same page applies, and the skip link keeps the page. */
test('a link to the same page with another query applies it; back restores; the skip link keeps the form', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/run?suite=fair-pp-local');
  const suite = page.getByTestId('suite-select');
  await expect(suite).toHaveValue('fair-pp-local');

  await page.evaluate(() => { location.hash = '#/run?suite=dvmap'; });
  await expect(suite).toHaveValue('dvmap');
  await page.goBack();
  await expect(suite).toHaveValue('fair-pp-local');

  // Unsaved choices survive the keyboard skip link: it focuses <main> and leaves the URL alone.
  await suite.selectOption('global-opinions');
  await page.locator('a.skip').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  expect(await page.evaluate(() => location.hash)).toBe('#/run?suite=fair-pp-local');
  await expect(suite).toHaveValue('global-opinions');
  expect(errors).toEqual([]);
});

test('pages opened without what their link should carry say what to do', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/share');
  await expect(page.getByTestId('share-empty')).toContainText('This link holds no result');
  await page.goto('/#/share?d=AAAA');
  await expect(page.getByRole('alert')).toContainText('damaged');
  await page.goto('/#/compare');
  await expect(page.getByText('Pick the first run')).toBeVisible();
  await expect(page.getByText('No finished run yet.')).toBeVisible();
  await page.goto('/#/compare?a=no-such-run');
  await expect(page.getByTestId('compare-missing')).toContainText('no-such-run');
  expect(errors).toEqual([]);
});

test('each page names itself in the tab, and an unknown page says so instead of showing Home', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/');
  await expect(page).toHaveTitle('Pluralscope');
  for (const [hash, title] of [
    ['#/run', 'New run · Pluralscope'],
    ['#/history', 'Runs · Pluralscope'],
    ['#/methods', 'Methods · Pluralscope'],
  ]) {
    await page.goto(`/${hash}`);
    await expect(page).toHaveTitle(title!);
  }
  await page.goto('/#/nosuchpage');
  await expect(page.getByTestId('not-found')).toContainText('There is no page #/nosuchpage');
  await expect(page).toHaveTitle('Page not found · Pluralscope');
  expect(errors).toEqual([]);
});

test('New run recommends the number format for the device the run will get (auto takes WASM over a software adapter)', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/run?suite=fair-pp&source=catalogue');
  await page.locator('#catalogue').selectOption('onnx-community/Qwen2.5-0.5B-Instruct');
  const software = await page.evaluate(async () => {
    const adapter = await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu?.requestAdapter();
    return adapter ? Boolean(adapter.info?.isFallbackAdapter) : null;
  });
  test.info().annotations.push({ type: 'webgpu', description: software === null ? 'no adapter' : software ? 'software adapter' : 'hardware adapter' });
  await page.getByTestId('device-select').selectOption('wasm');
  // The catalogue's WASM choice for this model (q8: smaller and closer to fp32 than q4 there).
  await expect(page.getByTestId('dtype-select').locator('option[value="recommended"]')).toHaveText('recommended (q8)');
  if (software !== false) {
    // No adapter or only SwiftShader: auto runs on WASM, so it recommends WASM's format too.
    await page.getByTestId('device-select').selectOption('auto');
    await expect(page.getByTestId('dtype-select').locator('option[value="recommended"]')).toHaveText('recommended (q8)');
  }
  expect(errors).toEqual([]);
});
