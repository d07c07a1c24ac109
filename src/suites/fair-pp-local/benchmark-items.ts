/** The benchmark's items: FAIR-SP-style questions from our own bank, asked under one persona. */
import type { Item } from '../../core/items/item.ts';
import { sampleItems } from '../../core/items/sample.ts';
import { personaSet } from '../fair-pp/segments.ts';
import { buildLocalBank } from './bank.ts';

export { LOCAL_EVAL_TEMPLATE as BENCHMARK_TEMPLATE } from '../fair-pp/prompts.ts';

export function benchItems(count: number): Item[] {
  const persona = personaSet('uk').find((p) => p.id === 'S3')!;
  return sampleItems(buildLocalBank(), { strategy: 'stratified', limit: count, seed: 0, stratifyBy: ['dimension', 'phrasing'] }).map((item) => ({
    ...item,
    system: persona.prompt,
  }));
}
