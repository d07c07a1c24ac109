import type { SuiteMeta } from '../suite.ts';
import { ANCHORS_INPUT, ROLEPLAY_CHOICES } from '../fair-pp/meta.ts';

export const LOCAL_LICENCE = 'MIT (Pluralscope\'s own templates and taxonomy labels; anchors carry their own provenance)';
export const LOCAL_CITATION =
  'Pluralscope local FAIR-SP bank: questions generated from the FAIR-SP taxonomy (arXiv:2505.11861) with templates written by the Pluralscope project; not the release\'s questions.';

export const fairPpLocalMeta: SuiteMeta = {
  id: 'fair-pp-local',
  family: 'fair-sp',
  title: 'FAIR-SP, our own question bank (offline)',
  description:
    'All 28,420 (topic, group, dimension, phrasing) questions written with Pluralscope\'s own templates. No anchors are built in: generate a role-play anchor pack (any model, or an endpoint such as the GPT-4o-mini the paper used) or import one, then score models against it.',
  version: '1',
  licence: LOCAL_LICENCE,
  citation: LOCAL_CITATION,
  options: [{ key: 'roleplay', description: 'ask every question under each persona of a set', type: 'string', default: 'none', choices: ROLEPLAY_CHOICES }],
  inputs: [ANCHORS_INPUT],
  defaults() {
    return { mode: 'likelihood', parser: 'label', maxNewTokens: 16 };
  },
  baselines: [],
};
