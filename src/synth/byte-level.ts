/**
 * GPT-2 style byte-level alphabet: every byte maps to one printable unicode character,
 * so a byte-level BPE vocabulary can be written as ordinary JSON strings ("Ġ" is a space).
 */

let cachedByteToChar: string[] | null = null;

export function byteToChar(): string[] {
  if (cachedByteToChar) return cachedByteToChar;
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table: string[] = new Array<string>(256);
  const direct = new Set(printable);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = direct.has(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  }
  cachedByteToChar = table;
  return table;
}

/** The byte-level spelling of a string (UTF-8 bytes, each as its alphabet character). */
export function toByteLevel(text: string): string {
  const table = byteToChar();
  let out = '';
  for (const b of new TextEncoder().encode(text)) out += table[b];
  return out;
}

/** GPT-2's pre-tokenisation pattern, the one the ByteLevel pre-tokenizer applies. */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
