/**
 * Fuzzes the command line (src/cli/main.ts `main`, called in-process): valid invocations of
 * run, score, bundle and models synth (on the fixtures, offline, baselines only) damaged token
 * by token: flags dropped, doubled, swapped or written --flag=value; values replaced by blanks,
 * huge or negative numbers, NaN, unknown suites and models, folders or missing paths where files
 * belong, outputs in missing folders, "__proto__=" options and files. Each call must return 0,
 * or 1/2 with a specific "pluralscope: ..." message and no stack trace, quickly; a call that
 * fails must leave its working folder empty (nothing half-written, nothing deleted).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readTable } from '../../src/sources/formats/table.ts';
import { fairPpCsv, fixtureBytes, fixtureRunRecord } from './fixtures.ts';
import { asyncOutcomeOf, Damaged, fuzzParams, isSpecificMessage, stringTable, Tally, tableText } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'pluralscope-cli-fuzz-'));
const input = join(root, 'in');
/** The working folder of every call: outputs land here, and it is emptied after each call. */
const work = join(root, 'work');
const FILES = {
  fairPp: join(input, 'fair-pp.csv'),
  fairPpTrain: join(input, 'fair-pp-train.csv'),
  opinions: join(input, 'global_opinions.csv'),
  dvmap: join(input, 'dvmap.csv'),
  record: join(input, 'run.json'),
  badRecord: join(input, 'bad-run.json'),
  folder: input,
  missing: join(input, 'missing.csv'),
};

async function firstRows(path: string, count: number): Promise<string> {
  const table = await readTable(path, fixtureBytes(path));
  return tableText(stringTable(table.columns, table.rows.slice(0, count)), 'csv');
}

/** A call: the command words, then its options as [flag, value] (null for a boolean flag). */
interface Call {
  command: string[];
  options: Array<[string, string | null]>;
}

const BASE: Call[] = [
  { command: ['run'], options: [['--suite', 'fair-pp'], ['--data', FILES.fairPp], ['--model', 'baseline:uniform'], ['--resamples', '0'], ['--out', 'out.json']] },
  { command: ['run'], options: [['--suite', 'global-opinions'], ['--data', FILES.opinions], ['--model', 'baseline:uniform'], ['--limit', '3'], ['--resamples', '0'], ['--json', null]] },
  { command: ['run'], options: [['--suite', 'dvmap'], ['--opt', 'split=dev'], ['--data', FILES.dvmap], ['--model', 'baseline:majority'], ['--file', `train=${FILES.dvmap}`], ['--resamples', '0']] },
  { command: ['score', FILES.record], options: [['--resamples', '0'], ['--json', null]] },
  {
    command: ['bundle'],
    options: [['--suite', 'fair-pp'], ['--target', 'S1'], ['--method', 'sft'], ['--base-model', 'org/name'], ['--data', FILES.fairPpTrain], ['--file', `test=${FILES.fairPp}`], ['--out', 'b.zip']],
  },
  { command: ['models', 'synth'], options: [['--preset', 'tiny'], ['--dtypes', 'fp32'], ['--out', 'model']] },
  { command: ['run'], options: [['--suite', 'fair-pp'], ['--help', null]] },
];

/** Each command's flags (booleans take no value), so most damage passes the argument parser. */
const FLAGS: Record<string, { strings: string[]; booleans: string[] }> = {
  run: {
    strings: ['--suite', '--model', '--data', '--opt', '--file', '--anchors', '--country', '--device', '--dtype', '--mode', '--order', '--limit', '--sample', '--seed'],
    booleans: ['--no-prefix-reuse', '--json'],
  },
  score: { strings: ['--resamples', '--seed'], booleans: ['--json'] },
  bundle: {
    strings: ['--suite', '--target', '--method', '--base-model', '--data', '--file', '--anchors', '--benchmark-split', '--order', '--opt', '--country', '--split-seed', '--out'],
    booleans: [],
  },
  models: {
    strings: ['--preset', '--out', '--seed', '--layers', '--hidden', '--heads', '--kv-heads', '--head-dim', '--ffn', '--vocab', '--arch', '--dtypes', '--external-data'],
    booleans: ['--logits-to-keep'],
  },
};
FLAGS.run!.strings.push('--samples', '--temperature', '--max-new-tokens', '--batch-size', '--resamples', '--out', '--resume');
const BOOLEAN_FLAGS = new Set(['--help', ...Object.values(FLAGS).flatMap((f) => f.booleans)]);

/** Values a damaged call may give any flag (or take as its command's argument). */
const VALUES = [
  ...['', ' ', '0', '-1', '3', '2.5', '1e9', '1e12', 'NaN', 'x', 'none', 'all'],
  ...['fair-pp', 'dvmap', 'global-opinions', 'wvs-microdata', 'nope', 'S1', 'S9', 'sft', 'grpo', 'lora-sft', 'tiny', 'tiny-llama', 'q4', 'fp16', 'webgpu', 'cyclic', 'generate', 'stratified'],
  ...['baseline:uniform', 'baseline:majority', 'baseline:nope', 'synthetic:nope', `folder:${FILES.missing}`, `folder:${FILES.folder}`, 'org/name', 'gpt2', 'http://example.com/model'],
  ...['split=dev', 'split=', '=x', 'split', '__proto__=x', 'constructor=1', 'toString=1', 'minCount=', 'persona=BEL', 'persona=Atlantis', 'prompt=reasoning', 'roleplay=uk'],
  ...[`anchors=${FILES.folder}`, `train=${FILES.missing}`, `codebook=${FILES.fairPp}`, `data=${FILES.fairPp}`, `__proto__=${FILES.fairPp}`, `test=${FILES.folder}`, `train=${FILES.record}`],
  ...[FILES.fairPp, FILES.opinions, FILES.dvmap, FILES.record, FILES.badRecord, FILES.folder, FILES.missing, 'nope/out.json', '.', 'out.json', 'x.zip'],
];

type CallEdit =
  | { kind: 'drop' | 'duplicate' | 'bare'; at: number }
  | { kind: 'value'; at: number; value: string }
  | { kind: 'add'; flag: number; foreign: boolean; value: string }
  | { kind: 'argument'; value: string };
const value = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...VALUES) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const callEdit: fc.Arbitrary<CallEdit> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'bare' as const), at: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), flag: fc.nat(), foreign: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 9, arbitrary: fc.constant(false) }), value }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('argument' as const), value }) },
);

function applyCallEdit(call: Call, e: CallEdit): Call {
  const options = [...call.options];
  const i = 'at' in e ? e.at % Math.max(1, options.length) : 0;
  const own = FLAGS[call.command[0]!]!;
  switch (e.kind) {
    case 'drop':
      options.splice(i, 1);
      break;
    case 'duplicate':
      if (options[i]) options.push(options[i]);
      break;
    case 'bare':
      // A flag without its value.
      if (options[i]) options[i] = [options[i][0], null];
      break;
    case 'value':
      if (options[i] && !BOOLEAN_FLAGS.has(options[i][0])) options[i] = [options[i][0], e.value];
      break;
    case 'add': {
      const pool = e.foreign ? Object.values(FLAGS).flatMap((f) => [...f.strings, ...f.booleans]) : [...own.strings, ...own.booleans];
      const flag = pool[e.flag % pool.length]!;
      options.push([flag, BOOLEAN_FLAGS.has(flag) ? null : e.value]);
      break;
    }
    case 'argument':
      return { command: [...call.command, e.value], options };
  }
  return { command: call.command, options };
}

/** The argv of a call; a value that starts with "-" is attached (--flag=-1), as a user must write it. */
const argvOf = (call: Call): string[] => [...call.command, ...call.options.flatMap(([f, v]) => (v === null ? [f] : v.startsWith('-') ? [`${f}=${v}`] : [f, v]))];

const damagedArgv: fc.Arbitrary<Damaged<string[]>> = fc
  .tuple(fc.nat({ max: BASE.length - 1 }), fc.array(callEdit, { minLength: 1, maxLength: 3 }))
  .map(([base, edits]) => new Damaged(argvOf(edits.reduce(applyCallEdit, BASE[base]!)), [{ base }, ...edits]));

/** Empties the working folder (the process's cwd, so it is kept); returns what it held. */
function emptyWork(): string[] {
  const entries = readdirSync(work);
  for (const entry of entries) rmSync(join(work, entry), { recursive: true, force: true });
  return entries;
}

/** Runs main with stdout and stderr captured. */
async function runMain(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('the command line', () => {
  const cwd = process.cwd();
  const env = { PLURALSCOPE_CACHE: process.env.PLURALSCOPE_CACHE };

  beforeAll(async () => {
    mkdirSync(input, { recursive: true });
    mkdirSync(work, { recursive: true });
    writeFileSync(FILES.fairPp, await fairPpCsv(8));
    writeFileSync(FILES.fairPpTrain, await firstRows('fair-pp/train.parquet', 8));
    writeFileSync(FILES.opinions, await firstRows('global-opinions/data/global_opinions.csv', 8));
    writeFileSync(FILES.dvmap, await firstRows('dvmap/Demographic_Value_Alignment/DVMap_Corpus/dev.parquet', 12));
    writeFileSync(FILES.record, JSON.stringify(await fixtureRunRecord()));
    writeFileSync(FILES.badRecord, '{"format": "pluralscope.run", "version": 1, "id": "x"');
    process.env.PLURALSCOPE_CACHE = join(root, 'cache');
    // Offline: a download fails at once (suites given no file try one).
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed (offline in the fuzz tests)');
    });
    process.chdir(work);
  });

  afterAll(() => {
    process.chdir(cwd);
    vi.unstubAllGlobals();
    if (env.PLURALSCOPE_CACHE === undefined) delete process.env.PLURALSCOPE_CACHE;
    else process.env.PLURALSCOPE_CACHE = env.PLURALSCOPE_CACHE;
    rmSync(root, { recursive: true, force: true });
  });

  test('every base call succeeds', async () => {
    for (const call of BASE) {
      const r = await runMain(argvOf(call));
      expect(r.code, `${argvOf(call).join(' ')}\n${r.err}`).toBe(0);
      emptyWork();
    }
  });

  // Calls the fuzzer found that printed a stack trace, wrote or deleted files, or were silently
  // accepted; kept as examples.
  test.each([
    [['run', '--suite', 'fair-pp', '--data', FILES.folder, '--model', 'baseline:uniform'], 2, /--data: .* is a folder, not a file/],
    [['score', FILES.folder], 2, /is a folder, not a file/],
    [['run', '--suite', 'fair-pp', '--data', FILES.fairPp, '--model', 'baseline:uniform', '--out', 'nope/out.json'], 2, /--out: no folder .*nope/],
    [['run', '--suite', 'fair-pp', '--data', FILES.fairPp, '--model', 'baseline:uniform', '--opt', '__proto__=x'], 1, /has no option "__proto__"/],
    [['run', '--suite', 'wvs-microdata', '--data', FILES.fairPp, '--model', 'baseline:uniform', '--file', `codebok=${FILES.fairPp}`], 2, /--file codebok=: suite wvs-microdata takes codebook=, metadata=/],
    [['run', '--suite', 'fair-pp', '--data', FILES.fairPp, '--model', 'baseline:uniform', '--resamples', '1e12'], 2, /--resamples must be at most 100000/],
    [['score', FILES.record, '--seed', 'abc'], 2, /--seed must be an integer, got "abc"/],
    [['models', 'synth', '--hidden', '1000000000', '--out', 'model'], 2, /too large to write/],
    [['models', 'synth', '--heads', '3', '--out', 'model'], 2, /heads \(3\) must be a multiple of kv heads \(2\)/],
  ])('refused clearly, nothing written: %j', async (argv, code, message) => {
    mkdirSync(join(work, 'model'));
    writeFileSync(join(work, 'model', 'config.json'), '{}');
    const r = await runMain(argv);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    // The existing model folder was not deleted, and nothing else was written.
    expect(emptyWork()).toEqual(['model']);
  });

  test('damaged calls: exit 0, or 1/2 with one specific message, no stack trace, nothing written', async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(damagedArgv, async (argv) => {
        const outcome = await asyncOutcomeOf([], () => runMain(argv.value));
        if (!outcome.ok) return;
        const { code, out, err } = outcome.value;
        tally.add(code === 0 ? outcome : { ok: false, error: new Error(err) });
        const written = emptyWork();
        expect([0, 1, 2]).toContain(code);
        expect(`${out}${err}`).not.toMatch(/\n\s+at /);
        if (code === 0) return;
        const line = err.split('\n').find((l) => l.startsWith('pluralscope: '));
        expect(line, err).toBeDefined();
        expect(isSpecificMessage(line!.slice('pluralscope: '.length)), line).toBe(true);
        expect(written, 'a failed call wrote files').toEqual([]);
      }),
      fuzzParams(500),
    );
    tally.expectBoth();
  });
});
