/**
 * transformers.js (4.3.1) weight dtypes and the file names it derives from them.
 *
 * `from_pretrained(id, { dtype })` fetches `onnx/<base><suffix>.onnx` (base `model` for decoder-only
 * LLMs) and, when `use_external_data_format` is N > 0, the chunks `<file>_data`, `<file>_data_1`, ...
 * `<file>_data_{N-1}` (see `DEFAULT_DTYPE_SUFFIX_MAPPING` in `src/utils/dtypes.js` and
 * `getExternalDataChunkNames` in `src/utils/model-loader.js` of @huggingface/transformers 4.3.1).
 */

/** Every concrete dtype transformers.js 4.3.1 knows (`auto` is not a file and is left out). */
export const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4', 'q2', 'q2f16', 'q1', 'q1f16'] as const;
export type Dtype = (typeof DTYPES)[number];

/** File-name suffix per dtype, exactly as transformers.js 4.3.1 maps them. */
export const DTYPE_SUFFIX: Readonly<Record<Dtype, string>> = Object.freeze({
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
  q2: '_q2',
  q2f16: '_q2f16',
  q1: '_q1',
  q1f16: '_q1f16',
});

/** transformers.js refuses more external-data chunks than this. */
export const MAX_EXTERNAL_DATA_CHUNKS = 100;

/** The folder transformers.js reads ONNX weights from, relative to the repository root. */
export const ONNX_SUBFOLDER = 'onnx';

export function isDtype(value: string): value is Dtype {
  return (DTYPES as readonly string[]).includes(value);
}

/** `onnx/`-relative file name transformers.js loads for `dtype` (e.g. q8 -> `model_quantized.onnx`). */
export function modelFileName(dtype: Dtype, base = 'model'): string {
  return `${base}${DTYPE_SUFFIX[dtype]}.onnx`;
}

/** Names of the external-data chunks of `file` (`model.onnx` -> `model.onnx_data`, `model.onnx_data_1`, ...). */
export function externalDataFileNames(file: string, chunks: number): string[] {
  if (!Number.isInteger(chunks) || chunks < 0 || chunks > MAX_EXTERNAL_DATA_CHUNKS) {
    throw new RangeError(`external data chunks must be an integer in 0..${MAX_EXTERNAL_DATA_CHUNKS}, got ${chunks}`);
  }
  return Array.from({ length: chunks }, (_, i) => `${file}_data${i === 0 ? '' : `_${i}`}`);
}

/** Every file (relative to `onnx/`) one dtype downloads: the graph and its data chunks. */
export function dtypeFiles(file: string, externalData: number): string[] {
  return [file, ...externalDataFileNames(file, externalData)];
}

/**
 * Dtypes whose compute is fp16: on WebGPU they need the adapter feature `shader-f16` (fp16 is refused
 * up front, q4f16 fails at run time with "Program Gather requires f16" without it); on WASM fp16
 * arithmetic is emulated and slow.
 */
export function usesFp16(dtype: Dtype): boolean {
  return dtype === 'fp16' || dtype.endsWith('f16');
}

/**
 * The dtype a file name stands for, when it is a graph file (`model_q4.onnx` -> q4), or null for data
 * chunks and anything else. Used to spot dtypes the Hub has but the catalogue does not list.
 */
export function dtypeOfFileName(name: string, base = 'model'): Dtype | null {
  if (!name.startsWith(base) || !name.endsWith('.onnx')) return null;
  const suffix = name.slice(base.length, -'.onnx'.length);
  for (const dtype of DTYPES) if (DTYPE_SUFFIX[dtype] === suffix) return dtype;
  return null;
}
