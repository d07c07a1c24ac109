/**
 * DVMap prompts.
 *
 * - `reasoning` (the release's, as its evaluation script eval_api_parallel.py sends it): a
 *   system message asking for <reasoning>...</reasoning> then <answer>...</answer> (reproduced
 *   word for word: a functional format instruction; the renderer trims its surrounding
 *   newlines), and as the user message the release's own `prompt` column, verbatim (a role
 *   block from the profile, three structured reasoning steps, the question and its options).
 *   Scored by generation and the release's answer rule (parser `dvmap-release`): the paper's
 *   protocol. The script samples at temperature 0.7 with up to 1,024 new tokens; pass
 *   `--temperature 0.7` to match it (the product's default is greedy). The options are listed
 *   inside the prompt text, unlabelled, so the option order cannot be rotated.
 * - `direct` (ours): a system message describing the person in our own words, then the question
 *   and lettered options; scored by likelihood over the letters. Much faster; not the paper's
 *   protocol.
 */
import type { PromptTemplate } from '../../core/prompts/template.ts';
import { DVMAP_MISSING_LABEL } from '../../sources/wvs/variables.ts';

/** The release evaluation script's system message. */
export const RELEASE_SYSTEM_PROMPT = '\nRespond in the following format:\n<reasoning>\n ...\n</reasoning>\n<answer>\n  ...\n</answer>\n';

export const REASONING_TEMPLATE: PromptTemplate = {
  id: 'dvmap/release-reasoning',
  system: RELEASE_SYSTEM_PROMPT,
  user: '{prompt}',
  option: '{label}. {text}',
  optionSeparator: '\n',
};

export const DIRECT_TEMPLATE: PromptTemplate = {
  id: 'dvmap/direct',
  user: '{question}\n{options}\nAnswer with the letter of your choice.',
  option: '{label}. {text}',
  optionSeparator: '\n',
};

/** The release evaluation script's max_tokens. */
export { DIRECT_MAX_NEW_TOKENS, REASONING_MAX_NEW_TOKENS } from './meta.ts';

/** The 11 profile attributes as our direct prompt reads them (meta key, as written). */
export interface Profile {
  country: string;
  gender: string;
  maritalStatus: string;
  hasChildren: string;
  education: string;
  occupation: string;
  workNature: string;
  religion: string;
  lifeStage: string;
  income: string;
  language: string;
}

const stated = (value: string): string => (value.trim() === '' || value === DVMAP_MISSING_LABEL ? 'not stated' : value);

/** Our system message for the direct prompt: the person, attribute by attribute, in our words. */
export function profileSystemPrompt(p: Profile): string {
  return [
    'You will answer a survey question on behalf of one person. Answer as this person most likely would, not with your own view.',
    '',
    'The person:',
    `- lives in: ${stated(p.country)}`,
    `- gender: ${stated(p.gender)}`,
    `- stage of life: ${stated(p.lifeStage)}`,
    `- marital status: ${stated(p.maritalStatus)}`,
    `- children: ${stated(p.hasChildren)}`,
    `- household income, relative to others in their country: ${stated(p.income)}`,
    `- occupation: ${stated(p.occupation)}`,
    `- works for: ${stated(p.workNature)}`,
    `- highest education: ${stated(p.education)}`,
    `- religious denomination: ${stated(p.religion)}`,
    `- language spoken at home: ${stated(p.language)}`,
  ].join('\n');
}
