/**
 * What an endpoint run sends before it starts: requests and prompt tokens (endpoints bill by the
 * token). The run page loads this module only for endpoint runs: it reads the persona data.
 */
import { personaSet } from '../../suites/fair-pp/segments.ts';
import type { PersonaSetId } from '../../suites/fair-pp-local/taxonomy.ts';

/**
 * Prompt tokens of a FAIR-SP question without a persona (no system prompt), as measured by
 * `npx tsx bench/prompt-shape.ts`: "without the persona (no system prompt): mean 120.125 min 105
 * max 136" (the Qwen2.5 tokenizer and chat template on the benchmark's 16 questions; an
 * endpoint's own tokenizer and template count somewhat differently, and other suites' prompts
 * differ in length).
 */
export const QUESTION_TOKENS = 120;

/**
 * What one persona adds to a prompt, the mean over each set's personas, as measured by the same
 * script: "a persona of set uk adds (7 personas): mean 247.57...", us 141.86, fr 177, de 183,
 * pl 248.71 (rounded here). A stratified role-play sample holds every persona of the set in
 * about equal shares.
 */
export const PERSONA_TOKENS: Record<PersonaSetId, number> = { uk: 248, us: 142, fr: 177, de: 183, pl: 249 };

export interface EndpointCost {
  /** HTTP requests, at most: generation asks for all samples in one request, and asks again only of servers that ignore `n`. */
  requests: number;
  /** Prompt (input) tokens over those requests, about. */
  promptTokens: number;
  /** Personas in the role-play set (0 without role-play). */
  personas: number;
}

/**
 * `limit` items (with role-play, an item is one question under one persona: the sample is drawn
 * from the question x persona items, so role-play does not multiply the requests), each sent once
 * per option rotation, and in generation once per sample.
 */
export function endpointCost(options: {
  limit: number;
  rotations: number;
  mode: 'likelihood' | 'generate';
  samples: number;
  /** The suite's `roleplay` option: 'none' or a persona set. */
  roleplay: string;
}): EndpointCost {
  const requests = options.limit * options.rotations * (options.mode === 'generate' ? Math.max(1, options.samples) : 1);
  const set = options.roleplay === 'none' ? null : (options.roleplay as PersonaSetId);
  if (set && !Object.hasOwn(PERSONA_TOKENS, set)) throw new RangeError(`no persona set "${options.roleplay}"`);
  const personaTokens = set ? PERSONA_TOKENS[set] : 0;
  return { requests, promptTokens: requests * (QUESTION_TOKENS + personaTokens), personas: set ? personaSet(set).length : 0 };
}
