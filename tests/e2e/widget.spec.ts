import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runCli } from '../helpers/cli.ts';
import { DVMAP_TEST, FAIR_PP_TEST } from './helpers.ts';

/**
 * A project page on ANOTHER origin (its own port) embeds the widget both ways (custom element
 * and plain iframe), and a third origin tries to talk to it.
 */
const SITE = `http://127.0.0.1:${process.env.PLURALSCOPE_TEST_PORT ?? 4174}`;

/** A tiny server; `HOST/` in a text body becomes the server's own URL (known once it listens). */
function serve(routes: Record<string, { type: string; body: string | Buffer }>): Promise<{ url: string; server: Server }> {
  let self = '';
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': route.type, 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
    res.end(typeof route.body === 'string' ? route.body.replaceAll('HOST/', `${self}/`) : route.body);
  });
  server.on('listening', () => (self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

let host: { url: string; server: Server };
let evil: { url: string; server: Server };

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'widget-'));
  const recordPath = join(dir, 'run.json');
  const cli = await runCli(['run', '--suite', 'fair-pp', '--data', FAIR_PP_TEST, '--model', 'baseline:uniform', '--out', recordPath, '--resamples', '0'], { PLURALSCOPE_CACHE: join(dir, 'cache') });
  expect(cli.code, cli.stderr).toBe(0);
  const dvmapPath = join(dir, 'dvmap.json');
  const dvmap = await runCli(['run', '--suite', 'dvmap', '--data', DVMAP_TEST, '--model', 'baseline:uniform', '--out', dvmapPath, '--resamples', '0'], { PLURALSCOPE_CACHE: join(dir, 'cache') });
  expect(dvmap.code, dvmap.stderr).toBe(0);
  // The evil page tries to make the widget show a forged record.
  evil = await serve({
    '/evil.html': {
      type: 'text/html',
      body: `<script>
        const forged = ${JSON.stringify({ forged: true })};
        setInterval(() => { for (let i = 0; i < parent.frames.length; i++) { try { parent.frames[i].postMessage({ source: 'pluralscope-host', widget: 'iframe', type: 'show', record: forged }, '*'); } catch (e) {} } }, 200);
      </script>`,
    },
  });
  host = await serve({
    '/test.parquet': { type: 'application/octet-stream', body: readFileSync(FAIR_PP_TEST) },
    '/stored-run.json': { type: 'application/json', body: readFileSync(recordPath) },
    '/dvmap-run.json': { type: 'application/json', body: readFileSync(dvmapPath) },
    '/not-json.json': { type: 'text/html', body: '<!doctype html><p>A page, not a record</p>' },
    '/index.html': {
      type: 'text/html',
      body: `<!doctype html><html><head><title>A project page</title><style>iframe, pluralscope-widget { color: red; font-size: 40px; }</style></head><body>
        <h1>Our model card</h1>
        <script src="${SITE}/embed.js"></script>
        <pluralscope-widget id="runner" suite="fair-pp" model="synthetic:tiny" sample="15" mode="run" device="wasm" autorun="true" data="HOST/test.parquet" height="360"></pluralscope-widget>
        <pluralscope-widget id="shower" mode="show" src="/stored-run.json" height="360"></pluralscope-widget>
        <pluralscope-widget id="dvmap-shower" mode="show" src="/dvmap-run.json" height="300"></pluralscope-widget>
        <pluralscope-widget id="missing" mode="show" src="/no-such-run.json" height="200"></pluralscope-widget>
        <pluralscope-widget id="not-json" mode="show" src="/not-json.json" height="200"></pluralscope-widget>
        <iframe id="plain" title="plain iframe form" style="width:100%;height:300px" src="${SITE}/embed.html?suite=fair-pp&model=synthetic:tiny&mode=run&sample=5&device=wasm&data=HOST/test.parquet"></iframe>
        <iframe id="bad-suite" title="a widget asked for a suite that does not exist" style="width:100%;height:200px" src="${SITE}/embed.html?suite=no-such-suite&model=synthetic:tiny&mode=run&sample=5&device=wasm"></iframe>
        <iframe id="evil" src="${evil.url}/evil.html"></iframe>
        <script>
          window.events = [];
          for (const type of ['pluralscope:ready', 'pluralscope:progress', 'pluralscope:done', 'pluralscope:error']) {
            document.addEventListener(type, (e) => window.events.push({ type, target: e.target.id, detail: e.detail }));
          }
        </script>
      </body></html>`,
    },
  });
});

test.afterAll(async () => {
  host?.server.close();
  evil?.server.close();
});

test('the widget runs in a page on another origin, fires its events, shows a stored record, and ignores foreign messages', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text().slice(0, 300)); });
  await page.goto(`${host.url}/index.html`);

  // Custom element, run mode: progress then done, with the summary.
  await expect.poll(async () => page.evaluate(() => (window as unknown as { events: Array<{ type: string; target: string }> }).events.filter((e) => e.target === 'runner').map((e) => e.type)), { timeout: 240_000 }).toContain('pluralscope:done');
  const events = await page.evaluate(() => (window as unknown as { events: Array<{ type: string; target: string; detail: { suite?: string; items?: number; headline?: unknown[]; done?: number } }> }).events);
  const runner = events.filter((e) => e.target === 'runner');
  expect(runner.some((e) => e.type === 'pluralscope:progress')).toBe(true);
  const done = runner.find((e) => e.type === 'pluralscope:done')!.detail;
  expect(done.suite).toBe('fair-pp');
  expect(done.items).toBe(15);
  expect(JSON.stringify(done)).not.toMatch(/hf_|sk-|apiKey|token/i);

  // Custom element, show mode: the stored record from the host page.
  const shower = events.find((e) => e.target === 'shower' && e.type === 'pluralscope:done');
  expect(shower?.detail.items).toBe(120);

  // A record of another suite is shown under its own suite's title (not the default FAIR-SP's).
  // The widgets' frames sit in closed shadow roots: find them among the page's frames by content.
  await expect
    .poll(async () => page.evaluate(() => (window as unknown as { events: Array<{ type: string; target: string; detail: { suite?: string } }> }).events.find((e) => e.target === 'dvmap-shower' && e.type === 'pluralscope:done')?.detail.suite))
    .toBe('dvmap');
  const widgetTexts = async () =>
    Promise.all(page.frames().filter((f) => f.url().includes('/embed.html')).map(async (f) => (await f.locator('[data-testid="widget"]').textContent().catch(() => null)) ?? ''));
  await expect.poll(async () => (await widgetTexts()).filter((t) => t.includes('Accuracy')).length).toBe(1);
  const dvmapText = (await widgetTexts()).find((t) => t.includes('Accuracy'))!;
  expect(dvmapText).toContain('DVMap');
  expect(dvmapText).not.toContain('FAIR-SP');

  // A record that cannot be fetched or read: an error event, and the widget says so instead of waiting.
  for (const [id, message] of [
    ['missing', 'HTTP 404 for /no-such-run.json'],
    ['not-json', '/not-json.json is not a run record (not JSON)'],
  ] as const) {
    await expect.poll(async () => page.evaluate((target) => (window as unknown as { events: Array<{ type: string; target: string; detail: { message?: string } }> }).events.find((e) => e.target === target && e.type === 'pluralscope:error')?.detail.message, id)).toBe(message);
    await expect.poll(async () => (await widgetTexts()).filter((t) => t.includes(`Could not load the run record: ${message}`) && !t.includes('Waiting for the run record')).length).toBe(1);
  }

  // The iframe form works on its own.
  const plain = page.frameLocator('#plain');
  await plain.getByTestId('widget-run').click();
  await expect(plain.getByTestId('widget-result')).toContainText('Nearest segment', { timeout: 240_000 });

  // A suite that does not exist: the error, and no progress line left saying "starting…".
  const bad = page.frameLocator('#bad-suite');
  await bad.getByTestId('widget-run').click();
  await expect(bad.getByTestId('widget-error')).toContainText('no-such-suite');
  await expect(bad.getByTestId('widget-progress')).toHaveCount(0);

  // The forged record from the third origin was never shown.
  await page.waitForTimeout(1000);
  await expect(plain.getByTestId('widget-result')).toContainText('synthetic:tiny');
  await expect(plain.getByTestId('widget-error')).toHaveCount(0);

  // The host page's CSS did not leak into the widget, and the widget cannot be read by the host.
  const hostCanRead = await page.evaluate(() => {
    const el = document.querySelector('#runner') as HTMLElement & { shadowRoot: ShadowRoot | null };
    return el.shadowRoot !== null;
  });
  expect(hostCanRead).toBe(false);
  await page.screenshot({ path: `${process.env.PLURALSCOPE_SCREENSHOTS ?? 'test-results/screenshots'}/widget.png`, fullPage: true });
  expect(errors).toEqual([]);
});
