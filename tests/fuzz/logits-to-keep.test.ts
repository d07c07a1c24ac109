/**
 * Fuzzes the logits edit (src/core/backends/transformers/logits-to-keep.ts) with damaged ONNX
 * files: bytes set, flipped, cut, deleted or inserted in the committed synthetic model. It runs on
 * every model the app opens, before onnxruntime sees the file, so it must never throw and never
 * hang: a damaged model is passed on unedited ("unsupported", with a reason) and onnxruntime
 * reports the damage in its own words. An edit it does make must itself parse as a model with
 * the new input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addLogitsToKeep, KEEP_INPUT } from '../../src/core/backends/transformers/logits-to-keep.ts';
import { PACKAGE_ROOT } from '../../src/node/paths.ts';
import { fuzzParams, mutatedBytes, TIME_LIMIT_MS } from './helpers.ts';

const MODEL = new Uint8Array(readFileSync(join(PACKAGE_ROOT, 'public', 'models', 'synthetic-tiny', 'onnx', 'model_q4.onnx')));

describe('the logits edit on damaged models', () => {
  test('returns an outcome, quickly, and never throws', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(mutatedBytes(MODEL), (damaged) => {
        const started = performance.now();
        const result = addLogitsToKeep(damaged.value);
        expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
        kinds.add(result.kind);
        if (result.kind === 'unsupported') expect(result.reason.length).toBeGreaterThan(10);
        // An edited model is edited once: it now has the input.
        if (result.kind === 'added') expect(addLogitsToKeep(result.bytes)).toEqual({ kind: 'native' });
      }),
      fuzzParams(300),
    );
    // Small damage mostly leaves the graph readable: both outcomes must have been seen.
    expect(kinds).toContain('added');
    expect(kinds).toContain('unsupported');
  });

  test('the edit of an intact model names the input once', () => {
    const result = addLogitsToKeep(MODEL);
    expect(result.kind).toBe('added');
    if (result.kind === 'added') {
      const text = new TextDecoder('latin1').decode(result.bytes);
      expect(text.split(KEEP_INPUT).length - 1).toBeGreaterThanOrEqual(2); // the input and the Reshape that reads it
    }
  });
});
