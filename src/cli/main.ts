/** The `pluralscope` command line: dispatches to one module per command. */
import { MODELS_SYNTH_HELP, runModelsSynth } from './commands/models-synth.ts';
import { runRun } from './commands/run.ts';
import { runScore } from './commands/score.ts';
import { runBundle } from './commands/bundle.ts';
import { runAnchors } from './commands/anchors.ts';
import { runCorpus } from './commands/corpus.ts';
import { joinNegativeValues } from './args.ts';
import { UsageError } from './usage-error.ts';

const HELP = `Usage: pluralscope <command> [options]

Commands:
  run              benchmark a model on a suite and write a run record
  score            recompute every metric from a run record
  bundle           write a training bundle (data, configs, scripts) for GPU servers
  anchors          make an anchor pack from a role-play run, or check one
  corpus           build a DVMap-style high-consensus corpus from your WVS-7 microdata
  models synth     write a deterministic random-weight test model

Run "pluralscope <command> --help" for a command's options.
`;

const USER_ERRORS = new Set([
  'ModelRefError',
  'ModelOpenError',
  'ModelLoadError',
  'PythonLiteralError',
  'CountryResolutionError',
  'StorageFullError',
  'SuiteOptionError',
  'RunRecordError',
  'DataSourceError',
  'DatasetError',
  'EndpointError',
  'CancelledError',
  'AnchorPackError',
  'BundleError',
  'WvsOptionError',
  'WvsFileError',
]);

export async function main(argv: string[]): Promise<number> {
  const log = (line: string) => process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
  const io = { out: (s: string) => void process.stdout.write(s), err: (s: string) => void process.stderr.write(s) };
  const [command, ...rest] = joinNegativeValues(argv);
  try {
    switch (command) {
      case 'run':
        return await runRun(rest, io);
      case 'score':
        return runScore(rest, io);
      case 'bundle':
        return await runBundle(rest, io);
      case 'anchors':
        return runAnchors(rest, io);
      case 'corpus':
        return await runCorpus(rest, io);
      case 'models': {
        const [sub, ...args] = rest;
        if (sub === 'synth') {
          runModelsSynth(args, log);
          return 0;
        }
        if (sub === '--help' || sub === '-h' || sub === 'help') {
          log(MODELS_SYNTH_HELP);
          return 0;
        }
        throw new UsageError(sub ? `unknown models subcommand "${sub}"\n\n${MODELS_SYNTH_HELP}` : MODELS_SYNTH_HELP);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        log(HELP);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`pluralscope: ${error.message}\n`);
      return 2;
    }
    // Errors that explain themselves: bad input, unreachable data, an endpoint's refusal; and
    // the system's own (a file that cannot be read or written: EACCES, ENOSPC), which name it.
    if (error instanceof Error && (USER_ERRORS.has(error.name) || 'syscall' in error)) {
      process.stderr.write(`pluralscope: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`pluralscope: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
