/**
 * 4-bit block quantization in the layout of ONNX Runtime's `com.microsoft.MatMulNBits`
 * (the format of onnx-community `model_q4.onnx` files):
 *   B      uint8 [N, kBlocks, blockSize / 2], two codes a byte, low nibble first along K
 *   scales float [N * kBlocks]
 * Symmetric: no zero points are stored, so the operator's default zero point 8 applies and a
 * value dequantizes as (code - 8) * scale.
 */
import type { Matrix } from './weights.ts';

export interface Q4Matrix {
  n: number;
  k: number;
  blockSize: number;
  packed: Uint8Array;
  scales: Float32Array;
}

/** Quantizes W given in [N, K] layout (Hugging Face's [out, in]). */
export function quantizeQ4(w: Matrix, blockSize = 32): Q4Matrix {
  if (blockSize % 2 !== 0 || blockSize < 16) throw new RangeError(`block size must be even and at least 16, got ${blockSize}`);
  const n = w.rows;
  const k = w.cols;
  const kBlocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(n * kBlocks * blob);
  const scales = new Float32Array(n * kBlocks);
  const codes = new Uint8Array(blockSize);
  for (let row = 0; row < n; row++) {
    const rowBase = row * k;
    for (let b = 0; b < kBlocks; b++) {
      const start = b * blockSize;
      const end = Math.min(start + blockSize, k);
      let absmax = 0;
      for (let i = start; i < end; i++) absmax = Math.max(absmax, Math.abs(w.data[rowBase + i]!));
      const scale = Math.fround(absmax / 7);
      scales[row * kBlocks + b] = scale;
      for (let i = 0; i < blockSize; i++) {
        const v = start + i < end ? w.data[rowBase + start + i]! : 0;
        const q = scale === 0 ? 0 : Math.round(v / scale);
        codes[i] = Math.min(15, Math.max(0, q + 8));
      }
      const out = (row * kBlocks + b) * blob;
      for (let j = 0; j < blob; j++) packed[out + j] = codes[2 * j]! | (codes[2 * j + 1]! << 4);
    }
  }
  return { n, k, blockSize, packed, scales };
}

/** Back to float [N, K]: the reference the tests compare the runtime against. */
export function dequantizeQ4(q: Q4Matrix): Matrix {
  const kBlocks = Math.ceil(q.k / q.blockSize);
  const blob = q.blockSize / 2;
  const data = new Float32Array(q.n * q.k);
  for (let row = 0; row < q.n; row++) {
    for (let i = 0; i < q.k; i++) {
      const b = Math.floor(i / q.blockSize);
      const within = i % q.blockSize;
      const byte = q.packed[(row * kBlocks + b) * blob + (within >> 1)]!;
      const code = within % 2 === 0 ? byte & 0x0f : byte >> 4;
      data[row * q.k + i] = (code - 8) * q.scales[row * kBlocks + b]!;
    }
  }
  return { rows: q.n, cols: q.k, data };
}
