import { scoreFairPp } from '../src/suites/fair-pp/score.ts';
import { syntheticResults } from './core-timings.ts';
const items = syntheticResults(30000);
const run = { mode: 'likelihood' as const, templateId: 'fair-pp/official-eval', modelKind: 'hub' };
const t: number[] = [];
for (let r = 0; r < 30; r++) { const t0 = performance.now(); scoreFairPp(items, { seed: 0, resamples: 0, run }, { roleplay: false, officialQuestions: true }); t.push(performance.now() - t0); }
console.log(t.map((x) => x.toFixed(0)).join(' '));
