import { expect, type Page } from '@playwright/test';

export const FAIR_PP_TEST = 'tests/fixtures/data/fair-pp/test.parquet';
export const DVMAP_TEST = 'tests/fixtures/data/dvmap/Demographic_Value_Alignment/DVMap_Corpus/test.parquet';

/** Fails the test on uncaught page errors. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export interface RunForm {
  suite?: string;
  source?: 'synthetic' | 'baseline';
  dataFile?: string;
  mode?: 'likelihood' | 'generate' | 'default';
  device?: 'auto' | 'wasm' | 'webgpu';
  limit?: number;
}

/** Fills the New run form and starts; returns the run's id (from the URL). */
export async function startRun(page: Page, form: RunForm): Promise<string> {
  await page.goto(`/#/run?suite=${form.suite ?? 'fair-pp'}&source=${form.source ?? 'synthetic'}`);
  await expect(page.getByTestId('start-run')).toBeVisible();
  if (form.dataFile) await page.getByTestId('file-data').setInputFiles(form.dataFile);
  if (form.mode) await page.getByTestId('mode-select').selectOption(form.mode);
  if (form.device && (form.source ?? 'synthetic') === 'synthetic') await page.getByTestId('device-select').selectOption(form.device);
  if (form.limit) await page.getByTestId('limit-input').fill(String(form.limit));
  await page.getByTestId('start-run').click();
  await page.waitForURL(/#\/runs\//);
  return page.url().split('#/runs/')[1]!;
}

export async function waitForStatus(page: Page, status: string, timeout = 240_000): Promise<void> {
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', status, { timeout });
}

/** Items scored so far by the run on the page (infinity once it is complete). */
export async function itemsDone(page: Page): Promise<number> {
  const status = await page.getByTestId('run-status').getAttribute('data-status', { timeout: 1000 }).catch(() => null);
  if (status === 'complete') return Number.POSITIVE_INFINITY;
  const text = (await page.getByTestId('progress-text').textContent({ timeout: 1000 }).catch(() => '')) ?? '';
  return Number(/(\d+) of \d+ items/.exec(text)?.[1] ?? 0);
}
