import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRng } from '../../src/core/random/prng.ts';
import { itemsDone, startRun, waitForStatus, watchErrors } from './helpers.ts';

/**
 * Nothing lost: a run is killed at 20 points drawn from a seeded generator (the page closed, or
 * separately the engine Worker killed), reopened and resumed each time; the final record has the
 * same items, distributions (1e-6) and metrics as an uninterrupted run's.
 */
test.describe.configure({ mode: 'serial' });

const RUN = { suite: 'fair-pp-local', mode: 'likelihood' as const, device: 'wasm' as const, limit: 2800 };
const KILLS = 20;

interface Exported {
  items: Array<{ id: string; distribution: number[] | null }>;
  metrics: unknown;
  sample: { total: number; itemSetHash: string };
}

async function exportRecord(page: Page): Promise<Exported> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as Exported;
}


/** Numbers equal within `tol`, everything else equal. */
function expectClose(a: unknown, b: unknown, tol: number, path = 'metrics'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a)) expect(Number.isNaN(b), path).toBe(true);
    else expect(Math.abs(a - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, path).toBe(b.length);
    a.forEach((x, i) => expectClose(x, b[i], tol, `${path}[${i}]`));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tol, `${path}.${k}`);
  } else expect(a, path).toEqual(b);
}

function compareRecords(interrupted: Exported, reference: Exported): void {
  expect(interrupted.sample.itemSetHash).toBe(reference.sample.itemSetHash);
  expect(interrupted.items.map((i) => i.id)).toEqual(reference.items.map((i) => i.id));
  expect(new Set(interrupted.items.map((i) => i.id)).size).toBe(reference.sample.total);
  interrupted.items.forEach((item, k) => expectClose(item.distribution, reference.items[k]!.distribution, 1e-6, `item ${item.id}`));
  expectClose(interrupted.metrics, reference.metrics, 1e-6);
}

let reference: Exported;

test('an uninterrupted reference run', async ({ page }) => {
  await startRun(page, RUN);
  await waitForStatus(page, 'complete');
  reference = await exportRecord(page);
  expect(reference.items).toHaveLength(RUN.limit);
});

async function killedRun(context: BrowserContext, kill: (page: Page) => Promise<Page>): Promise<Exported> {
  let page = await context.newPage();
  const errors = watchErrors(page);
  const runId = await startRun(page, RUN);
  // 20 kill points from a seeded generator: 20 of the run's 128-item slots, a random item in
  // each slot's first quarter, so consecutive points are 96 or more items apart (a progress step
  // is 32 items, and the run moves on while the page or Worker is being killed).
  const rng = createRng('reliability-kill-points');
  const slots = Array.from({ length: Math.floor(RUN.limit / 128) - 1 }, (_, i) => i + 1);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  const points = slots.slice(0, KILLS).sort((a, b) => a - b).map((slot) => slot * 128 + rng.int(32));
  let kills = 0;
  for (const point of points) {
    // Wait for the point, watching the page every frame (the run may be past it already).
    await page.waitForFunction(
      (target) => {
        if (document.querySelector('[data-testid="run-status"]')?.getAttribute('data-status') === 'complete') return true;
        const text = document.querySelector('[data-testid="progress-text"]')?.textContent ?? '';
        return Number(/(\d+) of \d+ items/.exec(text)?.[1] ?? 0) >= target;
      },
      point,
      { polling: 'raf', timeout: 120_000 },
    );
    if ((await page.getByTestId('run-status').getAttribute('data-status')) === 'complete') break;
    page = await kill(page);
    kills++;
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'interrupted', { timeout: 30_000 });
    await page.getByTestId('resume-run').click();
  }
  await waitForStatus(page, 'complete');
  test.info().annotations.push({ type: 'kills', description: `${kills} kills at items ${points.join(', ')}` });
  expect(kills).toBe(KILLS);
  const record = await exportRecord(page);
  expect(errors).toEqual([]);
  void runId;
  return record;
}

test('closing the page at 20 points loses and duplicates nothing', async ({ context }) => {
  const record = await killedRun(context, async (page) => {
    const url = page.url();
    await page.close();
    const next = await context.newPage();
    await next.goto(url);
    return next;
  });
  compareRecords(record, reference);
});

test('killing the engine Worker at 20 points loses and duplicates nothing', async ({ context }) => {
  const record = await killedRun(context, async (page) => {
    await page.evaluate(() => (window as unknown as { pluralscopeDiagnostics: { terminateEngine(): Promise<void> } }).pluralscopeDiagnostics.terminateEngine());
    return page;
  });
  compareRecords(record, reference);
});

test('a full disk pauses the run with a message, loses nothing, and the run resumes once space is freed', async ({ page }) => {
  const errors = watchErrors(page);
  const storageFull = (full: boolean) =>
    page.evaluate((f) => (window as unknown as { pluralscopeDiagnostics: { storageFull(full: boolean): Promise<void> } }).pluralscopeDiagnostics.storageFull(f), full);
  await startRun(page, RUN);
  await expect.poll(() => itemsDone(page), { timeout: 120_000 }).toBeGreaterThan(100);
  // Every write now fails with the browser's QuotaExceededError, as on a full disk.
  await storageFull(true);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused', { timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText(/storage for this site is full/);
  const saved = Number(/(\d+) of \d+ items are saved/.exec((await page.locator('text=/of \\d+ items are saved/').textContent()) ?? '')?.[1] ?? 0);
  expect(saved).toBeGreaterThan(100);
  expect(saved).toBeLessThan(RUN.limit);
  await storageFull(false);
  await page.getByTestId('resume-run').click();
  await waitForStatus(page, 'complete');
  compareRecords(await exportRecord(page), reference);
  expect(errors).toEqual([]);
});

test('a GPU device lost mid-run: the run falls back to WASM and completes', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const hasGpu = await page.evaluate(async () => Boolean(await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()));
  if (!hasGpu) {
    console.log('WebGPU: no adapter in this browser; the device-loss fallback could not be exercised here');
    return;
  }
  await startRun(page, { suite: 'fair-pp-local', mode: 'likelihood', device: 'webgpu', limit: 200 });
  await expect.poll(() => itemsDone(page), { timeout: 180_000 }).toBeGreaterThan(20);
  const lost = await page.evaluate(() => (window as unknown as { pluralscopeDiagnostics: { loseGpuDevice(): Promise<boolean> } }).pluralscopeDiagnostics.loseGpuDevice());
  expect(lost).toBe(true);
  await waitForStatus(page, 'complete', 300_000);
  await expect(page.getByTestId('run-device')).toContainText(/WebGPU failed mid-run.*continuing on WASM/);
  const record = await exportRecord(page);
  expect(record.items).toHaveLength(200);
  expect(new Set(record.items.map((i) => i.id)).size).toBe(200);
  expect(errors).toEqual([]);
});
