/**
 * A small deterministic byte-level BPE trainer: learns merges from a text corpus so that the
 * synthetic model's tokenizer splits English prompts into word-like pieces, as real
 * tokenizers do (prompt lengths in tokens then resemble a real model's).
 */
import { GPT2_SPLIT, toByteLevel } from './byte-level.ts';

export interface BpeTrainingOptions {
  /** Merges applied before any learned one (each a pair of byte-level strings). */
  forcedMerges: Array<[string, string]>;
  /** Stop after this many merges in total (forced included). */
  maxMerges: number;
  /** Stop when the most frequent pair occurs fewer times than this. */
  minFrequency: number;
}

/** Learn merges; ties between equally frequent pairs go to the lexicographically smaller pair. */
export function trainBpe(corpus: string, options: BpeTrainingOptions): Array<[string, string]> {
  const wordCounts = new Map<string, number>();
  for (const match of corpus.matchAll(GPT2_SPLIT)) {
    const word = toByteLevel(match[0]);
    wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }
  const words: Array<{ symbols: string[]; count: number }> = [...wordCounts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([word, count]) => ({ symbols: [...word], count }));

  const merges: Array<[string, string]> = [];
  const apply = (left: string, right: string): void => {
    for (const w of words) {
      const s = w.symbols;
      for (let i = 0; i < s.length - 1; i++) {
        if (s[i] === left && s[i + 1] === right) {
          s.splice(i, 2, left + right);
        }
      }
    }
    merges.push([left, right]);
  };

  for (const [left, right] of options.forcedMerges) {
    if (merges.length >= options.maxMerges) return merges;
    apply(left, right);
  }

  while (merges.length < options.maxMerges) {
    const pairCounts = new Map<string, number>();
    for (const w of words) {
      for (let i = 0; i < w.symbols.length - 1; i++) {
        const key = `${w.symbols[i]}\u0000${w.symbols[i + 1]}`;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + w.count);
      }
    }
    let bestKey: string | null = null;
    let bestCount = 0;
    for (const [key, count] of pairCounts) {
      if (count > bestCount || (count === bestCount && bestKey !== null && key < bestKey)) {
        bestKey = key;
        bestCount = count;
      }
    }
    if (bestKey === null || bestCount < options.minFrequency) break;
    const [left, right] = bestKey.split('\u0000') as [string, string];
    apply(left, right);
  }
  return merges;
}
