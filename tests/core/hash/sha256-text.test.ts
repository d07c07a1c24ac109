import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/hash/sha256.ts';
import { Sha256Prefix, sha256HexParts, sha256HexText } from '../../../src/core/hash/sha256-text.ts';

describe('sha256HexText', () => {
  it('matches the NIST vectors', () => {
    expect(sha256HexText('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256HexText('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256HexText('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('equals @noble/hashes at every padding boundary and for non-ASCII text', () => {
    for (let n = 0; n <= 200; n++) expect(sha256HexText('x'.repeat(n))).toBe(sha256Hex('x'.repeat(n)));
    for (const s of ['é', '€uro', '😀 emoji', '\u0000nul\u0000', 'lone \ud800 surrogate', 'y'.repeat(5000)]) {
      expect(sha256HexText(s)).toBe(sha256Hex(s));
    }
  });

  it('equals @noble/hashes on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => sha256HexText(s) === sha256Hex(s)),
      { numRuns: 200 },
    );
  });
});

describe('sha256HexParts', () => {
  it('hashes the concatenation and truncates to the digits asked for', () => {
    const parts = ['pluralscope/fair-pp-local\u0000all\u0000', 'Which principle is fairer?', '\nA. x\nB. y\nC. N/A'];
    expect(sha256HexParts(parts)).toBe(sha256Hex(parts.join('')));
    expect(sha256HexParts(parts, 16)).toBe(sha256Hex(parts.join('')).slice(0, 16));
    expect(sha256HexParts([])).toBe(sha256Hex(''));
    expect(() => sha256HexParts(['x'], 15)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 90 }), { maxLength: 5 }), fc.integer({ min: 1, max: 32 }), (ps, half) =>
        sha256HexParts(ps, half * 2) === sha256Hex(ps.join('')).slice(0, half * 2),
      ),
      { numRuns: 300 },
    );
  });
});

describe('Sha256Prefix', () => {
  it('continues a hashed prefix: prefix(a).hex(b) = sha256(a + b)', () => {
    for (const n of [0, 1, 55, 63, 64, 65, 127, 128, 200]) {
      const prefix = new Sha256Prefix(['p'.repeat(n)]);
      for (const m of [0, 1, 55, 56, 63, 64, 120]) {
        expect(prefix.hex(['s'.repeat(m)])).toBe(sha256Hex('p'.repeat(n) + 's'.repeat(m)));
      }
    }
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 150 }), { maxLength: 3 }), fc.array(fc.string({ maxLength: 150 }), { maxLength: 3 }), (a, b) => {
        const prefix = new Sha256Prefix(a);
        // twice: a prefix is reusable
        return prefix.hex(b, 16) === sha256Hex([...a, ...b].join('')).slice(0, 16) && prefix.hex(b) === sha256Hex([...a, ...b].join(''));
      }),
      { numRuns: 200 },
    );
  });
});

describe('Sha256Prefix.set', () => {
  it('re-primes one object for many prefixes', () => {
    const prefix = new Sha256Prefix();
    expect(prefix.hex(['abc'])).toBe(sha256Hex('abc'));
    for (const head of ['', 'short', 'h'.repeat(64), 'h'.repeat(130), 'é😀'.repeat(30)]) {
      prefix.set(['id\u0000', head]);
      expect(prefix.hex(['tail'], 16)).toBe(sha256Hex(`id\u0000${head}tail`).slice(0, 16));
    }
  });
});
