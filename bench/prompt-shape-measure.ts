/**
 * Token counts of the benchmark's FAIR-SP-style prompts with a model folder's tokenizer and chat
 * template: whole prompts and the prefix they share, the prompts without their persona (how
 * FAIR-SP asks without role-play), and what each persona of every set adds. Printed by
 * bench/prompt-shape.ts; the run page's endpoint cost rests on them (tests/app/endpoint-cost.test.ts).
 */
import { AutoTokenizer } from '@huggingface/transformers';
import { createChatFormatter } from '../src/core/backends/transformers/chat.ts';
import { planPrefixGroups } from '../src/core/backends/transformers/prefix.ts';
import { benchItems, BENCHMARK_TEMPLATE } from '../src/suites/fair-pp-local/benchmark-items.ts';
import { renderPrompt } from '../src/core/prompts/template.ts';
import { ROLEPLAY_CHOICES } from '../src/suites/fair-pp/meta.ts';
import { personaSet } from '../src/suites/fair-pp/segments.ts';
import type { PersonaSetId } from '../src/suites/fair-pp-local/taxonomy.ts';

export interface PromptShape {
  /** Whole prompts (persona system turn, question) of the 16 benchmark items. */
  prompt: number[];
  /** The prefix the prompts share (one group per persona). */
  prefix: number[];
  /** The same prompts without the persona. */
  withoutPersona: number[];
  /** What each persona of a set adds to a prompt. */
  persona: Record<PersonaSetId, number[]>;
}

export async function measurePromptShape(folder: string): Promise<PromptShape> {
  const tok = await AutoTokenizer.from_pretrained(folder, { local_files_only: true } as never);
  const chat = createChatFormatter(tok, {});
  const count = (text: string) => tok.encode(text, { add_special_tokens: false }).length;
  const items = benchItems(16);
  const toks = items.map((it) => Array.from(tok.encode(chat.format(renderPrompt(BENCHMARK_TEMPLATE, it)), { add_special_tokens: false })));
  const groups = planPrefixGroups(toks, items.map((i) => i.system ?? ''), 4);
  // The special tokens around the system turn separate it from the user turn, so what a persona
  // adds does not depend on the question: measured against a one-word user turn.
  const bare = count(chat.format({ user: 'Q' }));
  const sets = ROLEPLAY_CHOICES.filter((c) => c !== 'none') as PersonaSetId[];
  return {
    prompt: toks.map((t) => t.length),
    prefix: groups.map((g) => g.prefix.length),
    withoutPersona: items.map((it) => count(chat.format({ user: renderPrompt(BENCHMARK_TEMPLATE, it).user }))),
    persona: Object.fromEntries(sets.map((set) => [set, personaSet(set).map((p) => count(chat.format({ system: p.prompt, user: 'Q' })) - bare)])) as Record<PersonaSetId, number[]>,
  };
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
