/**
 * GlobalOpinionQA metrics (SPEC section 3b; ours where the paper is silent), from per-item
 * results alone (so `pluralscope score` can recompute them).
 *
 *   For country c (its RAW label) and question i that c has: s_ci = 1 - JSD(p_i, q_ci), with
 *   p_i the model's distribution over ALL released options, q_ci c's shares (renormalised at
 *   load) and JSD SciPy's `jensenshannon` with the natural logarithm.
 *   Similarity(c) = mean over c's scored questions of s_ci, with a percentile-bootstrap
 *   interval resampling c's questions (seeded PRNG; seed "<seed>:global-opinions:<label>").
 *   Uniform(c)    = the same mean for the uniform distribution over each question's options.
 *   World table   = every country with at least one scored question, sorted by similarity
 *                   (highest first; ties by label), ranked 1, 2, ...
 *   Headline      = the most similar country, and the mean of Similarity(c) over countries
 *                   (each country counts once); for a persona run, the rank of the persona's
 *                   country (its best-ranked label when several labels resolve to it).
 * Items with no distribution (an unparsable generation) are excluded and counted; `skipped`
 * counts a country's all-zero or non-finite entries among the run's items.
 */
import { bootstrapInterval, jsSimilarity, positionBias } from '../../core/metrics/index.ts';
import type { ItemResult } from '../../core/record/schema.ts';
import type { Headline, MetricsOptions, SuiteMetrics } from '../suite.ts';
import { labelIso3, personaName } from './persona.ts';
import type { GlobalOpinionsRefs } from './release.ts';

export interface CountryScore {
  /** The raw label from the data ("Britain", "Brazil (Non-national sample)"). */
  country: string;
  /** For the map; null when the label names no known country. */
  iso3: string | null;
  similarity: number;
  low: number | null;
  high: number | null;
  /** Scored questions of this country. */
  questions: number;
  /** Entries of this country skipped in the run's items (all-zero or non-finite shares). */
  skipped: number;
  /** The uniform distribution's similarity: the floor a model should beat. */
  uniform: number;
  /** 1 = most similar. */
  rank: number;
}

export interface PersonaResult {
  iso3: string;
  name: string;
  /** The data labels that resolve to the persona's country, best-ranked first. */
  labels: string[];
  rank: number | null;
  of: number;
  similarity: number | null;
}

export interface GlobalOpinionsDetails {
  mode: 'likelihood' | 'generate';
  items: number;
  scored: number;
  /** Items with no distribution (excluded) and items whose distribution does not fit their options. */
  excluded: number;
  malformed: number;
  invalidAnswers: number;
  /** The world table, most similar first. */
  countries: CountryScore[];
  /** Labels that appear only as skipped entries (no scored question). */
  unscored: string[];
  meanOverCountries: number | null;
  uniformMeanOverCountries: number | null;
  mostSimilar: string | null;
  persona: PersonaResult | null;
  positionBias: number | null;
}

/** k finite, non-negative shares with a positive sum. */
const usableShares = (shares: unknown, k: number): shares is number[] =>
  Array.isArray(shares) && shares.length === k && shares.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0) && shares.some((x) => x > 0);

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function scoreGlobalOpinions(results: ItemResult[], metrics: MetricsOptions, persona: string | null): SuiteMetrics {
  const perCountry = new Map<string, { sims: number[]; uniform: number[] }>();
  const skipped = new Map<string, number>();
  let scored = 0;
  let excluded = 0;
  let malformed = 0;
  let invalidAnswers = 0;
  for (const result of results) {
    invalidAnswers += result.invalid ?? 0;
    const refs = result.refs as Partial<GlobalOpinionsRefs>;
    for (const label of refs.skipped ?? []) skipped.set(label, (skipped.get(label) ?? 0) + 1);
    const dist = result.distribution;
    if (!dist) {
      excluded++;
      continue;
    }
    const countries = refs.countries ?? {};
    const k = result.options.length;
    if (dist.length !== k || !dist.some((x) => x > 0)) {
      malformed++;
      continue;
    }
    scored++;
    const uniform = new Array<number>(k).fill(1 / k);
    for (const [label, shares] of Object.entries(countries)) {
      // A hand-edited record may hold an entry the loader would have skipped: skip and count it here too.
      if (!usableShares(shares, k)) {
        skipped.set(label, (skipped.get(label) ?? 0) + 1);
        continue;
      }
      let entry = perCountry.get(label);
      if (!entry) perCountry.set(label, (entry = { sims: [], uniform: [] }));
      entry.sims.push(jsSimilarity(dist, shares));
      entry.uniform.push(jsSimilarity(uniform, shares));
    }
  }

  const rows = [...perCountry.entries()].map(([country, { sims, uniform }]) => {
    let low: number | null = null;
    let high: number | null = null;
    if (metrics.resamples > 0) {
      const b = bootstrapInterval(
        sims.length,
        (idx) => {
          let s = 0;
          for (let j = 0; j < idx.length; j++) s += sims[idx[j]!]!;
          return s / idx.length;
        },
        { seed: `${metrics.seed}:global-opinions:${country}`, resamples: metrics.resamples },
      );
      low = b.low;
      high = b.high;
    }
    return { country, iso3: labelIso3(country), similarity: mean(sims), low, high, questions: sims.length, skipped: skipped.get(country) ?? 0, uniform: mean(uniform), rank: 0 };
  });
  rows.sort((a, b) => b.similarity - a.similarity || a.country.localeCompare(b.country, 'en'));
  rows.forEach((r, i) => (r.rank = i + 1));
  const countries: CountryScore[] = rows;
  const unscored = [...skipped.keys()].filter((label) => !perCountry.has(label)).sort((a, b) => a.localeCompare(b, 'en'));

  const meanOverCountries = countries.length > 0 ? mean(countries.map((c) => c.similarity)) : null;
  const uniformMeanOverCountries = countries.length > 0 ? mean(countries.map((c) => c.uniform)) : null;
  const top = countries[0] ?? null;

  let personaResult: PersonaResult | null = null;
  if (persona) {
    const mine = countries.filter((c) => c.iso3 === persona);
    const best = mine[0] ?? null;
    personaResult = {
      iso3: persona,
      name: personaName(persona),
      labels: mine.map((c) => c.country),
      rank: best?.rank ?? null,
      of: countries.length,
      similarity: best?.similarity ?? null,
    };
  }

  const rotations = results.filter((r) => r.rotations && r.rotations.length > 1).map((r) => r.rotations!);
  const bias = rotations.length > 0 ? positionBias(rotations).index : null;

  const headline: Headline[] = [
    {
      key: 'mostSimilar',
      label: `Most similar country: ${top ? top.country : 'N/A'}`,
      value: top ? top.similarity : null,
      ...(top && top.low !== null && top.high !== null ? { low: top.low, high: top.high } : {}),
      ...(top ? { note: `${top.questions} questions; uniform ${fmt(top.uniform)}` } : {}),
    },
    {
      key: 'meanOverCountries',
      label: `Mean similarity over ${countries.length} countries`,
      value: meanOverCountries,
      note: `1 - Jensen-Shannon distance (natural log), ours; uniform ${fmt(uniformMeanOverCountries)}; ${scored} questions scored${excluded > 0 ? `, ${excluded} without an answer` : ''}`,
    },
  ];
  if (personaResult) {
    headline.push({
      key: 'persona.rank',
      label: `Rank of ${personaResult.name} (persona)`,
      value: personaResult.rank,
      note: `of ${personaResult.of} countries; similarity ${fmt(personaResult.similarity)}${personaResult.labels.length > 1 ? ` (best of ${personaResult.labels.join(', ')})` : ''}`,
    });
  }
  if (bias !== null) headline.push({ key: 'positionBias', label: 'Position-bias index (ours)', value: bias });

  const details: GlobalOpinionsDetails = {
    mode: metrics.run.mode,
    items: results.length,
    scored,
    excluded,
    malformed,
    invalidAnswers,
    countries,
    unscored,
    meanOverCountries,
    uniformMeanOverCountries,
    mostSimilar: top?.country ?? null,
    persona: personaResult,
    positionBias: bias,
  };
  return { suite: 'global-opinions', headline, details: details as unknown as Record<string, unknown> };
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? 'N/A' : x.toFixed(3));
