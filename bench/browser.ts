/**
 * The engine benchmark in headless Chromium, through the built site's "Check this browser" ->
 * "Measure speed" (the same code as Node's, in the site's Worker, WASM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.ts';
import type { BrowserBenchmarkResult } from '../src/browser/benchmark-service.ts';

export interface BrowserRun {
  model: string;
  dtype: string;
  result: BrowserBenchmarkResult;
}

async function waitForServer(url: string, timeoutMs: number, server: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the preview server exited (${server.exitCode}): ${log().trim()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = `${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`; // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the preview server did not answer at ${url} within ${timeoutMs / 1000} s (last: ${lastError}); its output: ${log().trim()}`);
}

/** The files of a model folder that one number format needs (the others are not copied). */
const neededFor = (dtype: 'q4' | 'fp32') => (path: string) => {
  const name = basename(path);
  if (!/\.onnx(_data(_\d+)?)?$/.test(name)) return true;
  return name.startsWith(dtype === 'fp32' ? 'model.onnx' : 'model_q4.onnx');
};

/** Serves dist/ (with the given synthetic model folders copied into dist/models) and measures. */
export async function browserBenchmark(
  models: Array<{ folder: string; name: string; dtype: 'q4' | 'fp32'; editLogits?: boolean; threads?: number }>,
  items: number,
  port = 4180 /* not 4190: the Fetch standard blocks it (sieve) */,
): Promise<BrowserRun[]> {
  const copied: string[] = [];
  for (const m of models) {
    const target = join('dist', 'models', m.name);
    if (!existsSync(target)) {
      cpSync(m.folder, target, { recursive: true, filter: neededFor(m.dtype) });
      copied.push(target);
    }
  }
  const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let serverLog = '';
  server.stdout.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr.on('data', (d: Buffer) => (serverLog += d.toString()));
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  try {
    await waitForServer(`http://127.0.0.1:${port}/`, 120_000, server, () => serverLog);
    const out: BrowserRun[] = [];
    for (const m of models) {
      const page = await browser.newPage();
      const edit = `${m.editLogits === false ? '&benchEditLogits=0' : ''}${m.threads ? `&benchThreads=${m.threads}` : ''}`;
      await page.goto(`http://127.0.0.1:${port}/#/check?bench=1&benchModel=${m.name}&benchItems=${items}&benchDevice=wasm&benchDtype=${m.dtype}${edit}`);
      const pre = page.getByTestId('bench-json');
      const failed = page.getByTestId('bench-error');
      await pre.or(failed).waitFor({ state: 'attached', timeout: 3 * 60 * 60_000 });
      if (await failed.count()) throw new Error(`the browser benchmark of ${m.name} failed: ${await failed.textContent()}`);
      out.push({ model: m.name, dtype: m.dtype, result: JSON.parse((await pre.textContent()) ?? '{}') as BrowserBenchmarkResult });
      await page.close();
    }
    return out;
  } finally {
    await browser.close();
    server.kill();
    for (const c of copied) rmSync(c, { recursive: true, force: true });
  }
}
