/** `pluralscope score <run.json>`: recompute every metric from a record's per-item results. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validateRunRecord } from '../../core/record/build.ts';
import { metricsDifference } from '../../core/record/metrics-agree.ts';
import { getSuite } from '../../suites/registry.ts';
import { computeMetrics } from '../../core/run/execute-run.ts';
import { formatHeadline } from '../format.ts';
import { MAX_RESAMPLES, requireFile } from '../args.ts';
import { UsageError } from '../usage-error.ts';

export const SCORE_HELP = `Usage: pluralscope score <run.json> [--json] [--resamples N] [--seed S]

Validates a run record (from the CLI, the web app or a training bundle's eval_server.py) and
recomputes every metric from its per-item results. Says whether the stored metrics agree.
`;

export function runScore(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      resamples: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.out(SCORE_HELP);
    return 0;
  }
  const [path] = positionals;
  if (!path) throw new UsageError(`give a run record file\n\n${SCORE_HELP}`);
  requireFile('score', path);
  const record = validateRunRecord(readFileSync(path, 'utf8'));
  let suite;
  try {
    suite = getSuite(record.suite.id);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // Number('') is 0: a blank value is no integer.
  const integer = (raw: string) => (raw.trim() === '' ? NaN : Number(raw));
  const resamples = values.resamples === undefined ? 1000 : integer(values.resamples);
  const seed = values.seed === undefined ? record.scoring.seed : integer(values.seed);
  if (!Number.isInteger(resamples) || resamples < 0 || resamples > MAX_RESAMPLES) throw new UsageError(`--resamples must be an integer from 0 to ${MAX_RESAMPLES}, got "${values.resamples}"`);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  const metrics = computeMetrics(suite, record, { seed, resamples });
  const stored = record.metrics;
  const difference = stored === undefined ? null : metricsDifference(stored, metrics);
  if (values.json) io.out(`${JSON.stringify(metrics, null, 2)}\n`);
  else io.out(formatHeadline({ ...record, metrics }));
  if (stored === undefined) io.err('the record had no stored metrics\n');
  else if (difference === null) io.err('the stored metrics agree with the recomputed ones\n');
  else io.err(`note: the stored metrics differ from the recomputed ones (another seed or resample count, or an edited record): ${difference}\n`);
  return 0;
}
