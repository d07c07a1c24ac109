/** An interrupted `pluralscope run` (Ctrl-C, kill) saves every item scored so far and can be resumed. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateRunRecord } from '../../src/core/record/build.ts';
import { startChatServer, type ChatServer } from '../helpers/chat-server.ts';
import { BIN, runCli } from '../helpers/cli.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-interrupt-'));
const env = { PLURALSCOPE_CACHE: join(dir, 'cache') };
const testParquet = `${FIXTURES}/fair-pp/test.parquet`;

/** Runs the CLI and sends `signal` once it has printed `progressLines` progress lines with some items done. */
function runAndInterrupt(args: string[], signal: NodeJS.Signals, progressLines: number) {
  return new Promise<{ code: number | null; stderr: string; lastDone: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let seen = 0;
    let lastDone = 0;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const done = [...stderr.matchAll(/^(\d+)\/\d+ items/gm)].map((m) => Number(m[1]));
      if (done.length > seen) {
        seen = done.length;
        lastDone = done.at(-1)!;
        if (seen === progressLines && lastDone > 0) child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, lastDone }));
  });
}

describe('pluralscope run, interrupted', () => {
  let server: ChatServer;
  beforeAll(async () => {
    server = await startChatServer({ delayMs: 40 });
  });
  afterAll(async () => {
    await server.close();
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: saves every scored item, exits %i, and --resume completes the run', async (signal, exitCode) => {
    const out = join(dir, `${signal}.json`);
    const model = `endpoint:${server.baseUrl}#slow`;
    const run = await runAndInterrupt(['run', '--suite', 'fair-pp', '--data', testParquet, '--model', model, '--resamples', '0', '--out', out], signal, 2);
    expect(run.code, run.stderr).toBe(exitCode);
    expect(run.stderr).toMatch(new RegExp(`interrupted by ${signal}: saved \\d+ scored items to .*; continue with: pluralscope run --resume `));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const saved = validateRunRecord(readFileSync(out, 'utf8'));
    expect(saved.status).not.toBe('complete');
    expect(saved.items.length).toBeGreaterThanOrEqual(run.lastDone);
    expect(saved.items.length).toBeLessThan(120);

    const resumed = await runCli(['run', '--resume', out, '--data', testParquet, '--resamples', '0'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const record = validateRunRecord(readFileSync(out, 'utf8'));
    expect(record.status).toBe('complete');
    expect(record.items).toHaveLength(120);
    expect(new Set(record.items.map((i) => i.id)).size).toBe(120);
  }, 60_000);
});
