import { describe, expect, it } from 'vitest';
import { outOfView } from '../../src/app/lib/scroll.ts';

describe('outOfView', () => {
  it('is true for details opened below the fold or scrolled above the top', () => {
    expect(outOfView({ top: 900, bottom: 1400 }, 667)).toBe(true);
    expect(outOfView({ top: 620, bottom: 1000 }, 667)).toBe(true);
    expect(outOfView({ top: -300, bottom: 100 }, 667)).toBe(true);
    expect(outOfView({ top: 120, bottom: 500 }, 667)).toBe(false);
  });
});
