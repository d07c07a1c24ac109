/**
 * The prompt of the WVS-subgroups suite (ours; the paper's exact prompt is not published): the
 * persona as the system message, then the question, its options labelled A, B, ... in code order,
 * and an instruction to answer with a letter. Likelihood scoring reads the letters' probabilities.
 */
import type { PromptTemplate } from '../../core/prompts/template.ts';

export const WVS_PERSONA_TEMPLATE: PromptTemplate = {
  id: 'wvs-microdata/persona',
  user: '{question}\n{options}\nAnswer with the letter of the option that best matches your view.',
  option: '{label}. {text}',
  optionSeparator: '\n',
};
