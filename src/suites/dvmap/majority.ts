/**
 * The population-majority baseline (`baseline:majority`, SPEC section 3): for an item, the most
 * frequent answer in the corpus TRAINING split
 *   - among training rows of the same country and question, when that country has the question;
 *   - else pooled over all training rows of the question (an unseen country: the cross-country
 *     split);
 *   - else undefined (null, reported as N/A): an unseen question (the cross-value split).
 * Answers are matched by text, ignoring case and spacing; countries by their spelling (ignoring
 * case and spacing). The prediction is one-hot on the winning option; a tie goes to the lowest
 * option index (as argmax does).
 */
import type { Item } from '../../core/items/item.ts';
import { requireColumns, type Table } from '../../sources/formats/table.ts';
import { answerKey } from './options.ts';

export interface MajorityTable {
  /** (country key, qid) -> answer key -> count. */
  byCountry: Map<string, Map<string, number>>;
  /** qid -> answer key -> count, over every training country. */
  pooled: Map<string, Map<string, number>>;
  rows: number;
  countries: number;
}

const countryKey = (country: string, qid: string) => `${answerKey(country)}\u0000${qid.trim()}`;

function bump(map: Map<string, Map<string, number>>, key: string, answer: string): void {
  let counts = map.get(key);
  if (!counts) map.set(key, (counts = new Map()));
  counts.set(answer, (counts.get(answer) ?? 0) + 1);
}

/** Counts the training answers by (country, question) and by question. */
export function buildMajorityTable(train: Table, source: string): MajorityTable {
  requireColumns(train, ['Q_id', 'Country', 'answer'], source);
  const byCountry = new Map<string, Map<string, number>>();
  const pooled = new Map<string, Map<string, number>>();
  const countries = new Set<string>();
  let rows = 0;
  for (const row of train.rows) {
    const qid = String(row.Q_id ?? '').trim();
    const country = String(row.Country ?? '').trim();
    const answer = answerKey(String(row.answer ?? ''));
    if (!qid || !answer) continue;
    rows++;
    bump(pooled, qid, answer);
    if (country) {
      countries.add(answerKey(country));
      bump(byCountry, countryKey(country, qid), answer);
    }
  }
  return { byCountry, pooled, rows, countries: countries.size };
}

/** Which rule answered an item. */
export type MajorityScope = 'country' | 'pooled' | 'none';

/** The counts the baseline uses for an item, and at which scope. */
export function majorityCounts(table: MajorityTable, item: Pick<Item, 'options' | 'meta'>): { counts: number[]; scope: MajorityScope } {
  const qid = String(item.meta.qid ?? '');
  const country = String(item.meta.country ?? '');
  const over = (counts: Map<string, number> | undefined) => item.options.map((o) => counts?.get(answerKey(o)) ?? 0);
  const own = over(table.byCountry.get(countryKey(country, qid)));
  if (own.some((c) => c > 0)) return { counts: own, scope: 'country' };
  const pooled = over(table.pooled.get(qid));
  if (pooled.some((c) => c > 0)) return { counts: pooled, scope: 'pooled' };
  return { counts: pooled, scope: 'none' };
}

/** The baseline's prediction: one-hot on the most frequent answer (ties: lowest index), or null. */
export function majorityPrediction(table: MajorityTable, item: Pick<Item, 'options' | 'meta'>): number[] | null {
  const { counts, scope } = majorityCounts(table, item);
  if (scope === 'none') return null;
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return counts.map((_, i) => (i === best ? 1 : 0));
}
