/** Integrity of static-data/countries.json. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import countriesJson from '../../static-data/countries.json';
import { COUNTRIES, buildCountryIndex, normalizeCountryName } from '../../src/sources/countries.ts';

const RAW = readFileSync(new URL('../../static-data/countries.json', import.meta.url), 'utf8');
const key = (name: string): string => normalizeCountryName(name).replace(/ /g, '');

describe('countries.json', () => {
  test('codes are unique three-letter codes (no key repeated in the file)', () => {
    const keys = [...RAW.matchAll(/^ {4}"([A-Z]{3})":/gm)].map((m) => m[1]);
    expect(keys.length).toBe(COUNTRIES.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort());
  });

  test('has every ISO 3166-1 entry once, with unique alpha-2 codes, plus the flagged non-ISO codes', () => {
    const iso = COUNTRIES.filter((c) => !c.nonIso);
    expect(iso).toHaveLength(249);
    const iso2 = iso.map((c) => c.iso2);
    expect(iso2.every((c) => c !== undefined)).toBe(true);
    expect(new Set(iso2).size).toBe(iso2.length);
    expect(COUNTRIES.filter((c) => c.nonIso).map((c) => c.iso3)).toEqual(['NIR', 'XKX']);
    for (const c of COUNTRIES.filter((x) => x.nonIso)) expect(c.note, c.iso3).toMatch(/Not an ISO 3166-1 code/);
  });

  test('no name or alias belongs to two countries', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const c of COUNTRIES) {
      for (const name of [c.iso3, c.name, ...c.aliases]) {
        const k = key(name);
        const other = owner.get(k);
        if (other !== undefined && other !== c.iso3) clashes.push(`${name}: ${other} and ${c.iso3}`);
        owner.set(k, c.iso3);
      }
    }
    expect(clashes).toEqual([]);
  });

  test('aliases are non-empty, differ from the name and from each other', () => {
    for (const c of COUNTRIES) {
      const keys = [c.name, ...c.aliases].map(key);
      expect(keys.every((k) => k.length > 0), c.iso3).toBe(true);
      expect(new Set(keys).size, c.iso3).toBe(keys.length);
    }
  });

  test('names that mean different countries to different people are not aliases', () => {
    for (const name of ['Congo', 'Korea', 'Guinea Republic', 'Virgin Islands', 'America']) {
      expect(COUNTRIES.filter((c) => [c.name, ...c.aliases].some((n) => key(n) === key(name))), name).toEqual([]);
    }
  });

  test('the loader refuses an alias that names two countries', () => {
    const doc = structuredClone(countriesJson) as { countries: Record<string, { aliases: string[] }> };
    doc.countries['NER']!.aliases.push('Nigeria');
    expect(() => buildCountryIndex(doc)).toThrow(/"Nigeria" of N[EG][RA] is already a name of N[EG][RA]/);
  });
});
