/**
 * A user's codebook: labels for coded values the project does not ship, above all the
 * country-specific ethnic groups (Q290) and languages (Q272), or other wording for any variable.
 *
 * Accepted shapes (a file the user supplies with role `codebook`):
 *  - JSON, variable -> code -> label: `{"Q290": {"702001": "Chinese", "702002": "Malay"}}`;
 *    the same under a top-level `codes` or `variables` key; or an array of
 *    `{"variable": "Q290", "code": 702001, "label": "Chinese"}`.
 *  - CSV with a header naming the columns `variable`, `code` (or `value`) and `label` (any case,
 *    any order; other columns are ignored): one row per (variable, code).
 * Codes must be integers; variables are matched case-insensitively ("q290" = "Q290").
 */
import { DatasetError, readTable } from '../formats/table.ts';

/** variable (upper case) -> code -> label. */
export type Codebook = ReadonlyMap<string, ReadonlyMap<number, string>>;

export const EMPTY_CODEBOOK: Codebook = new Map();

/** The label of a value in a codebook, or undefined. */
export function codebookLabel(codebook: Codebook, variable: string, code: number): string | undefined {
  return codebook.get(variable.toUpperCase())?.get(code);
}

/**
 * A cell or JSON value as trimmed text: strings, numbers and booleans; anything else (an object,
 * an array, null) is no text. (`String(value)` would throw for JSON such as {"toString": 1}.)
 */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value).trim() : '';
}

/** Parses a codebook file (JSON or CSV, told apart by the name, then by the first character). */
export async function parseCodebook(name: string, bytes: Uint8Array): Promise<Codebook> {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  const isJson = /\.json$/i.test(name) || /^\s*[[{]/.test(text);
  const entries: Array<{ variable: unknown; code: unknown; label: unknown; where: string }> = [];
  if (isJson) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new DatasetError(`codebook ${name} is not valid JSON: ${(error as Error).message}`);
    }
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const obj = json as Record<string, unknown>;
      const inner = obj.codes ?? obj.variables;
      if (inner && typeof inner === 'object') json = inner;
    }
    if (Array.isArray(json)) {
      json.forEach((row, i) => {
        const r = (row ?? {}) as Record<string, unknown>;
        entries.push({ variable: r.variable, code: r.code ?? r.value, label: r.label, where: `entry ${i}` });
      });
    } else if (json && typeof json === 'object') {
      for (const [variable, codes] of Object.entries(json as Record<string, unknown>)) {
        if (!codes || typeof codes !== 'object' || Array.isArray(codes)) {
          throw new DatasetError(`codebook ${name}: "${variable}" must map codes to labels, e.g. {"702001": "Chinese"}`);
        }
        for (const [code, label] of Object.entries(codes as Record<string, unknown>)) entries.push({ variable, code, label, where: `${variable}.${code}` });
      }
    } else {
      throw new DatasetError(`codebook ${name} must be a JSON object (variable -> code -> label) or an array of {variable, code, label}`);
    }
  } else {
    const table = await readTable(name, bytes, 'csv');
    const find = (...names: string[]) => table.columns.find((c) => names.includes(c.trim().toLowerCase()));
    const variable = find('variable', 'var');
    const code = find('code', 'value');
    const label = find('label');
    const missing = [variable ? null : 'variable', code ? null : 'code', label ? null : 'label'].filter(Boolean);
    if (missing.length > 0) {
      throw new DatasetError(`codebook ${name} needs the columns variable, code and label; it has no ${missing.join(', ')} (columns: ${table.columns.join(', ')})`);
    }
    table.rows.forEach((row, i) => entries.push({ variable: row[variable!], code: row[code!], label: row[label!], where: `row ${i + 2}` }));
  }
  const out = new Map<string, Map<number, string>>();
  for (const e of entries) {
    const variable = scalarText(e.variable).toUpperCase();
    const code = typeof e.code === 'number' ? e.code : scalarText(e.code) === '' ? NaN : Number(scalarText(e.code));
    const label = scalarText(e.label);
    if (!variable) throw new DatasetError(`codebook ${name}, ${e.where}: no variable`);
    if (!Number.isInteger(code)) {
      const problem = e.code === undefined || e.code === null ? 'no code' : scalarText(e.code) || e.code === '' ? `code ${JSON.stringify(e.code)} is not an integer` : 'the code is not a number';
      throw new DatasetError(`codebook ${name}, ${e.where}: ${problem}`);
    }
    if (!label) throw new DatasetError(`codebook ${name}, ${e.where}: empty label`);
    let codes = out.get(variable);
    if (!codes) out.set(variable, (codes = new Map()));
    codes.set(code, label);
  }
  if (out.size === 0) throw new DatasetError(`codebook ${name} has no entries`);
  return out;
}
