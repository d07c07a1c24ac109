import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runCli } from '../helpers/cli.ts';
import { FAIR_PP_TEST } from './helpers.ts';

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
    '/index.html': {
      type: 'text/html',
      body: `<!doctype html><html><head><title>A project page</title><style>iframe, pluralscope-widget { color: red; font-size: 40px; }</style></head><body>
        <h1>Our model card</h1>
        <script src="${SITE}/embed.js"></script>
        <pluralscope-widget id="runner" suite="fair-pp" model="synthetic:tiny" sample="15" mode="run" device="wasm" autorun="true" data="HOST/test.parquet" height="360"></pluralscope-widget>
        <pluralscope-widget id="shower" mode="show" src="/stored-run.json" height="360"></pluralscope-widget>
        <iframe id="plain" title="plain iframe form" style="width:100%;height:300px" src="${SITE}/embed.html?suite=fair-pp&model=synthetic:tiny&mode=run&sample=5&device=wasm&data=HOST/test.parquet"></iframe>
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

  // The iframe form works on its own.
  const plain = page.frameLocator('#plain');
  await plain.getByTestId('widget-run').click();
  await expect(plain.getByTestId('widget-result')).toContainText('Nearest segment', { timeout: 240_000 });

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
