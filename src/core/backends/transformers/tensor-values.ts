/**
 * Reading model outputs whatever their element type. Models in fp16 / q4f16 formats (onnx-community's
 * q4f16 exports, export/quantize.py --q4f16) return float16 logits and float16 KV caches, which
 * onnxruntime hands over as raw IEEE 754 binary16 bits in a Uint16Array (or as a Float16Array where
 * the runtime has one). Reading those bits as float32 numbers gives meaningless scores, and feeding a
 * float16 cache back as float32 is refused by the session, so both go through here.
 */

/** One IEEE 754 binary16 value, from its 16 bits. */
export function halfBitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** What this module needs of a tensor: transformers.js's Tensor and onnxruntime's both have it. */
export interface TensorValues {
  type: string;
  data: unknown;
}

/** Elements [start, end) of a float32 or float16 tensor as float32 numbers (a copy). */
export function floatValues(tensor: TensorValues, start: number, end: number): Float32Array {
  if (tensor.type === 'float32') return (tensor.data as Float32Array).slice(start, end);
  if (tensor.type === 'float16') {
    const out = new Float32Array(end - start);
    const data = tensor.data as ArrayLike<number>;
    // Raw bits in a Uint16Array; a Float16Array already holds the numbers.
    if (data instanceof Uint16Array) for (let i = start; i < end; i++) out[i - start] = halfBitsToNumber(data[i]!);
    else for (let i = start; i < end; i++) out[i - start] = data[i]!;
    return out;
  }
  throw new Error(`model output of type ${tensor.type}: float32 or float16 expected`);
}

/** The typed array of a float tensor's elements, as stored (float16 stays float16), for feeding back. */
export type FloatStorage = Float32Array | Uint16Array | { readonly length: number; set(a: ArrayLike<number>, offset?: number): void };

/** `count` copies of `data` one after the other, in the same element type (tiling a cache over a batch). */
export function tileValues<T extends FloatStorage>(data: T, count: number): T {
  const Kind = (data as unknown as { constructor: new (n: number) => T }).constructor;
  const out = new Kind(data.length * count);
  for (let i = 0; i < count; i++) out.set(data as unknown as ArrayLike<number>, i * data.length);
  return out;
}
