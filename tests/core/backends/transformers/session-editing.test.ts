import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEEP_INPUT } from '../../../../src/core/backends/transformers/logits-to-keep.ts';
import { installSessionEditing, logitsToKeepOutcome, setSessionEditing } from '../../../../src/core/backends/transformers/session-editing.ts';
import { PACKAGE_ROOT } from '../../../../src/node/paths.ts';

const MODEL = new Uint8Array(readFileSync(join(PACKAGE_ROOT, 'public', 'models', 'synthetic-tiny', 'onnx', 'model.onnx')));
const hasKeep = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes).includes(KEEP_INPUT);

/** A stand-in for onnxruntime's InferenceSession class that records what it was given. */
function fakeSessionClass(refuseEdited = false) {
  const given: Array<{ model: unknown; options: unknown }> = [];
  const cls = {
    create: async (model: unknown, options?: unknown) => {
      given.push({ model, options });
      if (refuseEdited && model instanceof Uint8Array && hasKeep(model)) throw new Error('Node (Slice) has an unsupported input');
      return { inputNames: [] as string[] };
    },
  };
  return { cls, given };
}

describe('the session hook', () => {
  it('hands onnxruntime the edited bytes and marks the session', async () => {
    const { cls, given } = fakeSessionClass();
    installSessionEditing(cls);
    const session = await cls.create(MODEL, { executionProviders: ['wasm'] });
    expect(given).toHaveLength(1);
    expect(hasKeep(given[0]!.model as Uint8Array)).toBe(true);
    expect(given[0]!.options).toEqual({ executionProviders: ['wasm'] });
    expect(logitsToKeepOutcome(session)).toMatchObject({ kind: 'added' });
  });

  it('opens the model as it was when onnxruntime refuses the edited graph', async () => {
    const { cls, given } = fakeSessionClass(true);
    installSessionEditing(cls);
    const session = await cls.create(MODEL, { logSeverityLevel: 3 });
    expect(given).toHaveLength(2);
    expect(given[1]!.model).toBe(MODEL);
    expect(given[1]!.options).toEqual({ logSeverityLevel: 3 });
    expect(logitsToKeepOutcome(session)).toEqual({ kind: 'unsupported', reason: expect.stringMatching(/^onnxruntime refused the edited graph \(Node \(Slice\)/) });
  });

  it('passes paths through without an editor, and everything through when turned off', async () => {
    const { cls, given } = fakeSessionClass();
    installSessionEditing(cls);
    expect(logitsToKeepOutcome(await cls.create('/models/x/onnx/model.onnx'))).toEqual({ kind: 'off' });
    setSessionEditing(false);
    try {
      expect(logitsToKeepOutcome(await cls.create(MODEL))).toEqual({ kind: 'off' });
    } finally {
      setSessionEditing(true);
    }
    expect(given.map((g) => g.model)).toEqual(['/models/x/onnx/model.onnx', MODEL]);
  });

  it('is installed once', async () => {
    const { cls, given } = fakeSessionClass();
    installSessionEditing(cls);
    installSessionEditing(cls);
    await cls.create(MODEL);
    expect(given).toHaveLength(1);
  });

  it('says "off" for a session nobody hooked', () => {
    expect(logitsToKeepOutcome({})).toEqual({ kind: 'off' });
    expect(logitsToKeepOutcome(undefined)).toEqual({ kind: 'off' });
  });
});
