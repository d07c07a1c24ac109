/**
 * The metrics core: every number Pluralscope shows is computed here, the same in the page, a Worker
 * and Node (pure TypeScript, no DOM, no Node APIs). Definitions: the product specification, SPEC.md sections 1-4; each
 * function's doc comment states its exact formula, log base, tie rule and edge cases.
 *
 * Conventions: distributions are `number[]` in the source's option order; answers are 0-based
 * option codes; invalid input throws a `RangeError` naming the function and the entry.
 */
export { argmax, countAnswers, countsToDistribution, meanDistribution, normalize, totalVariation } from './distribution.ts';
export { jensenShannonDistance, jsSimilarity, jsSimilarityFast } from './jensen-shannon.ts';
export { normalizedWassersteinDistance, wassersteinDistance, wassersteinFromAnswers, type WassersteinResult } from './wasserstein.ts';
export { meanPairwiseWasserstein, modalAnswer, modalDiversityScore, type ModalAnswer } from './modal.ts';
export { accuracy, likertConsistency, nmae, type OrdinalItem } from './ordinal.ts';
export { coefficientOfVariation, normalizedRange } from './spread.ts';
export { quantileSorted } from './percentile.ts';
export {
  bootstrapInterval,
  bootstrapResamples,
  pairedBootstrapDifference,
  type BootstrapInterval,
  type BootstrapOptions,
} from './bootstrap.ts';
export { cMDS, type CmdsResult } from './cmds.ts';
export { countTiers, sampleTierWeights, scaleToMeanOne, tierOf, tierWeights } from './tier-weights.ts';
export { noiseCeiling, type NoiseCeilingOptions } from './noise-ceiling.ts';
export { itemPositionBias, positionBias, type ItemPositionBias, type PositionBiasResult } from './position-bias.ts';
export { agreementRate } from './agreement.ts';
