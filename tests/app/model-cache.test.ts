import { describe, expect, it } from 'vitest';
import { modelOfUrl, ONNX_RUNTIME_ENTRY } from '../../src/app/lib/model-cache.ts';

describe('Models on disk: which model a cached file belongs to', () => {
  it('names Hub models, this site\'s folders and the ONNX Runtime engine', () => {
    expect(modelOfUrl('https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/onnx/model_q4.onnx')).toBe('onnx-community/Qwen2.5-0.5B-Instruct');
    expect(modelOfUrl('https://example.org/pluralscope/models/synthetic-tiny/onnx/model.onnx')).toBe('site:synthetic-tiny');
    // The engine transformers.js caches beside the models (the "127.0.0.1:4391, 2 files, 27 MB" entry an exploratory test found).
    expect(modelOfUrl('http://127.0.0.1:4391/assets/ort-wasm-simd-threaded.asyncify-CxOG5pUO.wasm')).toBe(ONNX_RUNTIME_ENTRY);
    expect(modelOfUrl('http://127.0.0.1:4391/assets/ort-wasm-simd-threaded.asyncify-DXIbolS2.mjs')).toBe(ONNX_RUNTIME_ENTRY);
    expect(modelOfUrl('https://cdn.example.org/other/file.bin')).toBe('cdn.example.org');
  });
});
