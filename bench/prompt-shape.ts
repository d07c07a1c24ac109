/**
 * `npx tsx bench/prompt-shape.ts [preset]`: the token counts behind the benchmark's ceiling: the
 * mean, shortest and longest prompt of the benchmark items and the prefix they share, with the
 * synthetic model's tokenizer (the model is written to the cache on first use, as in `npm run bench`).
 */
import { AutoTokenizer } from '@huggingface/transformers';
import { createChatFormatter } from '../src/core/backends/transformers/chat.ts';
import { planPrefixGroups } from '../src/core/backends/transformers/prefix.ts';
import { benchItems, BENCHMARK_TEMPLATE } from '../src/suites/fair-pp-local/benchmark-items.ts';
import { renderPrompt } from '../src/core/prompts/template.ts';
import { syntheticFolder } from '../src/node/model-context.ts';
const tok = await AutoTokenizer.from_pretrained(syntheticFolder(process.argv[2] ?? 'qwen2.5-0.5b'), { local_files_only: true } as never);
const chat = createChatFormatter(tok, {});
const items = benchItems(16);
const toks = items.map((it) => Array.from(tok.encode(chat.format(renderPrompt(BENCHMARK_TEMPLATE, it)), { add_special_tokens: false })));
const g = planPrefixGroups(toks, items.map((i) => i.system ?? ''), 4);
const lens = toks.map((t) => t.length);
console.log('prompt tokens mean', lens.reduce((a, b) => a + b) / lens.length, 'min', Math.min(...lens), 'max', Math.max(...lens), 'prefix', g.map((x) => x.prefix.length));
