/** `pluralscope bundle`: a training bundle (data, configs, scripts) as a zip. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildBundleFiles, zipBundle } from '../../bundle/build-bundle.ts';
import { BUNDLE_SUPPORT, checkBundleRequest, METHOD_DESCRIPTIONS, BundleError } from '../../bundle/methods.ts';
import { collectTrainingData } from '../../bundle/training-data.ts';
import { readBundleTemplate } from '../../node/bundle-template.ts';
import { nodeDataSource, userFileFromPath } from '../../node/data-source.ts';
import { getSuite } from '../../suites/registry.ts';
import type { UserFile } from '../../sources/source.ts';
import { fileArgumentPaths, keyValuePairs, requireFile, requireOutputFile, requireOutputNotInput } from '../args.ts';
import { UsageError } from '../usage-error.ts';

export const BUNDLE_HELP = `Usage: pluralscope bundle --suite <id> --target <segment|all> --method <method> --base-model <hub id> [options]

Writes a zip with the training data, configs and scripts to fine-tune a model toward a
FAIR-SP segment (S1..S7) or over all WVS personas, on one GPU up to many nodes, and to bring it
back as ONNX.

Suites and methods:
${Object.entries(BUNDLE_SUPPORT)
  .map(([s, v]) => `  ${s.padEnd(14)} ${v.methods.join(', ')}   targets: ${v.targets.join(', ')}`)
  .join('\n')}

Methods:
${Object.entries(METHOD_DESCRIPTIONS)
  .map(([m, d]) => `  ${m.padEnd(9)} ${d}`)
  .join('\n')}

Options:
  --data <file>            the suite's data from a file (fair-pp: the train split)
  --file role=path         other inputs: train=, test= (fair-pp), train= (dvmap)
  --anchors <file>         an anchor pack (fair-pp-local needs one)
  --benchmark-split <s>    dvmap: the split to benchmark on (test, dev, cross-demographic, ...)
  --order fixed|cyclic     option order of the benchmark prompts (default fixed)
  --country ISO3, --opt key=value   suite options (wvs-microdata: the country, strata, ...)
  --split-seed S           seed of the train/validation (and 80/20) splits (default 0)
  --out <file.zip>         where to write the bundle (default bundle.zip)
`;

export async function runBundle(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string' },
      target: { type: 'string' },
      method: { type: 'string' },
      'base-model': { type: 'string' },
      data: { type: 'string' },
      file: { type: 'string', multiple: true, default: [] },
      anchors: { type: 'string' },
      'benchmark-split': { type: 'string' },
      order: { type: 'string', default: 'fixed' },
      opt: { type: 'string', multiple: true, default: [] },
      country: { type: 'string' },
      'split-seed': { type: 'string', default: '0' },
      out: { type: 'string', default: 'bundle.zip' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.out(BUNDLE_HELP);
    return 0;
  }
  for (const key of ['suite', 'target', 'method', 'base-model'] as const) {
    if (!values[key]) throw new UsageError(`--${key} is required\n\n${BUNDLE_HELP}`);
  }
  const suiteId = values.suite!;
  let suite;
  try {
    suite = getSuite(suiteId);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let method;
  try {
    ({ method } = checkBundleRequest(suiteId, values.method!, values.target!));
  } catch (error) {
    if (error instanceof BundleError) throw new UsageError(error.message);
    throw error;
  }
  const seed = values['split-seed'].trim() === '' ? NaN : Number(values['split-seed']);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--split-seed must be a non-negative integer, got "${values['split-seed']}"`);
  if (values.order !== 'fixed' && values.order !== 'cyclic') throw new UsageError(`--order must be fixed or cyclic`);
  requireOutputFile('--out', values.out!);
  requireOutputNotInput('--out', values.out!, [['--data', values.data], ['--anchors', values.anchors], ...fileArgumentPaths(values.file ?? [])]);
  const file = (flag: string, path: string): UserFile => {
    requireFile(flag, path);
    return userFileFromPath(path);
  };
  const extraFiles = Object.create(null) as Record<string, UserFile>;
  if (values.anchors) extraFiles.anchors = file('--anchors', values.anchors);
  for (const [role, path] of Object.entries(keyValuePairs('--file', values.file ?? [], 'role=path'))) extraFiles[role] = file('--file', path);
  const context = { ...nodeDataSource({ log: (m) => io.err(`${m}\n`) }), ...(values.data ? { userFile: file('--data', values.data) } : {}), extraFiles };
  const started = performance.now();
  const suiteOptions = keyValuePairs('--opt', values.opt ?? []);
  if (values.country) suiteOptions.country = values.country;
  const data = await collectTrainingData(
    { suite: suiteId, target: values.target!, method, splitSeed: seed, benchmarkSplit: values['benchmark-split'], suiteOptions },
    context,
  );
  const bundle = buildBundleFiles(
    { suite: suiteId, suiteVersion: suite.version, target: values.target!, method, baseModel: values['base-model']!, splitSeed: seed, order: values.order },
    data,
    readBundleTemplate(),
  );
  const zip = zipBundle(bundle);
  writeFileSync(values.out!, zip);
  for (const note of data.notes) io.err(`note: ${note}\n`);
  io.out(
    `wrote ${values.out} (${(zip.byteLength / 1e6).toFixed(2)} MB, ${bundle.files.size} files): ${data.train.length} training, ${data.eval.length} validation examples, ${data.benchmark.length} benchmark questions, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}
