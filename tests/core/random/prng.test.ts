import { describe, expect, it } from 'vitest';
import { createRng, hashString32 } from '../../../src/core/random/prng.ts';

describe('seeded PRNG (xoshiro128**)', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('has a fixed stream: these values are part of the reproducibility contract', () => {
    // Pinned so a change to the generator (which would change every bootstrap interval) is caught.
    const r = createRng(1);
    expect(Array.from({ length: 4 }, () => r.nextUint32())).toMatchInlineSnapshot(`
      [
        2442144158,
        3238099751,
        3819917871,
        2104621829,
      ]
    `);
  });

  it('draws uniform floats in [0, 1) with the right mean and integers without bias', () => {
    const r = createRng('uniform');
    let sum = 0;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
      counts[r.int(3)]!++;
    }
    expect(sum / 30_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('hashes strings with FNV-1a', () => {
    expect(hashString32('')).toBe(0x811c9dc5);
    expect(hashString32('a')).toBe(0xe40c292c);
  });
});
