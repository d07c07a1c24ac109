/**
 * The header of a WVS-7 CSV: its delimiter, its column names, and whether it looks like WVS
 * respondent microdata at all. Also recognises the other formats the WVS distributes (SPSS,
 * Stata, R, ZIP), so a user who picks the wrong download gets told what to do.
 */
import { DatasetError } from '../formats/table.ts';

/** Delimiters tried, in the order that breaks ties: comma, semicolon, tab. */
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The columns without which a file is not WVS-7 respondent data, with what each is. */
export const REQUIRED_COLUMNS: ReadonlyArray<{ code: string; what: string }> = [
  { code: 'B_COUNTRY_ALPHA', what: 'country, ISO alpha-3' },
  { code: 'Q260', what: 'sex' },
  { code: 'Q262', what: 'age' },
];

/** Answer columns: Q1..Q259 (the questionnaire's substantive questions). */
export function isAnswerColumn(name: string): boolean {
  const m = /^Q(\d+)$/.exec(name);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 259;
}

/**
 * The delimiter of a header line: the candidate that occurs most often outside double quotes
 * (ties in the order of DELIMITERS, so a one-column file reads as comma-separated).
 */
export function detectDelimiter(line: string): Delimiter {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * One CSV line split into fields (RFC 4180 quoting: a field in double quotes may hold the
 * delimiter, and "" stands for one quote). Fields are trimmed of surrounding spaces outside quotes.
 */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (ch === delimiter) {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

/** Column names as the reader matches them: trimmed, upper-cased, BOM removed. */
export function normalizeColumnName(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toUpperCase();
}

export interface HeaderCheck {
  /** Normalised column names, in file order. */
  columns: string[];
  /** Answer columns (Q1..Q259) present, in file order. */
  answerColumns: string[];
}

/**
 * Checks that a header is WVS-7 respondent microdata: it needs B_COUNTRY_ALPHA, Q260 and Q262
 * and at least one answer column Q1..Q259. Throws a DatasetError naming everything missing and
 * quoting the first columns the file does have.
 */
export function checkWvsHeader(fileName: string, rawColumns: readonly string[]): HeaderCheck {
  const columns = rawColumns.map(normalizeColumnName);
  const present = new Set(columns);
  const answerColumns = columns.filter(isAnswerColumn);
  const missing = REQUIRED_COLUMNS.filter((c) => !present.has(c.code)).map((c) => `${c.code} (${c.what})`);
  if (answerColumns.length === 0) missing.push('answer columns Q1..Q259');
  if (missing.length > 0) {
    const shown = rawColumns.slice(0, 8).map((c) => JSON.stringify(c.trim())).join(', ');
    throw new DatasetError(
      `${fileName} is not WVS Wave 7 respondent data (one row per respondent): it has no ${joinList(missing)}. ` +
        `Its first columns are ${shown}${rawColumns.length > 8 ? `, … (${rawColumns.length} in all)` : ''}. ` +
        'Load the official WVS-7 CSV (e.g. WVS_Cross-National_Wave_7_csv) with its header row.',
    );
  }
  return { columns, answerColumns };
}

/**
 * A specific message for a file that is not text CSV but another format the WVS distributes, or
 * undefined when the first bytes look like text.
 */
export function binaryFormatHint(fileName: string, head: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  const ascii = new TextDecoder('latin1').decode(head.subarray(0, 16));
  if (starts(0x50, 0x4b, 0x03, 0x04)) return `${fileName} is a ZIP archive: unzip it and load the CSV file inside`;
  if (starts(0x1f, 0x8b)) return `${fileName} is gzip-compressed (an .rds or .gz file?): load the uncompressed WVS CSV instead`;
  if (ascii.startsWith('$FL2') || ascii.startsWith('$FL3')) return `${fileName} is an SPSS .sav file: load the WVS CSV download instead`;
  if (ascii.startsWith('<stata_dta>') || (head[0] !== undefined && [0x71, 0x72, 0x73, 0x75, 0x76].includes(head[0]) && head[1] !== undefined && head[1] <= 2 && head[2] === 1)) {
    return `${fileName} is a Stata .dta file: load the WVS CSV download instead`;
  }
  if (starts(0x50, 0x41, 0x52, 0x31)) return `${fileName} is a Parquet file: this suite reads the WVS CSV`;
  // Text has no NUL bytes; binary formats nearly always do early on.
  if (head.subarray(0, 1024).includes(0)) return `${fileName} is not a text file: load the WVS-7 CSV`;
  return undefined;
}

function joinList(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
