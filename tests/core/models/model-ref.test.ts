import { describe, expect, it } from 'vitest';
import { formatModelRef, parseModelRef } from '../../../src/core/models/model-ref.ts';

describe('model references', () => {
  it.each([
    ['onnx-community/Qwen2.5-0.5B-Instruct', { kind: 'hub', id: 'onnx-community/Qwen2.5-0.5B-Instruct' }],
    ['onnx-community/Qwen2.5-0.5B-Instruct@a1b2c3', { kind: 'hub', id: 'onnx-community/Qwen2.5-0.5B-Instruct', revision: 'a1b2c3' }],
    ['synthetic:tiny', { kind: 'synthetic', preset: 'tiny' }],
    ['synthetic:qwen2.5-0.5b', { kind: 'synthetic', preset: 'qwen2.5-0.5b' }],
    ['folder:./my-model', { kind: 'folder', path: './my-model' }],
    ['./my-model', { kind: 'folder', path: './my-model' }],
    ['endpoint:http://localhost:11434/v1#llama3.2:1b', { kind: 'endpoint', baseUrl: 'http://localhost:11434/v1', model: 'llama3.2:1b' }],
    ['baseline:uniform', { kind: 'baseline', name: 'uniform' }],
  ])('parses %s', (text, expected) => {
    const ref = parseModelRef(text);
    expect(ref).toEqual(expected);
    expect(parseModelRef(formatModelRef(ref))).toEqual(ref);
  });

  it.each([
    ['', /empty/],
    ['gpt2', /not a model reference/],
    ['https://huggingface.co/x/y', /endpoint:/],
    ['endpoint:http://localhost:8000/v1', /endpoint:<base url>#<model>/],
    ['endpoint:ftp://x#m', /http or https/],
    ['baseline:', /baseline:uniform/],
    ['org/name@', /not a valid revision/],
  ])('rejects %j with a specific message', (text, message) => {
    expect(() => parseModelRef(text)).toThrow(message);
  });
});
