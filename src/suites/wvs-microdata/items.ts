/**
 * Items of the WVS-subgroups benchmark: one per scored (subgroup, question) pair of the chosen
 * split's strata. The persona is the system prompt; the question and its options (in code
 * order, so option i is code i + 1) come from the question metadata.
 *
 *   refs = { mode, modeCode, k, ordinal, distribution, n, tie, ties, populationMode }
 *     mode            0-based index of the subgroup's modal answer (the gold answer)
 *     modeCode        the WVS code of it (mode + 1)
 *     distribution    the subgroup's valid answers as shares, in code order
 *     n               its number of valid answers
 *     tie, ties       whether the mode was a tie, and every tied index (ties to the lowest)
 *     populationMode  0-based modal answer of the whole country (baseline:majority)
 *   meta = { country, stratum, split, subgroup, question, concept, <attribute>: label | null }
 *
 * Item id = itemId("wvs7-microdata:<ISO3>", stratum, subgroup + NUL + question): stable across
 * runs, files with the same codes, and split choices.
 */
import { itemId, type Item, type MetaValue } from '../../core/items/item.ts';
import type { Codebook } from '../../sources/wvs/codebook.ts';
import type { WvsQuestionSpec } from '../../sources/wvs/user-metadata.ts';
import type { AttributeId } from './attributes.ts';
import type { BuildResult } from './builder.ts';
import { personaPrompt } from './persona.ts';
import type { SplitName } from './strata.ts';

export interface WvsItemRefs {
  mode: number;
  modeCode: number;
  k: number;
  ordinal: boolean;
  distribution: number[];
  n: number;
  tie: boolean;
  ties: number[];
  populationMode: number;
}

export interface ItemBuildOptions {
  country: string;
  countryName: string;
  /** Strata attributes in use (each becomes a meta key). */
  attributes: readonly AttributeId[];
  splits: ReadonlySet<SplitName>;
  questions: ReadonlyMap<string, WvsQuestionSpec>;
  codebook: Codebook;
}

export function buildItems(result: BuildResult, options: ItemBuildOptions): Item[] {
  const items: Item[] = [];
  const datasetId = `wvs7-microdata:${options.country}`;
  for (const stratum of result.strata) {
    if (!options.splits.has(stratum.def.split)) continue;
    const byId = new Map(stratum.subgroups.map((s) => [s.id, s]));
    const personas = new Map<string, string>();
    for (const q of stratum.questions) {
      const spec = options.questions.get(q.question);
      if (!spec) throw new RangeError(`no metadata for ${q.question}`);
      const population = result.population.get(q.question)!;
      for (const pair of q.pairs) {
        const subgroup = byId.get(pair.subgroup)!;
        let system = personas.get(subgroup.id);
        if (system === undefined) personas.set(subgroup.id, (system = personaPrompt(subgroup.categories, options.countryName, options.codebook)));
        const meta: Record<string, MetaValue> = {
          country: options.country,
          stratum: stratum.def.name,
          split: stratum.def.split,
          subgroup: subgroup.id,
          question: q.question,
          concept: spec.concept ?? null,
        };
        for (const id of options.attributes) meta[id] = subgroup.labels[id] ?? null;
        const refs: WvsItemRefs = {
          mode: pair.mode,
          modeCode: pair.mode + 1,
          k: q.k,
          ordinal: q.ordinal,
          distribution: pair.counts.map((c) => c / pair.n),
          n: pair.n,
          tie: pair.tie,
          ties: pair.ties,
          populationMode: population.mode,
        };
        items.push({
          id: itemId(datasetId, stratum.def.name, `${subgroup.id}\u0000${q.question}`),
          question: spec.text,
          options: [...spec.options],
          fixedTail: 0,
          system,
          meta,
          refs: refs as unknown as Record<string, unknown>,
        });
      }
    }
  }
  return items;
}
