/**
 * Shared-prefix planning: prompts are tokenized whole, then grouped; within a group the
 * longest common TOKEN prefix (not text prefix: BPE merges across a text boundary would
 * change the tokens) is run once and its key/value cache reused for every prompt in the group.
 * Because the tokens are exactly those of the full prompts, reuse changes no number beyond
 * floating-point rounding.
 */

export interface PrefixGroup {
  /** Token ids shared by every member (empty when reuse is off or not worth it). */
  prefix: number[];
  /** Indices into the request list. */
  members: number[];
}

export function commonPrefixLength(a: readonly number[], b: readonly number[], limit = Infinity): number {
  const n = Math.min(a.length, b.length, limit);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * Groups requests by `groupKey` (the system text) and finds each group's token prefix, leaving
 * at least one token of every prompt to run after the prefix. Prefixes shorter than
 * `minPrefix` are not worth a cache and are dropped.
 */
export function planPrefixGroups(tokens: number[][], groupKeys: string[], minPrefix: number): PrefixGroup[] {
  const byKey = new Map<string, number[]>();
  groupKeys.forEach((key, i) => {
    let members = byKey.get(key);
    if (!members) byKey.set(key, (members = []));
    members.push(i);
  });
  const groups: PrefixGroup[] = [];
  for (const members of byKey.values()) {
    const first = tokens[members[0]!]!;
    let length = first.length - 1;
    for (const m of members) length = Math.min(length, commonPrefixLength(first, tokens[m]!, tokens[m]!.length - 1));
    groups.push({ prefix: length >= minPrefix ? first.slice(0, length) : [], members });
  }
  return groups;
}

/** Splits indices (sorted by length) into batches of at most `size`. */
export function batchesByLength(indices: number[], lengthOf: (i: number) => number, size: number): number[][] {
  const sorted = [...indices].sort((a, b) => lengthOf(a) - lengthOf(b) || a - b);
  const out: number[][] = [];
  for (let i = 0; i < sorted.length; i += size) out.push(sorted.slice(i, i + size));
  return out;
}
