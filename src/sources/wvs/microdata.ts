/**
 * WVS respondent microdata held compactly: one Int32Array per kept column (column-major), one
 * entry per kept respondent. This is all the product keeps of a file of hundreds of megabytes:
 * the attribute codes and the answers of the questions in use, for the chosen country.
 *
 * CODING OF A CELL. A cell holds the integer the file has. WVS codes every missing value with a
 * negative number (-1 don't know, -2 no answer, -3 not applicable, -4 not asked, -5 missing), so
 * the one rule consumers need is: a negative value is missing. Cells that are empty, not a
 * number, not an integer ("1.5") or beyond the int32 range are stored as `UNREADABLE`, which is
 * negative too and therefore also missing; the reader counts them per column.
 */

/** The stored value of an empty or unreadable cell (negative, so it reads as missing). */
export const UNREADABLE = -2147483648;

export interface WvsMicrodata {
  /** Respondents kept (rows of the chosen countries). */
  rows: number;
  /** Kept columns by their header name as written in the file, upper-cased ("Q260"). */
  columns: ReadonlyMap<string, Int32Array>;
  /** Country (ISO alpha-3 as in B_COUNTRY_ALPHA) of each kept row: an index into `countryCodes`. */
  countryOf: Uint16Array;
  countryCodes: readonly string[];
}

/** The column for a variable, or undefined when it was not read. */
export function column(data: WvsMicrodata, code: string): Int32Array | undefined {
  return data.columns.get(code.toUpperCase());
}

/** True for a stored value that is missing: every negative value (WVS codes and UNREADABLE). */
export function isMissingValue(value: number): boolean {
  return value < 0;
}

/**
 * Microdata from plain rows (tests, small in-memory tables): `rows[i][code]` is a respondent's
 * value; absent, null or non-integer values become UNREADABLE. Every row's country is
 * `row.B_COUNTRY_ALPHA` (default "XXX").
 */
export function microdataFromRows(rows: ReadonlyArray<Record<string, number | string | null | undefined>>, codes: readonly string[]): WvsMicrodata {
  const columns = new Map<string, Int32Array>();
  for (const code of codes) {
    const col = new Int32Array(rows.length);
    rows.forEach((row, i) => {
      const raw = row[code];
      const value = typeof raw === 'string' ? Number(raw.trim() === '' ? NaN : raw) : (raw ?? NaN);
      col[i] = Number.isInteger(value) && value >= UNREADABLE && value <= 2147483647 ? value : UNREADABLE;
    });
    columns.set(code.toUpperCase(), col);
  }
  const countryCodes: string[] = [];
  const countryOf = new Uint16Array(rows.length);
  rows.forEach((row, i) => {
    const c = String(row.B_COUNTRY_ALPHA ?? 'XXX').trim().toUpperCase();
    let idx = countryCodes.indexOf(c);
    if (idx < 0) idx = countryCodes.push(c) - 1;
    countryOf[i] = idx;
  });
  return { rows: rows.length, columns, countryOf, countryCodes };
}
