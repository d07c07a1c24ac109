import type { SuiteMeta } from '../suite.ts';

export const FAIR_PP_LICENCE = 'CC-BY-NC-SA-4.0 (Fair-PP release: non-commercial, attribution, share-alike)';
export const FAIR_PP_CITATION =
  'Fair-PP: a synthetic dataset for aligning LLMs with pluralistic social-equity preferences (published anonymously for review as FAIR-SP). arXiv:2505.11861. Data: huggingface.co/datasets/tools-o/Fair-PP; code: github.com/tools-only/FairPP.';

/** Persona sets (static-data/fair-pp/personas.json): none, or one region's segments. */
export const ROLEPLAY_CHOICES = ['none', 'uk', 'us', 'fr', 'de', 'pl'] as const;

export const ANCHORS_INPUT = {
  role: 'anchors',
  label: 'Anchor pack (optional): score against these anchors instead',
  accept: '.json',
  required: false,
} as const;

export const fairPpMeta: SuiteMeta = {
  id: 'fair-pp',
  family: 'fair-sp',
  title: 'FAIR-SP (Fair-PP release): equity preferences of seven UK segments',
  description:
    'Equity questions (29 social groups x 98 topics x 5 preference dimensions x 2 phrasings) from the Fair-PP release, scored against the answers of seven simulated UK public segments with 1 - Jensen-Shannon distance. The official score is a generation run with the release\'s evaluation prompt; likelihood runs are ours and labelled so.',
  version: '1',
  licence: FAIR_PP_LICENCE,
  citation: FAIR_PP_CITATION,
  options: [
    { key: 'split', description: 'the release split: test (the paper\'s evaluation), train, or simulation (the scenario vignettes)', type: 'string', default: 'test', choices: ['test', 'train', 'simulation'] },
    { key: 'roleplay', description: 'ask every question under each persona of a set (role-play fidelity)', type: 'string', default: 'none', choices: ROLEPLAY_CHOICES },
  ],
  inputs: [
    { role: 'data', label: 'The release as a file (Parquet, CSV or JSON Lines), instead of downloading it from the Hub', accept: '.parquet,.csv,.jsonl,.json', required: false },
    ANCHORS_INPUT,
  ],
  defaults() {
    return { mode: 'generate', parser: 'fair-pp-release', maxNewTokens: 256 };
  },
  baselines: [],
};
