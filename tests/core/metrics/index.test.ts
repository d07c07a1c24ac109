import { describe, expect, it } from 'vitest';
import * as metrics from '../../../src/core/metrics/index.ts';

describe('metrics public API', () => {
  it('re-exports every metric function and nothing internal', () => {
    expect(Object.keys(metrics).sort()).toEqual([
      'accuracy',
      'agreementRate',
      'argmax',
      'bootstrapInterval',
      'bootstrapResamples',
      'cMDS',
      'coefficientOfVariation',
      'countAnswers',
      'countTiers',
      'countsToDistribution',
      'itemPositionBias',
      'jensenShannonDistance',
      'jsSimilarity',
      'jsSimilarityFast',
      'likertConsistency',
      'meanDistribution',
      'meanPairwiseWasserstein',
      'modalAnswer',
      'modalDiversityScore',
      'nmae',
      'noiseCeiling',
      'normalize',
      'normalizedRange',
      'normalizedWassersteinDistance',
      'pairedBootstrapDifference',
      'positionBias',
      'quantileSorted',
      'sampleTierWeights',
      'scaleToMeanOne',
      'tierOf',
      'tierWeights',
      'totalVariation',
      'wassersteinDistance',
      'wassersteinFromAnswers',
    ]);
  });
});
