/**
 * SHA-256 of strings' UTF-8 bytes, as hex: the same value as `sha256Hex(text)` in `sha256.ts`,
 * about twice as fast for the short texts item ids hash, because it allocates almost nothing per
 * call: the parts are written into one reusable byte buffer (ASCII directly, anything else
 * through `TextEncoder.encodeInto`), the schedule lives in a shared Int32Array, and only the hex
 * digits asked for are produced. Bank builders that hash tens of thousands of question texts in
 * the browser use it; tests check it against @noble/hashes byte for byte.
 *
 * Synchronous and not re-entrant by design (JavaScript is single-threaded; each Worker has its
 * own module state).
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Int32Array(64);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const H = new Int32Array(8);
const encoder = new TextEncoder();
let buffer = new Uint8Array(1024);

/** Writes `part` as UTF-8 at `pos`; returns the position after it. */
function write(part: string, pos: number): number {
  const buf = buffer;
  const n = part.length;
  for (let i = 0; i < n; i++) {
    const c = part.charCodeAt(i);
    if (c >= 0x80) return pos + encoder.encodeInto(i === 0 ? part : part.slice(i), buf.subarray(pos)).written;
    buf[pos++] = c;
  }
  return pos;
}

const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** Runs the compression function from state `from` over buf[0, total) (total a multiple of 64) into H. */
function compress(from: Int32Array, buf: Uint8Array, total: number): void {
  let h0 = from[0]!, h1 = from[1]!, h2 = from[2]!, h3 = from[3]!;
  let h4 = from[4]!, h5 = from[5]!, h6 = from[6]!, h7 = from[7]!;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0, j = off; i < 16; i++, j += 4) {
      W[i] = (buf[j]! << 24) | (buf[j + 1]! << 16) | (buf[j + 2]! << 8) | buf[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const w15 = W[i - 15]!;
      const w2 = W[i - 2]!;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  H[0] = h0;
  H[1] = h1;
  H[2] = h2;
  H[3] = h3;
  H[4] = h4;
  H[5] = h5;
  H[6] = h6;
  H[7] = h7;
}

/** Writes `leadLength` bytes of `lead`, then `parts`, from the buffer's start; returns the byte count. */
function fill(lead: Uint8Array | null, leadLength: number, parts: readonly string[]): number {
  let need = 72 + leadLength;
  for (const part of parts) need += part.length * 3;
  if (buffer.length < need) buffer = new Uint8Array(need * 2);
  const buf = buffer;
  for (let i = 0; i < leadLength; i++) buf[i] = lead![i]!;
  let n = leadLength;
  for (const part of parts) n = write(part, n);
  return n;
}

/** Pads buf[0, n) as the end of a message of `length` bytes; returns the padded size. */
function pad(n: number, length: number): number {
  const buf = buffer;
  const total = ((n + 9 + 63) >>> 6) << 6;
  buf[n] = 0x80;
  buf.fill(0, n + 1, total);
  // Message length in bits, big-endian 64-bit (the high word only matters past 512 MiB).
  const high = Math.floor(length / 0x20000000);
  const low = (length * 8) >>> 0;
  buf[total - 8] = high >>> 24;
  buf[total - 7] = high >>> 16;
  buf[total - 6] = high >>> 8;
  buf[total - 5] = high;
  buf[total - 4] = low >>> 24;
  buf[total - 3] = low >>> 16;
  buf[total - 2] = low >>> 8;
  buf[total - 1] = low;
  return total;
}

function hexOfH(hexLength: number): string {
  if (hexLength < 2 || hexLength > 64 || hexLength % 2 !== 0) throw new RangeError(`hexLength must be even, 2..64, got ${hexLength}`);
  let out = '';
  for (let i = 0, bytes = hexLength >>> 1; i < bytes; i++) out += HEX[(H[i >>> 2]! >>> (24 - 8 * (i & 3))) & 255]!;
  return out;
}

/**
 * SHA-256 of the concatenation of `parts` (as UTF-8), as lower-case hex, truncated to
 * `hexLength` digits (even, 2..64). Equal to `sha256Hex(parts.join('')).slice(0, hexLength)`,
 * except that each part is encoded on its own: a surrogate pair split across two parts becomes
 * two U+FFFD, as it would in either part alone.
 */
export function sha256HexParts(parts: readonly string[], hexLength = 64): string {
  const n = fill(null, 0, parts);
  compress(INITIAL, buffer, pad(n, n));
  return hexOfH(hexLength);
}

/** SHA-256 of `text` (as UTF-8), as hex: `sha256Hex(text)`, faster. */
export function sha256HexText(text: string, hexLength = 64): string {
  return sha256HexParts([text], hexLength);
}

/**
 * A shared prefix hashed once: the state after its whole 64-byte blocks, plus the bytes left
 * over. `hex(rest)` then costs only the blocks after the prefix, so texts that share a long
 * beginning (one stem, five option sets) are hashed without repeating it.
 * `new Sha256Prefix(a).hex(b, k) === sha256HexParts([...a, ...b], k)`.
 */
export class Sha256Prefix {
  readonly #state = new Int32Array(8);
  /** The prefix's bytes after its last whole block (always fewer than 64). */
  readonly #rest = new Uint8Array(64);
  #restLength = 0;
  #length = 0;

  constructor(parts: readonly string[] = []) {
    this.set(parts);
  }

  /** Makes this the prefix `parts` (reusing its memory: one object can serve many prefixes). */
  set(parts: readonly string[]): this {
    const n = fill(null, 0, parts);
    const whole = n & ~63;
    compress(INITIAL, buffer, whole);
    this.#state.set(H);
    for (let i = whole; i < n; i++) this.#rest[i - whole] = buffer[i]!;
    this.#restLength = n - whole;
    this.#length = n;
    return this;
  }

  /** Hex digest of the prefix followed by `parts`: `sha256HexParts([...prefix, ...parts], hexLength)`. */
  hex(parts: readonly string[], hexLength = 64): string {
    const n = fill(this.#rest, this.#restLength, parts);
    compress(this.#state, buffer, pad(n, this.#length - this.#restLength + n));
    return hexOfH(hexLength);
  }
}
