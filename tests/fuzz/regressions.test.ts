/**
 * Damaged files the fuzzer found that once hung, crashed or exhausted memory in the Parquet and
 * Arrow readers (one byte changed in a fixture each), kept as examples so they stay fixed
 * whatever seed the properties run with. Each must now be refused at once with a DatasetError.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readTableOrArrow } from '../../src/sources/formats/arrow.ts';
import { DatasetError, readTable } from '../../src/sources/formats/table.ts';
import { FIXTURES } from '../helpers/fixture-hosts.ts';

function withByte(path: string, at: number, value: number): Uint8Array {
  const bytes = new Uint8Array(readFileSync(`${FIXTURES}/${path}`));
  bytes[at] = value;
  return bytes;
}

async function refusedQuickly(read: () => Promise<unknown>, message: RegExp): Promise<void> {
  const started = performance.now();
  const error = await read().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  expect((error as Error).message).toMatch(message);
  expect(performance.now() - started).toBeLessThan(1000);
}

describe('Parquet', () => {
  test('a data page header whose level length field is renumbered (decoder offset NaN: looped forever)', async () => {
    const bytes = withByte('fair-pp/test.parquet', 10616, 0x85);
    await refusedQuickly(() => readTable('test.parquet', bytes), /column "gpt-4o-mini_role_6_answer": the page header at byte \d+ has no valid value counts or level lengths/);
  });

  test('a definition-level run of 1.7 billion values in a page of 120 (V8 aborted the process)', async () => {
    const bytes = withByte('fair-pp/test.parquet', 15768, 0xa8);
    await refusedQuickly(() => readTable('test.parquet', bytes), /definition levels with a run of \d+ values where 120 are left/);
  });
});

describe('Arrow IPC', () => {
  test('a record batch claiming 71 trillion rows over 45 rows of data (ran out of memory)', async () => {
    const bytes = withByte('dvmap/Triple-Generalization_Evaluation_Benchmark/Cross-Value/data-00000-of-00001.arrow', 2125, 65);
    await refusedQuickly(() => readTableOrArrow('data.arrow', bytes), /column "Q_id" claims \d+ rows but its data holds 45/);
  });

  test('a schema vector length of 2 billion in 2 KB of metadata (looped for minutes)', async () => {
    const bytes = withByte('dvmap/Triple-Generalization_Evaluation_Benchmark/Cross-Value/data-00000-of-00001.arrow', 52, 37);
    await refusedQuickly(() => readTableOrArrow('data.arrow', bytes), /the file's metadata lists \d+ entries in \d+ bytes/);
  });
});
