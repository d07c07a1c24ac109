import { expect, test } from '@playwright/test';
import { startRun, waitForStatus, watchErrors } from './helpers.ts';

test.use({ viewport: { width: 375, height: 667 } });

test('a long error notice is one block (no line painted over the one above)', async ({ page }) => {
  await page.goto('/#/history');
  const rects = await page.evaluate(() => {
    const p = document.createElement('p');
    const span = document.createElement('span');
    span.className = 'notice error';
    span.textContent = 'WebGPU failed mid-run (the device was lost: a very long message that wraps onto several lines at this width); everything scored so far is saved: resume to continue';
    p.append('Status: ', span);
    document.querySelector('main')!.append(p);
    return span.getClientRects().length;
  });
  expect(rects).toBe(1);
});

test('at 375 px, opening an item scrolls its details into view', async ({ page }) => {
  const errors = watchErrors(page);
  await startRun(page, { suite: 'fair-pp-local', mode: 'likelihood', device: 'wasm', limit: 30 });
  await waitForStatus(page, 'complete');
  await page.getByTestId('item-row').first().click();
  await expect(page.getByTestId('item-prompt')).toBeInViewport();
  expect(errors).toEqual([]);
});
