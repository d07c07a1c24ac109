import { describe, expect, it } from 'vitest';
import { dvmapChanceAccuracy } from '../../src/app/lib/dvmap-chance.ts';

// Expected values computed by hand: each counted item (n + unanswered) is right with probability 1/k.
describe('DVMap chance accuracy (uniform guessing)', () => {
  it('is 1/k for a single question', () => {
    expect(dvmapChanceAccuracy([{ n: 10, k: 5, unanswered: 0 }])).toBeCloseTo(0.2, 15);
  });

  it('weights each question by its items, not each question equally', () => {
    // (4/2 + 6/4) / (4 + 6) = 3.5 / 10 = 0.35; the unweighted mean of 1/k would be 0.375.
    expect(dvmapChanceAccuracy([
      { n: 3, k: 2, unanswered: 1 },
      { n: 6, k: 4, unanswered: 0 },
    ])).toBeCloseTo(0.35, 15);
  });

  it('counts unanswered items, as accuracy does', () => {
    // (2/2 + 2/10) / (2 + 2) = 1.2 / 4 = 0.3; leaving the unanswered out would give 2/10 / 2 = 0.1.
    expect(dvmapChanceAccuracy([
      { n: 0, k: 2, unanswered: 2 },
      { n: 2, k: 10, unanswered: 0 },
    ])).toBeCloseTo(0.3, 15);
  });

  it('reads a missing unanswered count (older records) as 0', () => {
    // (3/3 + 7/7) / (3 + 7) = 2 / 10 = 0.2
    expect(dvmapChanceAccuracy([{ n: 3, k: 3 }, { n: 7, k: 7 }])).toBeCloseTo(0.2, 15);
  });

  it('is null when no item counts', () => {
    expect(dvmapChanceAccuracy([])).toBeNull();
    expect(dvmapChanceAccuracy([{ n: 0, k: 4, unanswered: 0 }])).toBeNull();
  });
});
