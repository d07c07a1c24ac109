/**
 * `npx tsx bench/breakdown-sums.ts`: the FAIR-SP breakdown sums (src/suites/fair-pp/breakdown-sums.ts)
 * against one pass over the item array per key, on 30,000 items x 24 columns with FAIR-SP's
 * seven keys; prints the median and best of 60 calls for each, twice.
 */
import { breakdownSums, type KeyIds } from '../src/suites/fair-pp/breakdown-sums.ts';
import { syntheticResults } from './core-timings.ts';
const n = 30000, w = 24;
const items = syntheticResults(n);
const rows = new Float64Array(n * w).map((_, i) => ((i * 2654435761) % 1000) / 1000);
const KEYS = ['dimension', 'theme', 'category', 'topic', 'group', 'groupType', 'phrasing'];
const keys: Record<string, KeyIds> = {};
for (const k of KEYS) { const ids = new Map<string, number>(); const groupOf = new Int32Array(n); items.forEach((it, i) => { const v = String(it.meta[k]); let g = ids.get(v); if (g === undefined) ids.set(v, (g = ids.size)); groupOf[i] = g; }); keys[k] = { ids, groupOf }; }
function direct(): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const k of KEYS) { const { ids, groupOf } = keys[k]!; const acc = new Float64Array(ids.size * w); for (let i = 0; i < n; i++) { const g = groupOf[i]!; if (g < 0) continue; const at = g * w, from = i * w; for (let c = 0; c < w; c++) acc[at + c]! += rows[from + c]!; } out[k] = acc; }
  return out;
}
const time = (f: () => unknown): string => { const t: number[] = []; for (let r = 0; r < 60; r++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); } t.sort((a, b) => a - b); return `median ${t[30]!.toFixed(2)} ms best ${t[0]!.toFixed(2)} ms`; };
for (let r = 0; r < 2; r++) { console.log('grid sums      ', time(() => breakdownSums(rows, w, keys))); console.log('pass per key   ', time(direct)); }
