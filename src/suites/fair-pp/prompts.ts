/**
 * FAIR-SP prompts. The release used two (SPEC section 1): its anchors were role-played with a
 * persona system prompt, and evaluated models were asked with no system prompt, the question,
 * and "\nDirectly select your option without explanation." (free generation, up to 256 new
 * tokens, parsed by the release's rule). The scenario set has no suffix. Option lines are
 * rendered as the release writes them ("A. text"), so the prompt text equals the release's.
 */
import type { PromptTemplate } from '../../core/prompts/template.ts';

export const OFFICIAL_EVAL_TEMPLATE: PromptTemplate = {
  id: 'fair-pp/official-eval',
  user: '{question}\n{options}\nDirectly select your option without explanation.',
  option: '{label}. {text}',
  optionSeparator: '\n',
};

export const SCENARIO_EVAL_TEMPLATE: PromptTemplate = {
  id: 'fair-pp/scenario-eval',
  user: '{question}\n{options}',
  option: '{label}. {text}',
  optionSeparator: '\n',
};

/** Our bank's prompt: the same shape as the release's evaluation prompt (never mixed with it). */
export const LOCAL_EVAL_TEMPLATE: PromptTemplate = {
  id: 'fair-pp-local/eval',
  user: '{question}\n{options}\nDirectly select your option without explanation.',
  option: '{label}. {text}',
  optionSeparator: '\n',
};

export const OFFICIAL_TEMPLATE_IDS = new Set([OFFICIAL_EVAL_TEMPLATE.id, SCENARIO_EVAL_TEMPLATE.id]);

export const OFFICIAL_MAX_NEW_TOKENS = 256;
