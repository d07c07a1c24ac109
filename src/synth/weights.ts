/**
 * Deterministic random weights for the synthetic decoder. Every tensor draws from its own
 * stream, seeded by (model seed, tensor name), so any tensor can be regenerated on its own
 * and the fp32 and q4 files quantize exactly the same numbers.
 *
 * Draws are uniform (the shape PyTorch's Linear uses for its default init), scaled to a
 * chosen standard deviation; only integer arithmetic touches the stream, so the bytes are the
 * same on every platform.
 */
import { createRng } from '../core/random/prng.ts';

/** A row-major matrix in Hugging Face's Linear layout: [outFeatures, inFeatures]. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

const SQRT3 = Math.sqrt(3);

/** Uniform values with mean `mean` and standard deviation `std`. */
export function uniformTensor(seed: number, name: string, size: number, std: number, mean = 0): Float32Array {
  const rng = createRng(`${seed >>> 0}/${name}`);
  const half = SQRT3 * std;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = mean + (2 * rng.next() - 1) * half;
  return out;
}

export function matrix(seed: number, name: string, rows: number, cols: number, std: number): Matrix {
  return { rows, cols, data: uniformTensor(seed, name, rows * cols, std) };
}

/** [rows, cols] -> [cols, rows] (ONNX MatMul wants [in, out]). */
export function transpose(m: Matrix): Matrix {
  const out = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    const base = r * m.cols;
    for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = m.data[base + c]!;
  }
  return { rows: m.cols, cols: m.rows, data: out };
}

export function bytesOf(array: Float32Array | Uint8Array | BigInt64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
