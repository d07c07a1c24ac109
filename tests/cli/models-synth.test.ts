/** `pluralscope models synth`: checks every option before touching --out, never replaces what it did not write. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'pluralscope-synth-'));

function userFolder(name: string): string {
  const folder = join(root, name);
  mkdirSync(folder);
  writeFileSync(join(folder, 'notes.txt'), 'mine');
  return folder;
}

describe('models synth --out', () => {
  test('a too-small --vocab is a usage error and the folder is untouched', async () => {
    const folder = join(root, 'model-vocab');
    mkdirSync(folder);
    writeFileSync(join(folder, 'synthetic.json'), '{}');
    const r = await runCli(['models', 'synth', '--vocab', '10', '--out', folder]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--vocab must be at least 285 .*got 10/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(folder)).toEqual(['synthetic.json']);
  });

  test('a negative number is read as the value, and its range is checked', async () => {
    const r = await runCli(['models', 'synth', '--seed', '-1', '--out', join(root, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed must be a positive integer, got "-1"/);
    expect(existsSync(join(root, 'never'))).toBe(false);
  });

  test("a folder of the user's own is not replaced", async () => {
    const folder = userFolder('mine');
    const r = await runCli(['models', 'synth', '--dtypes', 'fp32', '--out', folder]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds other files and no synthetic\.json/);
    expect(readFileSync(join(folder, 'notes.txt'), 'utf8')).toBe('mine');
  });

  test('the current folder (empty, or a parent of it) is not replaced', async () => {
    const empty = join(root, 'empty-cwd');
    mkdirSync(empty);
    const r = await runCli(['models', 'synth', '--dtypes', 'fp32', '--out', '.'], {}, empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out: \. is the current folder or holds it/);
    expect(existsSync(empty)).toBe(true);
  });

  test('a file is not replaced', async () => {
    const file = join(root, 'file.txt');
    writeFileSync(file, 'keep');
    const r = await runCli(['models', 'synth', '--dtypes', 'fp32', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a file/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  test('a shape or seed of its own needs --out: the default folders hold the presets (the committed tiny model)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pluralscope-synth-cwd-'));
    for (const args of [['--layers', '1'], ['--seed', '7'], ['--arch', 'llama']]) {
      const r = await runCli(['models', 'synth', ...args], {}, cwd);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/a shape, architecture or seed of your own needs --out <dir>/);
    }
    expect(readdirSync(cwd)).toEqual([]);
    const help = await runCli(['models', '--help']);
    expect(help.stdout).toMatch(/cache folder synthetic:<preset> opens/);
  });

  test('a folder it wrote before is replaced, leaving no temporary folder', async () => {
    const folder = join(root, 'model');
    const first = await runCli(['models', 'synth', '--dtypes', 'fp32', '--out', folder]);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(folder, 'stale.txt'), 'old');
    const second = await runCli(['models', 'synth', '--dtypes', 'fp32', '--out', folder]);
    expect(second.code, second.stderr).toBe(0);
    expect(existsSync(join(folder, 'synthetic.json'))).toBe(true);
    expect(existsSync(join(folder, 'stale.txt'))).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('partial'))).toEqual([]);
  }, 60_000);
});
