/**
 * tensor-values.ts against IEEE 754 binary16 values worked out by hand from the format's
 * definition (sign, 5-bit exponent with bias 15, 10-bit fraction), the examples of the
 * half-precision format's standard tables.
 */
import { describe, expect, it } from 'vitest';
import { floatValues, halfBitsToNumber, tileValues } from '../../../../src/core/backends/transformers/tensor-values.ts';

describe('halfBitsToNumber', () => {
  it.each([
    [0x0000, 0],
    [0x3c00, 1], // exponent 15 - 15 = 0, fraction 0
    [0xc000, -2], // sign, exponent 16 - 15 = 1
    [0x3555, 0.333251953125], // (1 + 341/1024) / 4
    [0x7bff, 65504], // largest finite: (2 - 2^-10) * 2^15
    [0x0400, 2 ** -14], // smallest normal
    [0x0001, 2 ** -24], // smallest subnormal: 1/1024 * 2^-14
    [0x03ff, 1023 * 2 ** -24], // largest subnormal
    [0x7c00, Number.POSITIVE_INFINITY],
    [0xfc00, Number.NEGATIVE_INFINITY],
  ])('bits %i are %s', (bits, value) => {
    expect(halfBitsToNumber(bits)).toBe(value);
  });

  it('NaN and negative zero', () => {
    expect(halfBitsToNumber(0x7e00)).toBeNaN();
    expect(Object.is(halfBitsToNumber(0x8000), -0)).toBe(true);
  });
});

describe('floatValues', () => {
  it('reads float16 bits, float16 numbers and float32 alike', () => {
    const bits = Uint16Array.from([0x3c00, 0xc000, 0x3555, 0x7bff]);
    expect(Array.from(floatValues({ type: 'float16', data: bits }, 1, 3))).toEqual([-2, 0.333251953125]);
    // A runtime with Float16Array hands numbers over already.
    expect(Array.from(floatValues({ type: 'float16', data: [1, -2, 0.5] }, 0, 2))).toEqual([1, -2]);
    const f32 = Float32Array.from([0.25, 1.5, -3]);
    const copy = floatValues({ type: 'float32', data: f32 }, 1, 3);
    expect(Array.from(copy)).toEqual([1.5, -3]);
    copy[0] = 9;
    expect(f32[1]).toBe(1.5); // a copy, not a view
  });

  it('refuses other types, naming them', () => {
    expect(() => floatValues({ type: 'int64', data: new BigInt64Array(2) }, 0, 1)).toThrow(/int64: float32 or float16 expected/);
  });
});

describe('tileValues', () => {
  it('repeats the data in its own element type', () => {
    const half = tileValues(Uint16Array.from([1, 2]), 3);
    expect(half).toBeInstanceOf(Uint16Array);
    expect(Array.from(half)).toEqual([1, 2, 1, 2, 1, 2]);
    const single = tileValues(Float32Array.from([0.5]), 2);
    expect(single).toBeInstanceOf(Float32Array);
    expect(Array.from(single)).toEqual([0.5, 0.5]);
  });
});
