import { describe, expect, it } from 'vitest';
import { dequantizeQ4, quantizeQ4 } from '../../src/synth/quantize.ts';
import { matrix } from '../../src/synth/weights.ts';

describe('4-bit block quantization (MatMulNBits layout)', () => {
  it('packs two codes a byte, low nibble first, with the default zero point 8', () => {
    // One row, one block of 32: values 0..31 scaled so absmax = 7 -> scale 1, code = value + 8 (clamped at 15).
    const data = new Float32Array(32);
    data[0] = -7;
    data[1] = 7;
    data[2] = 1;
    data[3] = -1;
    const q = quantizeQ4({ rows: 1, cols: 32, data });
    expect(q.scales[0]).toBe(1);
    expect(q.packed[0]).toBe(1 | (15 << 4));
    expect(q.packed[1]).toBe(9 | (7 << 4));
    expect(q.packed[2]).toBe(8 | (8 << 4));
    expect(q.packed.length).toBe(16);
  });

  it('reconstructs every weight within half a quantization step', () => {
    const w = matrix(1, 'w', 48, 96, 0.3);
    const q = quantizeQ4(w);
    const back = dequantizeQ4(q);
    const kBlocks = 96 / 32;
    for (let r = 0; r < 48; r++) {
      for (let c = 0; c < 96; c++) {
        const scale = q.scales[r * kBlocks + Math.floor(c / 32)]!;
        expect(Math.abs(back.data[r * 96 + c]! - w.data[r * 96 + c]!)).toBeLessThanOrEqual(scale / 2 + 1e-7);
      }
    }
  });

  it('pads a last partial block with zeros', () => {
    const w = matrix(2, 'w', 2, 40, 1);
    const q = quantizeQ4(w);
    expect(q.packed.length).toBe(2 * 2 * 16);
    const back = dequantizeQ4(q);
    expect(back.cols).toBe(40);
  });
});
