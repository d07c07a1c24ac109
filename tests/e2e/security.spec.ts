import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChatServer, type ChatServer } from '../helpers/chat-server.ts';
import { FAIR_PP_TEST, waitForStatus, watchErrors } from './helpers.ts';

const PAYLOADS = ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>', '"><svg onload="window.__xss=3">', 'javascript:window.__xss=4'];

test('imported text (questions, personas, options, model names) is shown as text, never run', async ({ page }) => {
  const errors = watchErrors(page);
  const dir = mkdtempSync(join(tmpdir(), 'xss-'));
  const hot = (k: number) => [0, 1, 2].map((i) => (i === k ? 1 : 0));
  const record = {
    format: 'pluralscope.run',
    version: 1,
    id: 'xss-run',
    status: 'complete',
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
    producer: { name: PAYLOADS[0], version: '1' },
    suite: { id: 'fair-pp', version: '1', options: { split: 'test', roleplay: 'none' }, data: { source: PAYLOADS[1], files: [], licence: PAYLOADS[2], citation: PAYLOADS[3] } },
    model: { ref: PAYLOADS[0], kind: 'hub', id: PAYLOADS[1] },
    runtime: { device: PAYLOADS[2], libraries: {} },
    scoring: { mode: 'likelihood', order: 'fixed', seed: 0, template: { id: PAYLOADS[3], hash: 'h', user: '{question}\n{options}', option: '{label}. {text}', optionSeparator: '\n' } },
    sample: { strategy: 'all', seed: 0, itemSetHash: 'x', total: 4 },
    systemPrompts: { k: PAYLOADS[1] },
    items: PAYLOADS.map((p, i) => ({ id: `item${i}`, question: p, system: 'k', meta: { group: p, topic: PAYLOADS[(i + 1) % 4]!, dimension: 1 }, refs: { anchors: { S1: hot(i % 3), [p]: hot(0) } }, options: [p, 'b', 'N/A'], distribution: hot(i % 3) })),
    events: [],
  };
  writeFileSync(join(dir, 'xss.json'), JSON.stringify(record));
  await page.goto('/#/history');
  await page.getByTestId('import-record').setInputFiles(join(dir, 'xss.json'));
  await page.waitForURL(/#\/runs\/xss-run/);
  await expect(page.getByTestId('fair-pp-results')).toBeVisible();
  await page.getByTestId('item-row').first().click();
  await expect(page.getByTestId('item-prompt')).toContainText(PAYLOADS[0]!);
  await expect(page.getByTestId('item-system')).toContainText(PAYLOADS[1]!);
  await page.getByTestId('share-button').click();
  await page.goto(await page.getByTestId('share-link').inputValue());
  await expect(page.getByTestId('shared-headline')).toBeVisible();
  await page.goto('/#/history');
  await expect(page.getByTestId('runs-table')).toContainText(PAYLOADS[0]!);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0);
  expect(errors).toEqual([]);
});

test.describe('secrets', () => {
  let server: ChatServer;
  test.beforeAll(async () => {
    server = await startChatServer({ apiKey: 'sk-test-secret-12345' });
  });
  test.afterAll(async () => server.close());

  test('an endpoint API key is used for the run and appears in no record, export, share link, storage or log', async ({ page }) => {
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    const errors = watchErrors(page);
    await page.goto('/#/run?suite=fair-pp&source=endpoint');
    await page.getByTestId('file-data').setInputFiles(FAIR_PP_TEST);
    await page.locator('#endpoint-url').fill(server.baseUrl);
    await page.locator('#endpoint-model').fill('test-model');
    await page.locator('#api-key').fill('sk-test-secret-12345');
    await page.getByTestId('mode-select').selectOption('likelihood');
    await page.getByTestId('limit-input').fill('6');
    await expect(page.getByTestId('endpoint-cost')).toContainText('6');
    await page.getByTestId('start-run').click();
    await waitForStatus(page, 'complete');
    expect(server.calls.length).toBeGreaterThanOrEqual(6);
    expect(server.calls.every((c) => c.authorization === 'Bearer sk-test-secret-12345')).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    expect(readFileSync((await download.path())!, 'utf8')).not.toContain('sk-test-secret');
    await page.getByTestId('share-button').click();
    expect(await page.getByTestId('share-link').inputValue()).not.toContain('sk-test-secret');
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('pluralscope');
      const db: IDBDatabase = await new Promise((r) => (open.onsuccess = () => r(open.result)));
      const dump: unknown[] = [];
      for (const name of Array.from(db.objectStoreNames)) {
        dump.push(await new Promise((r) => {
          const q = db.transaction(name).objectStore(name).getAll();
          q.onsuccess = () => r(q.result);
        }));
      }
      db.close();
      return JSON.stringify(dump);
    });
    expect(stored).not.toContain('sk-test-secret');
    expect(logs.join('\n')).not.toContain('sk-test-secret');
    expect(errors).toEqual([]);
  });
});
