import type { SuiteMeta } from '../suite.ts';

/** The splits: the corpus's dev and test, and the three triple-generalisation benchmark splits. */
export const DVMAP_SPLITS = ['test', 'dev', 'cross-demographic', 'cross-country', 'cross-value'] as const;
/** The release evaluates with up to 1,024 new tokens of reasoning; our direct prompt needs one letter. */
export const REASONING_MAX_NEW_TOKENS = 1024;
export const DIRECT_MAX_NEW_TOKENS = 16;
export const DVMAP_LICENCE = 'none published (the DVMap repository has no licence file): loaded at run time, never copied';
export const DVMAP_CITATION =
  'DVMap: mapping the values of demographic groups with WVS-7 profiles; triple-generalisation benchmark (cross-demographic, cross-country, cross-value). arXiv:2605.14420. Data and code: github.com/EnlightenedAI/DVMap.';

export const PROMPT_CHOICES = ['direct', 'reasoning'] as const;


export const dvmapMeta: SuiteMeta = {
  id: 'dvmap',
  title: 'DVMap: WVS-7 demographic profiles (accuracy, Likert consistency, Wasserstein, value flips)',
  description:
    'Questions from the World Values Survey asked of demographic profiles (country, gender, life stage, marital status, children, income, occupation, work sector, education, religion, language), scored against the unanimous answer of the respondents sharing that profile. Splits: the corpus dev/test and the triple-generalisation benchmark (cross-demographic, cross-country, cross-value). The paper\'s numbers come from generation with the release\'s structured-reasoning prompt and its answer rule (the prompt option set to reasoning; the release samples at temperature 0.7); the default is our faster direct prompt scored by likelihood. Accuracy is the release\'s metric; Likert consistency, Wasserstein distance and the income value-flip rate are ours, as the Methods page defines them. baseline:majority is the most frequent training answer per country and question (pooled over countries for an unseen country; N/A for an unseen question); it reads the corpus train split (or a train split file you give).',
  version: '1',
  licence: DVMAP_LICENCE,
  citation: DVMAP_CITATION,
  options: [
    {
      key: 'split',
      description: 'test or dev (the corpus), or a triple-generalisation benchmark split: cross-demographic, cross-country, cross-value',
      type: 'string',
      default: 'test',
      choices: DVMAP_SPLITS,
    },
    {
      key: 'prompt',
      description: 'direct (ours: profile as a system message, lettered options, likelihood) or reasoning (the release\'s prompt column, generation, <answer> tag: the paper\'s protocol)',
      type: 'string',
      default: 'direct',
      choices: PROMPT_CHOICES,
    },
  ],
  family: 'wvs',
  inputs: [
    { role: 'data', label: 'A DVMap split as a file (Parquet, Arrow, CSV or JSON Lines), instead of downloading it from GitHub', accept: '.parquet,.arrow,.csv,.jsonl', required: false },
    { role: 'train', label: 'The corpus train split (for baseline:majority), if GitHub cannot be reached', accept: '.parquet,.arrow,.csv,.jsonl', required: false },
  ],
  defaults(options) {
    return options.prompt === 'reasoning'
      ? { mode: 'generate', parser: 'dvmap-release', maxNewTokens: REASONING_MAX_NEW_TOKENS }
      : { mode: 'likelihood', parser: 'label', maxNewTokens: DIRECT_MAX_NEW_TOKENS };
  },
  baselines: ['majority'],
};
