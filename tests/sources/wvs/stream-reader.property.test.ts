/**
 * Property test of the streaming WVS reader against papaparse, an independent CSV parser: for
 * random CSV files (quoted text with delimiters, quotes and CR/LF line breaks, odd number cells,
 * LF or CRLF line ends) cut into random chunks, the kept rows and values equal what papaparse
 * reads from the whole text, mapped with the reader's cell rule.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { UNREADABLE } from '../../../src/sources/wvs/microdata.ts';
import { WvsCsvScanner } from '../../../src/sources/wvs/stream-reader.ts';

const HEADER = ['A_YEAR', 'B_COUNTRY_ALPHA', 'NOTE', 'Q260', 'Q262', 'Q1', 'Q290'];
const KEPT = ['Q262', 'Q1', 'Q290'];

/** The reader's rule for a cell: an integer, optional sign, all-zero fraction, spaces around. */
function cellValue(text: string): number {
  if (!/^[ \t]*[+-]?\d+(\.0*)?[ \t]*$/.test(text)) return UNREADABLE;
  const v = Number.parseInt(text.trim(), 10);
  return v > 2147483647 || v < -2147483647 ? UNREADABLE : v;
}

/** CSV quoting as a careful writer does it: quote when needed (or asked), double inner quotes. */
function quote(text: string, force: boolean): string {
  return force || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const note = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '中', ';'), maxLength: 12 });
const number = fc.oneof(
  fc.integer({ min: -5, max: 999999 }).map(String),
  fc.constantFrom('', 'abc', '1.0', '2.5', ' 7 ', '+3', '-', '12x', '99999999999'),
);
const row = fc.record({
  country: fc.constantFrom('SGP', 'MYS', 'sgp', 'GBR'),
  quoteCountry: fc.boolean(),
  note,
  cells: fc.array(number, { minLength: 4, maxLength: 4 }),
  quoteCells: fc.boolean(),
});

describe('streaming reader vs papaparse', () => {
  test('same kept rows and values for random CSVs in random chunks', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 25 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), (rows, crlf, cuts) => {
        const eol = crlf ? '\r\n' : '\n';
        const lines = rows.map((r) =>
          ['2020', quote(r.country, r.quoteCountry), quote(r.note, false), ...r.cells.map((c) => quote(c, r.quoteCells))].join(','),
        );
        const text = `${HEADER.join(',')}${eol}${lines.join(eol)}${rows.length > 0 ? eol : ''}`;
        const bytes = new TextEncoder().encode(text);
        const scanner = new WvsCsvScanner({ fileName: 'p.csv', countries: ['SGP'], select: () => KEPT });
        let at = 0;
        for (let k = 0; at < bytes.length; k++) {
          const size = cuts[k % cuts.length]!;
          scanner.push(bytes.subarray(at, at + size));
          at += size;
        }
        const got = scanner.finish();
        const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
        const kept = parsed.data.filter((r) => r.B_COUNTRY_ALPHA!.trim().toUpperCase() === 'SGP');
        expect(got.rowsInFile).toBe(parsed.data.length);
        expect(got.data.rows).toBe(kept.length);
        for (const code of KEPT) expect(Array.from(got.data.columns.get(code)!), code).toEqual(kept.map((r) => cellValue(r[code]!)));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
