import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/core/items/item.ts';
import { itemSetHash } from '../../../src/core/record/build.ts';
import { assertResumable } from '../../../src/core/run/execute-run.ts';

const items = (ids: string[]) => ids.map((id) => ({ id, question: id, options: ['A', 'B'], meta: {}, refs: {} }) as unknown as Item);
const URL_FILE = { path: 'https://huggingface.co/datasets/x/resolve/abc/test.parquet', sha256: 'a'.repeat(64) };

describe('what a resumed run must find again', () => {
  const record = (ids: string[], files = [URL_FILE]) => ({
    suite: { data: { files } },
    sample: { itemSetHash: itemSetHash(ids), total: ids.length },
  }) as unknown as Parameters<typeof assertResumable>[0];

  it('the questions it started with, when its data was downloaded (a new revision may differ)', () => {
    expect(() => assertResumable(record(['q1', 'q2']), [{ ...URL_FILE, sha256: 'b'.repeat(64) }], items(['q1', 'q2']))).not.toThrow();
    expect(() => assertResumable(record(['q1', 'q2']), [URL_FILE], items(['q1', 'q3']))).toThrow(
      /this run cannot be resumed: its 2 questions cannot be drawn again from the data as loaded now/,
    );
  });

  it('the files it was given, checked first (same questions can carry other answers)', () => {
    const given = { path: 'data.csv', sha256: 'c'.repeat(64) };
    expect(() => assertResumable(record(['q1'], [given]), [{ path: 'copy.csv', sha256: 'c'.repeat(64) }], items(['q1']))).not.toThrow();
    expect(() => assertResumable(record(['q1'], [given]), [{ path: 'data.csv', sha256: 'd'.repeat(64) }], items(['q1']))).toThrow(/data\.csv is not the file this run used/);
  });
});
