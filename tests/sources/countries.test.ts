import { describe, expect, test } from 'vitest';
import {
  COUNTRIES,
  CountryResolutionError,
  closeMatches,
  countryByCode,
  countryName,
  findCountry,
  normalizeCountryName,
  resolveCountry,
  splitSampleQualifier,
} from '../../src/sources/countries.ts';

/** The error `resolveCountry(name)` throws (failing the test when it resolves). */
function failure(name: string): CountryResolutionError {
  try {
    resolveCountry(name);
  } catch (e) {
    expect(e).toBeInstanceOf(CountryResolutionError);
    return e as CountryResolutionError;
  }
  throw new Error(`expected ${JSON.stringify(name)} not to resolve`);
}

/**
 * Every country key in GlobalOpinionQA's `selections` (138, as listed by two independent public
 * scripts that read the released CSV): Pew's labels, the WVS's labels and sample qualifiers.
 */
const GLOBAL_OPINION_QA_KEYS = [
  'Albania', 'Andorra', 'Angola', 'Angola (Non-national sample)', 'Argentina', 'Armenia', 'Australia',
  'Austria', 'Azerbaijan', 'Bangladesh', 'Bangladesh (Non-national sample)', 'Belarus', 'Belgium', 'Bolivia',
  'Bolivia (Non-national sample)', 'Bosnia Herzegovina', 'Brazil', 'Brazil (Non-national sample)', 'Britain',
  'Bulgaria', 'Burkina Faso', 'Canada', 'Chile', 'China', 'China (Non-national sample)', 'Colombia',
  'Colombia (Non-national sample)', 'Croatia', 'Cyprus', 'Czech Rep.', 'Czechia', 'Denmark', 'Ecuador',
  'Egypt', 'Egypt (Non-national sample)', 'El Salvador', 'Estonia', 'Ethiopia',
  'Ethiopia (Non-national sample)', 'Finland', 'France', 'Georgia', 'Germany', 'Ghana', 'Great Britain',
  'Greece', 'Guatemala', 'Guatemala (Non-national sample)', 'Honduras', 'Honduras (Non-national sample)',
  'Hong Kong SAR', 'Hungary', 'Iceland', 'India (Current national sample)', 'India (Non-national sample)',
  'India (Old national sample)', 'Indonesia', 'Indonesia (Non-national sample)', 'Iran', 'Iraq', 'Israel',
  'Italy', 'Ivory Coast', 'Ivory Coast (Non-national sample)', 'Japan', 'Jordan',
  'Jordan (Non-national sample)', 'Kazakhstan', 'Kenya', 'Kuwait', 'Kyrgyzstan', 'Latvia', 'Lebanon',
  'Libya', 'Lithuania', 'Macau SAR', 'Malaysia', 'Maldives', 'Mali', 'Mali (Non-national sample)', 'Mexico',
  'Mongolia', 'Montenegro', 'Morocco', 'Morocco (Non-national sample)', 'Myanmar', 'Netherlands',
  'New Zealand', 'Nicaragua', 'Nigeria', 'Nigeria (Non-national sample)', 'North Macedonia',
  'Northern Ireland', 'Norway', 'Pakistan', 'Pakistan (Non-national sample)', 'Palest. ter.', 'Peru',
  'Philippines', 'Philippines (Non-national sample)', 'Poland', 'Poland (Non-national sample)', 'Portugal',
  'Puerto Rico', 'Romania', 'Russia', 'Russia (Non-national sample)', 'S. Africa',
  'S. Africa (Non-national sample)', 'S. Korea', 'Senegal', 'Senegal (Non-national sample)', 'Serbia',
  'Singapore', 'Slovakia', 'Slovenia', 'South Korea', 'Spain', 'Sweden', 'Switzerland', 'Taiwan',
  'Taiwan ROC', 'Tajikistan', 'Tanzania', 'Tanzania (Non-national sample)', 'Thailand', 'Tunisia', 'Turkey',
  'Uganda', 'Ukraine', 'United States', 'Uruguay', 'Uzbekistan', 'Venezuela',
  'Venezuela (Non-national sample)', 'Vietnam', 'Vietnam (Non-national sample)', 'Zimbabwe',
];

describe('DVMap countries', () => {
  test.each([
    // Training countries, as the released corpus spells them.
    ['Canada', 'CAN'],
    ['United Kingdom of Great Britain and Northern Ireland', 'GBR'],
    ['Brazil', 'BRA'],
    ['United States of America', 'USA'],
    ['Germany', 'DEU'],
    ['Russian Federation', 'RUS'],
    ['India', 'IND'],
    ['China', 'CHN'],
    ['Japan', 'JPN'],
    ['Egypt', 'EGY'],
    // Cross-country countries, in the paper's and in UN spellings.
    ['Nigeria', 'NGA'],
    ['Iran', 'IRN'],
    ['Iran (Islamic Republic of)', 'IRN'],
    ['Pakistan', 'PAK'],
    ['Indonesia', 'IDN'],
    ['Vietnam', 'VNM'],
    ['Viet Nam', 'VNM'],
    ['Australia', 'AUS'],
    ['Mexico', 'MEX'],
    ['Turkiye', 'TUR'],
    ['Türkiye', 'TUR'],
    ['Turkey', 'TUR'],
  ])('%s -> %s', (name, iso3) => {
    expect(resolveCountry(name)).toBe(iso3);
  });
});

describe('GlobalOpinionQA countries', () => {
  test('all 138 keys resolve', () => {
    expect(GLOBAL_OPINION_QA_KEYS).toHaveLength(138);
    const unresolved = GLOBAL_OPINION_QA_KEYS.filter((key) => findCountry(key) === undefined);
    expect(unresolved).toEqual([]);
  });

  test.each([
    ['Britain', 'GBR'],
    ['Great Britain', 'GBR'],
    ['Northern Ireland', 'NIR'],
    ['S. Korea', 'KOR'],
    ['South Korea', 'KOR'],
    ['Czech Rep.', 'CZE'],
    ['Czechia', 'CZE'],
    ['Bosnia Herzegovina', 'BIH'],
    ['Palest. ter.', 'PSE'],
    ['S. Africa', 'ZAF'],
    ['Ivory Coast', 'CIV'],
    ["Cote d'Ivoire", 'CIV'],
    ['Hong Kong SAR', 'HKG'],
    ['Macau SAR', 'MAC'],
    ['Taiwan ROC', 'TWN'],
    ['Taiwan', 'TWN'],
    ['North Macedonia', 'MKD'],
    ['Russia', 'RUS'],
    ['United States', 'USA'],
    ['Puerto Rico', 'PRI'],
    ['India (Current national sample)', 'IND'],
    ['India (Old national sample)', 'IND'],
    ['Brazil (Non-national sample)', 'BRA'],
  ])('%s -> %s', (name, iso3) => {
    expect(resolveCountry(name)).toBe(iso3);
  });

  test('sample qualifiers are split off and kept', () => {
    expect(splitSampleQualifier('Brazil (Non-national sample)')).toEqual({ name: 'Brazil', sample: 'Non-national sample' });
    expect(splitSampleQualifier('India (Old national sample)')).toEqual({ name: 'India', sample: 'Old national sample' });
    expect(splitSampleQualifier('Iran (Islamic Republic of)')).toEqual({ name: 'Iran (Islamic Republic of)', sample: null });
    expect(splitSampleQualifier(' Chile ')).toEqual({ name: 'Chile', sample: null });
  });
});

describe('WVS microdata codes', () => {
  test('B_COUNTRY_ALPHA values are codes here, NIR included', () => {
    for (const code of ['AND', 'ARG', 'AUS', 'BGD', 'BOL', 'BRA', 'CAN', 'CHL', 'CHN', 'COL', 'CYP', 'CZE', 'DEU', 'ECU', 'EGY', 'ETH', 'GBR', 'GRC',
      'GTM', 'HKG', 'IDN', 'IND', 'IRN', 'IRQ', 'JOR', 'JPN', 'KAZ', 'KEN', 'KGZ', 'KOR', 'LBN', 'LBY', 'MAC', 'MAR', 'MDV', 'MEX', 'MMR',
      'MNG', 'MYS', 'NGA', 'NIC', 'NIR', 'NLD', 'NZL', 'PAK', 'PER', 'PHL', 'PRI', 'ROU', 'RUS', 'SGP', 'SRB', 'SVK', 'THA', 'TJK', 'TUN', 'TUR',
      'TWN', 'UKR', 'URY', 'USA', 'UZB', 'VEN', 'VNM', 'ZWE']) {
      expect(countryByCode(code)?.iso3, code).toBe(code);
    }
    expect(countryByCode('NIR')?.nonIso).toBe(true);
    expect(countryByCode('GBR')?.nonIso).toBeUndefined();
  });

  test('codes resolve as names too, in any case', () => {
    expect(resolveCountry('sgp')).toBe('SGP');
    expect(countryByCode(' sgp ')?.name).toBe('Singapore');
  });
});

describe('lookups', () => {
  test('countryName gives the common English name and rejects unknown codes', () => {
    expect(countryName('GBR')).toBe('United Kingdom');
    expect(countryName('kor')).toBe('South Korea');
    expect(countryName('CIV')).toBe("Côte d'Ivoire");
    expect(() => countryName('XXX')).toThrow(RangeError);
    expect(countryByCode('XXX')).toBeUndefined();
  });

  test('matching ignores case, diacritics, punctuation and spacing', () => {
    for (const name of ['TÜRKIYE', 'turkiye', ' Türkiye ', 'COTE D’IVOIRE', 'côte d ivoire', 'czech rep', 'CZECH REP.', 's.korea', 'Bosnia & Herzegovina', 'bosnia-and-herzegovina']) {
      expect(findCountry(name), name).toBeDefined();
    }
    expect(normalizeCountryName("  Côte d'Ivoire ")).toBe('cote divoire');
    expect(normalizeCountryName('Åland Islands')).toBe('aland islands');
    expect(normalizeCountryName('Bosnia & Herzegovina')).toBe('bosnia and herzegovina');
    expect(normalizeCountryName('Curaçao')).toBe('curacao');
  });

  test('an unknown name fails with close matches', () => {
    expect(failure('Frence').suggestions.map((s) => s.iso3)).toContain('FRA');
    expect(failure('Untied States').suggestions[0]?.iso3).toBe('USA');
    expect(failure('Great Britan').message).toBe('unknown country "Great Britan"; did you mean United Kingdom (GBR, as "Great Britain")?');
    expect(failure('Nigera').suggestions.map((s) => s.iso3).sort()).toEqual(['NER', 'NGA']);
    expect(failure('Atlantis').message).toBe('unknown country "Atlantis"; no close match');
    expect(failure('').suggestions).toEqual([]);
  });

  test('ambiguous short names are not guessed: both candidates are suggested', () => {
    expect(failure('Korea').suggestions.map((s) => s.iso3).sort()).toEqual(['KOR', 'PRK']);
    expect(failure('Congo').suggestions.map((s) => s.iso3).sort()).toEqual(['COD', 'COG']);
  });

  test('close matches of a qualified name look at the name part', () => {
    expect(failure('Brazill (Non-national sample)').suggestions[0]?.iso3).toBe('BRA');
    expect(closeMatches('Brazill')[0]?.iso3).toBe('BRA');
  });

  test('covers ISO 3166-1', () => {
    expect(COUNTRIES.filter((c) => !c.nonIso)).toHaveLength(249);
  });
});
