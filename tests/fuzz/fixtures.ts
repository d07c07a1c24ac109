/**
 * Valid inputs the fuzz tests damage, made from the project's fixtures (tests/fixtures/data):
 * a complete run record (the first rows of the Fair-PP test split scored by baseline:uniform)
 * and the Fair-PP rows it came from.
 */
import { readFileSync } from 'node:fs';
import { uniformBaseline } from '../../src/core/backends/baseline/baselines.ts';
import { DEFAULT_SCORING } from '../../src/core/engine/score-items.ts';
import { PLURALSCOPE_VERSION } from '../../src/core/record/build.ts';
import type { RunRecord } from '../../src/core/record/schema.ts';
import { executeRun } from '../../src/core/run/execute-run.ts';
import { readTable } from '../../src/sources/formats/table.ts';
import { DataSourceError, userFileFromBytes } from '../../src/sources/source.ts';
import { getSuite } from '../../src/suites/registry.ts';
import { resolveSuiteOptions } from '../../src/suites/suite.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';
import { encode, stringTable, tableText } from './helpers.ts';

export const fixtureBytes = (path: string): Uint8Array => new Uint8Array(readFileSync(`${FIXTURES}/${path}`));

/** The first `count` rows of the Fair-PP test split as a CSV file. */
export async function fairPpCsv(count: number): Promise<Uint8Array> {
  const table = await readTable('test.csv', fixtureBytes('fair-pp/test.csv'));
  return encode(tableText(stringTable(table.columns, table.rows.slice(0, count)), 'csv'));
}

/** A complete, valid run record: `count` Fair-PP questions scored by baseline:uniform, with metrics. */
export async function fixtureRunRecord(count = 6): Promise<RunRecord> {
  const suite = getSuite('fair-pp');
  const options = resolveSuiteOptions(suite, { split: 'test' });
  const loaded = await suite.load(options, {
    hubHost: 'http://127.0.0.1:9',
    githubRawHost: 'http://127.0.0.1:9',
    fetchBytes: async (url) => {
      throw new DataSourceError(`offline: ${url}`, url);
    },
    userFile: userFileFromBytes('test.csv', await fairPpCsv(count)),
  });
  return executeRun(
    {
      id: 'fuzz-run-1',
      suite,
      options,
      loaded,
      scoring: { ...DEFAULT_SCORING, template: suite.template('likelihood', options) },
      sample: { strategy: 'all', seed: 0 },
      producer: { name: 'pluralscope-cli', version: PLURALSCOPE_VERSION },
      metrics: { seed: 0, resamples: 20 },
    },
    uniformBaseline(),
  );
}
