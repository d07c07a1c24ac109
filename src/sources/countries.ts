/**
 * Countries and territories by ISO 3166-1 alpha-3 code, and name resolution across the survey
 * sources, which each spell countries their own way: DVMap uses UN names ("United Kingdom of Great
 * Britain and Northern Ireland", "Iran (Islamic Republic of)"), GlobalOpinionQA keeps Pew's and the
 * WVS's labels ("Britain", "S. Korea", "Czech Rep.", "Palest. ter.", "Taiwan ROC"), and WVS
 * microdata has ISO alpha-3 codes in `B_COUNTRY_ALPHA`.
 *
 * The data is `static-data/countries.json`: every ISO 3166-1 entry plus two non-ISO codes survey
 * data uses, NIR (the WVS's Northern Ireland sample) and XKX (Kosovo), flagged `nonIso`.
 *
 * Matching ignores case, diacritics, punctuation and spacing ("Türkiye" = "turkiye",
 * "Cote d'Ivoire" = "Côte d’Ivoire" = "Cote d Ivoire", "S. Korea" = "s korea"); "&" reads as "and". A trailing
 * sample qualifier as GlobalOpinionQA writes it ("Brazil (Non-national sample)") is ignored by
 * `resolveCountry`; use `splitSampleQualifier` to keep it, since such samples are not nationally
 * representative and should not be pooled with the national one.
 */
import { z } from 'zod';
import countriesJson from '../../static-data/countries.json';

const CountryEntrySchema = z
  .object({
    /** Common English short name. */
    name: z.string().min(1),
    /** ISO 3166-1 alpha-2 (absent for the non-ISO codes). */
    iso2: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    /** Other names seen in sources; each resolves to this country and no other. */
    aliases: z.array(z.string().min(1)),
    /** True for codes that are not ISO 3166-1 (NIR, XKX). */
    nonIso: z.literal(true).optional(),
    note: z.string().optional(),
  })
  .strict();

export const CountryFileSchema = z
  .object({
    $comment: z.string().optional(),
    countries: z.record(z.string().regex(/^[A-Z]{3}$/), CountryEntrySchema),
  })
  .strict();

export interface Country {
  /** ISO 3166-1 alpha-3 (or a non-ISO three-letter code where `nonIso`). */
  iso3: string;
  iso2?: string;
  name: string;
  aliases: readonly string[];
  nonIso?: true;
  note?: string;
}

/** A name that matches no country; `suggestions` are the closest known names, best first. */
export class CountryResolutionError extends Error {
  override readonly name = 'CountryResolutionError';
  constructor(
    readonly input: string,
    readonly suggestions: readonly { iso3: string; name: string; matched: string }[],
  ) {
    const hint = suggestions.length
      ? `; did you mean ${suggestions.map((s) => (s.matched === s.name ? `${s.name} (${s.iso3})` : `${s.name} (${s.iso3}, as "${s.matched}")`)).join(', ')}?`
      : '; no close match';
    super(`unknown country ${JSON.stringify(input)}${hint}`);
  }
}

const SPECIAL_LETTERS: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/**
 * The matching key of a name: lower case, diacritics removed, "&" as "and", apostrophes dropped,
 * every other run of non-alphanumerics a single space.
 */
export function normalizeCountryName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæœßłđðþı]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(/&/g, ' and ')
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The lookup key: the normalized name without spaces, so "Cote d'Ivoire" = "Cote d Ivoire". */
function countryKey(name: string): string {
  return normalizeCountryName(name).replace(/ /g, '');
}

/**
 * Splits a trailing sample qualifier off a label: "India (Old national sample)" gives
 * `{ name: 'India', sample: 'Old national sample' }`; a label without one gives `sample: null`.
 */
export function splitSampleQualifier(label: string): { name: string; sample: string | null } {
  const m = /^(.*?)\s*\(([^()]*\bsample)\)\s*$/i.exec(label);
  return m ? { name: (m[1] ?? '').trim(), sample: (m[2] ?? '').trim() } : { name: label.trim(), sample: null };
}

/** Validates a countries document and builds the lookup tables; throws on ambiguous aliases. */
export function buildCountryIndex(json: unknown): { countries: Country[]; byKey: Map<string, string> } {
  const file = CountryFileSchema.parse(json);
  const countries: Country[] = [];
  const byKey = new Map<string, string>();
  const claim = (key: string, iso3: string, what: string): void => {
    const owner = byKey.get(key);
    if (owner !== undefined && owner !== iso3) throw new Error(`countries: ${what} of ${iso3} is already a name of ${owner} ("${key}")`);
    byKey.set(key, iso3);
  };
  for (const [iso3, entry] of Object.entries(file.countries)) {
    countries.push({ iso3, ...entry });
    claim(iso3.toLowerCase(), iso3, 'the code');
    claim(countryKey(entry.name), iso3, `the name "${entry.name}"`);
    for (const alias of entry.aliases) claim(countryKey(alias), iso3, `the alias "${alias}"`);
  }
  return { countries, byKey };
}

const INDEX = buildCountryIndex(countriesJson);

/** Every country and territory, sorted by code. */
export const COUNTRIES: readonly Country[] = INDEX.countries;

const BY_CODE = new Map(COUNTRIES.map((c) => [c.iso3, c]));

/** The country with this alpha-3 code (any case), or undefined. */
export function countryByCode(iso3: string): Country | undefined {
  return BY_CODE.get(iso3.trim().toUpperCase());
}

/** The common English name for an alpha-3 code; throws a RangeError for an unknown code. */
export function countryName(iso3: string): string {
  const country = countryByCode(iso3);
  if (!country) throw new RangeError(`unknown country code ${JSON.stringify(iso3)}`);
  return country.name;
}

/**
 * The alpha-3 code for a country name, alias or code, or undefined. A trailing sample qualifier
 * ("(Non-national sample)") is ignored.
 */
export function findCountry(name: string): string | undefined {
  const direct = INDEX.byKey.get(countryKey(name));
  if (direct !== undefined) return direct;
  const { name: base, sample } = splitSampleQualifier(name);
  return sample === null ? undefined : INDEX.byKey.get(countryKey(base));
}

/**
 * The alpha-3 code for a country name, alias or code (case-, diacritic- and
 * punctuation-insensitive); throws a CountryResolutionError listing close matches otherwise.
 */
export function resolveCountry(name: string): string {
  const iso3 = findCountry(name);
  if (iso3 !== undefined) return iso3;
  throw new CountryResolutionError(name, closeMatches(splitSampleQualifier(name).name));
}

/**
 * Up to `limit` known names closest to `name`, at most one per country, best first: names that
 * contain it as a word or start with it, then names within a small edit distance (2, or a quarter
 * of its length), keeping only those about as close as the best.
 */
export function closeMatches(name: string, limit = 5): { iso3: string; name: string; matched: string }[] {
  const words = normalizeCountryName(name);
  const want = words.replace(/ /g, '');
  if (want.length === 0) return [];
  const threshold = Math.max(2, Math.floor(want.length / 4));
  const scored: { iso3: string; matched: string; score: number }[] = [];
  for (const country of COUNTRIES) {
    let best: { matched: string; score: number } | undefined;
    for (const candidate of [country.name, ...country.aliases]) {
      const candidateWords = normalizeCountryName(candidate);
      const key = candidateWords.replace(/ /g, '');
      // Containment counts as closest: "korea" suggests both Koreas, "congo" both Congos.
      const contains = want.length >= 3 && (candidateWords.split(' ').includes(words) || key.startsWith(want));
      const score = contains ? 0 : levenshtein(want, key, threshold);
      if (score <= threshold && (!best || score < best.score)) best = { matched: candidate, score };
    }
    if (best) scored.push({ iso3: country.iso3, ...best });
  }
  const bestScore = Math.min(...scored.map((s) => s.score));
  return scored
    .filter((s) => s.score <= bestScore + 1)
    .sort((a, b) => a.score - b.score || a.iso3.localeCompare(b.iso3))
    .slice(0, limit)
    .map((s) => ({ iso3: s.iso3, name: countryName(s.iso3), matched: s.matched }));
}

/** Edit distance, giving up (returning `cap + 1`) once it must exceed `cap`. */
function levenshtein(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > cap) return cap + 1;
    prev = row;
  }
  return prev[b.length] ?? cap + 1;
}
