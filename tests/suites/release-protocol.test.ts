import { describe, expect, it } from 'vitest';
import { protocolDeviations } from '../../src/suites/release-protocol.ts';

const protocol = { name: 'the release', parser: 'fair-pp-release', maxNewTokens: 256 };
const run = { mode: 'generate' as const, templateId: 'fair-pp/official-eval', modelKind: 'hub' };

describe('protocolDeviations', () => {
  it('finds nothing for the release\'s settings, as a record stores them or eval_server.py writes them', () => {
    expect(protocolDeviations({ ...run, order: 'fixed', samples: 1, maxNewTokens: 256, parser: 'fair-pp-release: The Fair-PP release rule ...' }, protocol)).toEqual([]);
    expect(protocolDeviations({ ...run, parser: 'fairpp-release', maxNewTokens: 256, samples: 1 }, protocol)).toEqual([]);
    // A record without the settings is not held against them.
    expect(protocolDeviations(run, protocol)).toEqual([]);
  });

  it('names each difference', () => {
    expect(protocolDeviations({ ...run, order: 'cyclic', samples: 5, maxNewTokens: 16, parser: 'label: A leading option label ...' }, protocol)).toEqual([
      'the "label" answer parser (the release\'s rule is "fair-pp-release")',
      'at most 16 new tokens (the release: 256)',
      '5 samples per question (the release: one)',
      'options asked in every rotation (the release: its own order)',
    ]);
  });
});
