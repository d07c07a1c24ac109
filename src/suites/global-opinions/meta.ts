import type { SuiteMeta } from '../suite.ts';

/** The persona option's "no persona" value. */
export const NO_PERSONA = 'none';
/** Likelihood scoring needs one letter; a generated answer, a few tokens. */
export const MAX_NEW_TOKENS = 16;
export const GLOBAL_OPINIONS_LICENCE = 'CC-BY-NC-SA-4.0 (GlobalOpinionQA: non-commercial, attribution, share-alike)';
export const GLOBAL_OPINIONS_CITATION =
  'Durmus, E., et al. (2023). Towards Measuring the Representation of Subjective Global Opinions in Language Models. arXiv:2306.16388. Data: huggingface.co/datasets/Anthropic/llm_global_opinions.';


export const globalOpinionsMeta: SuiteMeta = {
  id: 'global-opinions',
  title: 'GlobalOpinionQA: whose country\'s opinions does the model share?',
  description:
    'Questions from the World Values Survey and Pew\'s Global Attitudes Survey with each country\'s answer shares (Anthropic/llm_global_opinions). Per country: the mean over its questions of 1 - Jensen-Shannon distance (natural log) between the model\'s distribution and the country\'s, over all released options (shares renormalised; all-zero entries skipped and counted). With the persona option set to a country (ISO alpha-3 code) the model is asked, in a system message, to answer as someone from that country (only that country\'s questions), and the country\'s rank is reported. The prompt and the score are ours where the paper is silent.',
  version: '1',
  licence: GLOBAL_OPINIONS_LICENCE,
  citation: GLOBAL_OPINIONS_CITATION,
  options: [
    {
      key: 'persona',
      description: 'none, or a country (ISO3 code) whose people the model is asked to answer as',
      type: 'string',
      default: NO_PERSONA,
    },
  ],
  family: 'wvs',
  inputs: [{ role: 'data', label: 'global_opinions.csv as a file, instead of downloading it from the Hub', accept: '.csv', required: false }],
  defaults() {
    return { mode: 'likelihood', parser: 'label', maxNewTokens: MAX_NEW_TOKENS };
  },
  baselines: [],
};
