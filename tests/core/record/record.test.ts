import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemSetHash, validateRunRecord } from '../../../src/core/record/build.ts';
import { runRecordJsonSchema } from '../../../src/core/record/json-schema.ts';

const minimal = {
  format: 'pluralscope.run',
  version: 1,
  id: 'r1',
  status: 'complete',
  createdAt: '2026-11-23T00:00:00.000Z',
  updatedAt: '2026-11-23T00:00:00.000Z',
  producer: { name: 'test', version: '0' },
  suite: { id: 'fair-pp', version: '1', options: { split: 'test' }, data: { source: 'file:x', files: [], licence: 'x', citation: 'x' } },
  model: { ref: 'baseline:uniform', kind: 'baseline', id: 'uniform' },
  runtime: { device: 'none', libraries: {} },
  scoring: { mode: 'likelihood', order: 'fixed', seed: 0, template: { id: 't', hash: 'h', user: '{question}', option: '{label}. {text}', optionSeparator: '\n' } },
  sample: { strategy: 'all', seed: 0, itemSetHash: 'x', total: 2 },
  items: [
    { id: 'a', meta: {}, refs: {}, options: ['x', 'y'], distribution: [0.5, 0.5] },
    { id: 'b', meta: {}, refs: {}, options: ['x', 'y'], distribution: [1, 0] },
  ],
  events: [],
};

describe('run records', () => {
  it('the committed JSON Schema is the one generated from the zod schema (run npm run schemas)', () => {
    const committed = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../schemas/run-record.schema.json'), 'utf8'));
    expect(committed).toEqual(runRecordJsonSchema());
  });

  it('accepts a minimal valid record', () => {
    expect(validateRunRecord(JSON.stringify(minimal)).items).toHaveLength(2);
  });

  it.each([
    ['{', /not JSON/],
    [JSON.stringify({ format: 'other' }), /not a Pluralscope run record/],
    [JSON.stringify({ ...minimal, version: 2 }), /version 2 is not supported/],
    [JSON.stringify({ ...minimal, status: 'done' }), /status/],
    [JSON.stringify({ ...minimal, items: [minimal.items[0], minimal.items[0]] }), /item id "a" appears twice/],
    [JSON.stringify({ ...minimal, items: [{ ...minimal.items[0], distribution: [1] }] }), /2 options but a distribution of 1/],
    [JSON.stringify({ ...minimal, items: [{ ...minimal.items[0], distribution: [0.5, 0.6] }] }), /sums to 1.1/],
    [JSON.stringify({ ...minimal, items: [{ ...minimal.items[0], distribution: [1.5, -0.5] }] }), /items.0.distribution/],
    [JSON.stringify({ ...minimal, extra: true }), /Unrecognized key/],
  ])('rejects %s with a specific message', (text, message) => {
    expect(() => validateRunRecord(text)).toThrow(message);
  });

  it('hashes an item set independently of order', () => {
    expect(itemSetHash(['b', 'a'])).toBe(itemSetHash(['a', 'b']));
    expect(itemSetHash(['a'])).not.toBe(itemSetHash(['a', 'b']));
  });
});
