/**
 * `npx tsx bench/prompt-shape.ts [preset]`: the token counts behind the benchmark's ceiling: the
 * mean, shortest and longest prompt of the benchmark items and the prefix they share, with the
 * synthetic model's tokenizer (the model is written to the cache on first use, as in `npm run bench`).
 * Then the same prompts without their persona (no system prompt: how FAIR-SP asks without
 * role-play), and what each persona of every set adds to a prompt (the run page's endpoint cost).
 */
import { AutoTokenizer } from '@huggingface/transformers';
import { createChatFormatter } from '../src/core/backends/transformers/chat.ts';
import { planPrefixGroups } from '../src/core/backends/transformers/prefix.ts';
import { benchItems, BENCHMARK_TEMPLATE } from '../src/suites/fair-pp-local/benchmark-items.ts';
import { renderPrompt } from '../src/core/prompts/template.ts';
import { syntheticFolder } from '../src/node/model-context.ts';
import { ROLEPLAY_CHOICES } from '../src/suites/fair-pp/meta.ts';
import { personaSet } from '../src/suites/fair-pp/segments.ts';
import type { PersonaSetId } from '../src/suites/fair-pp-local/taxonomy.ts';
const tok = await AutoTokenizer.from_pretrained(syntheticFolder(process.argv[2] ?? 'qwen2.5-0.5b'), { local_files_only: true } as never);
const chat = createChatFormatter(tok, {});
const count = (text: string) => tok.encode(text, { add_special_tokens: false }).length;
const stats = (xs: number[]) => `mean ${xs.reduce((a, b) => a + b) / xs.length} min ${Math.min(...xs)} max ${Math.max(...xs)}`;
const items = benchItems(16);
const toks = items.map((it) => Array.from(tok.encode(chat.format(renderPrompt(BENCHMARK_TEMPLATE, it)), { add_special_tokens: false })));
const g = planPrefixGroups(toks, items.map((i) => i.system ?? ''), 4);
const lens = toks.map((t) => t.length);
console.log('prompt tokens mean', lens.reduce((a, b) => a + b) / lens.length, 'min', Math.min(...lens), 'max', Math.max(...lens), 'prefix', g.map((x) => x.prefix.length));
console.log('without the persona (no system prompt):', stats(items.map((it) => count(chat.format({ user: renderPrompt(BENCHMARK_TEMPLATE, it).user })))));
// The special tokens around the system turn separate it from the user turn, so what a persona
// adds does not depend on the question: measured against a one-word user turn.
const bare = count(chat.format({ user: 'Q' }));
for (const set of ROLEPLAY_CHOICES.filter((c) => c !== 'none')) {
  const personas = personaSet(set as PersonaSetId);
  console.log(`a persona of set ${set} adds (${personas.length} personas):`, stats(personas.map((p) => count(chat.format({ system: p.prompt, user: 'Q' })) - bare)));
}
