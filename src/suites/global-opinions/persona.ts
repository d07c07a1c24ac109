/**
 * The `persona` option: 'none', or a country (an ISO3 code, or any name `resolveCountry`
 * knows), normalised to its ISO3 code. A country label in the data belongs to the persona when
 * it resolves to the same code (a trailing "(... sample)" qualifier is ignored).
 */
import { countryName, findCountry, resolveCountry } from '../../sources/countries.ts';

import { NO_PERSONA } from './meta.ts';

export { NO_PERSONA };

/** The persona's ISO3 code, or null for 'none'. Throws CountryResolutionError for an unknown country. */
export function personaIso3(value: unknown): string | null {
  const v = String(value ?? NO_PERSONA).trim();
  if (v === '' || v.toLowerCase() === NO_PERSONA) return null;
  return resolveCountry(v);
}

export function personaName(iso3: string): string {
  return countryName(iso3);
}

/** The ISO3 code of a data label, or null when it names no known country. */
export function labelIso3(label: string): string | null {
  return findCountry(label) ?? null;
}
