/**
 * `npx tsx bench/prompt-shape.ts [preset]`: the token counts behind the benchmark's ceiling: the
 * mean, shortest and longest prompt of the benchmark items and the prefix they share, with the
 * synthetic model's tokenizer (the model is written to the cache on first use, as in `npm run bench`).
 * Then the same prompts without their persona (no system prompt: how FAIR-SP asks without
 * role-play), and what each persona of every set adds to a prompt (the run page's endpoint cost).
 */
import { syntheticFolder } from '../src/node/model-context.ts';
import { mean, measurePromptShape } from './prompt-shape-measure.ts';

const shape = await measurePromptShape(syntheticFolder(process.argv[2] ?? 'qwen2.5-0.5b'));
const stats = (xs: number[]) => `mean ${mean(xs)} min ${Math.min(...xs)} max ${Math.max(...xs)}`;
console.log('prompt tokens mean', mean(shape.prompt), 'min', Math.min(...shape.prompt), 'max', Math.max(...shape.prompt), 'prefix', shape.prefix);
console.log('without the persona (no system prompt):', stats(shape.withoutPersona));
for (const [set, adds] of Object.entries(shape.persona)) console.log(`a persona of set ${set} adds (${adds.length} personas):`, stats(adds));
