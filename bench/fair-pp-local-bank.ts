/**
 * How long the local FAIR-SP bank takes to build (28,420 items): validation of the static data,
 * the first build (cold JIT, what a page load pays) and warm builds.
 *   npx tsx bench/fair-pp-local-bank.ts [runs]
 */
import { buildLocalBank } from '../src/suites/fair-pp-local/bank.ts';
import { loadLocalTemplates, loadPersonas, loadTaxonomy } from '../src/suites/fair-pp-local/taxonomy.ts';

const runs = Number(process.argv[2] ?? 25);
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(1)} ms, median ${s[s.length >> 1]!.toFixed(1)} ms`;
};

let t0 = performance.now();
loadTaxonomy();
loadLocalTemplates();
loadPersonas();
const validate = performance.now() - t0;
t0 = performance.now();
const items = buildLocalBank();
const first = performance.now() - t0;
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  t0 = performance.now();
  buildLocalBank();
  warm.push(performance.now() - t0);
}
console.log(`validate static data: ${validate.toFixed(1)} ms`);
console.log(`first build (${items.length} items): ${first.toFixed(1)} ms`);
console.log(`warm builds (${runs}): ${summary(warm)}`);
