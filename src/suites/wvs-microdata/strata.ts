/**
 * The compositional split of seed 002 (SPEC section 2), generalised to any attribute list.
 *
 * With the attributes [a0, a1, ..., an] (default sex, age_group, ethnicity, religion):
 *  - TRAIN strata: every single attribute, then a0 crossed with each other attribute
 *    (sex, age_group, ethnicity, religion, sex x age_group, sex x ethnicity, sex x religion);
 *  - OOD strata: every pair that does not involve a0
 *    (age_group x ethnicity, age_group x religion, ethnicity x religion).
 * So the paper's split is the default, and the first attribute listed is the one crossed in
 * training (our generalisation; the paper only defines the default). A stratum is named by its
 * attributes joined with " x " in list order ("sex x age_group"). No stratum crosses more than
 * two attributes, as in the paper.
 */
import type { AttributeId } from './attributes.ts';

export type SplitName = 'train' | 'ood';

export interface StratumDef {
  name: string;
  attributes: readonly AttributeId[];
  split: SplitName;
}

export const PAPER_ATTRIBUTES: readonly AttributeId[] = ['sex', 'age_group', 'ethnicity', 'religion'];

export function stratumName(attributes: readonly AttributeId[]): string {
  return attributes.join(' x ');
}

/** Train strata then OOD strata, as defined above. */
export function compositionalStrata(attributes: readonly AttributeId[]): StratumDef[] {
  if (new Set(attributes).size !== attributes.length) throw new RangeError(`strata attributes repeat: ${attributes.join(', ')}`);
  const out: StratumDef[] = attributes.map((a) => ({ name: a, attributes: [a], split: 'train' as const }));
  const [first, ...rest] = attributes;
  if (first !== undefined) for (const b of rest) out.push({ name: stratumName([first, b]), attributes: [first, b], split: 'train' });
  rest.forEach((a, i) => {
    for (const b of rest.slice(i + 1)) out.push({ name: stratumName([a, b]), attributes: [a, b], split: 'ood' });
  });
  return out;
}

/** The strata a split option selects: 'train', 'ood' or 'all'. */
export function strataForSplit(strata: readonly StratumDef[], split: 'train' | 'ood' | 'all'): StratumDef[] {
  return split === 'all' ? [...strata] : strata.filter((s) => s.split === split);
}
