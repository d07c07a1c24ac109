/**
 * Question metadata for WVS questions the project does not ship (a file the user supplies with
 * role `metadata`), and one shape, `WvsQuestionSpec`, for shipped and user questions alike.
 *
 * Accepted shapes:
 *  - JSON: an array of questions, or `{"questions": [...]}`; each
 *    `{"code": "Q57", "text": "...", "options": ["Most people can be trusted", "Need to be very careful"],
 *      "ordinal": false, "section"?: "...", "concept"?: "..."}`.
 *    `options` are the labels in code order (code 1 first); `{"code": 1, "label": "..."}` objects
 *    are accepted too, and their codes must then be 1, 2, ..., K in order.
 *  - CSV with the columns `code`, `text`, `ordinal` (true/false, yes/no, 1/0) and `options`
 *    (the labels in code order, separated by "|"), optionally `section` and `concept`.
 * `ordinal` is required: it decides whether NMAE and the Wasserstein cross-check apply.
 * A user's entry for a question the project ships replaces the shipped one (and is reported).
 */
import { z } from 'zod';
import { MISSING_IS_MISSING } from '../../core/record/schema-issues.ts';
import { DatasetError, readTable } from '../formats/table.ts';
import { WVS_QUESTIONS, type WvsQuestion } from './question-metadata.ts';

/** What the suites need of a question: codes 1..K are `options[0..K-1]`. */
export interface WvsQuestionSpec {
  code: string;
  text: string;
  /** Labels in code order: options[i] is code i + 1. */
  options: string[];
  ordinal: boolean;
  section?: string;
  concept?: string;
  /** The shipped metadata (with the 1-10 collapse), when the question comes from it. */
  shipped?: WvsQuestion;
  source: 'shipped' | 'user';
}

export function specFromShipped(q: WvsQuestion): WvsQuestionSpec {
  return { code: q.code, text: q.text, options: q.options.map((o) => o.label), ordinal: q.ordinal, section: q.section, concept: q.concept, shipped: q, source: 'shipped' };
}

/** Every shipped question, in questionnaire order. */
export const SHIPPED_QUESTION_SPECS: readonly WvsQuestionSpec[] = WVS_QUESTIONS.map(specFromShipped);

const OptionSchema = z.union([z.string().min(1), z.object({ code: z.number().int(), label: z.string().min(1) }).strict()]);

const UserQuestionSchema = z
  .object({
    code: z.string().regex(/^Q\d+[A-Z]?$/i, 'a WVS variable code such as "Q57"'),
    text: z.string().min(1),
    options: z.array(OptionSchema).min(2),
    ordinal: z.boolean(),
    section: z.string().min(1).optional(),
    concept: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    q.options.forEach((o, i) => {
      if (typeof o !== 'string' && o.code !== i + 1) ctx.addIssue({ code: 'custom', message: `option ${i} has code ${o.code}; codes must be 1..K in order` });
    });
  });

function toSpec(q: z.infer<typeof UserQuestionSchema>): WvsQuestionSpec {
  return {
    code: q.code.toUpperCase(),
    text: q.text,
    options: q.options.map((o) => (typeof o === 'string' ? o : o.label)),
    ordinal: q.ordinal,
    ...(q.section ? { section: q.section } : {}),
    ...(q.concept ? { concept: q.concept } : {}),
    source: 'user',
  };
}

function validate(name: string, raw: unknown[], where: (i: number) => string): WvsQuestionSpec[] {
  const out: WvsQuestionSpec[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const parsed = UserQuestionSchema.safeParse(entry, MISSING_IS_MISSING);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new DatasetError(`metadata ${name}, ${where(i)}: ${issue.path.join('.') || 'entry'}: ${issue.message}`);
    }
    const spec = toSpec(parsed.data);
    if (seen.has(spec.code)) throw new DatasetError(`metadata ${name}: question ${spec.code} is listed twice`);
    seen.add(spec.code);
    out.push(spec);
  });
  if (out.length === 0) throw new DatasetError(`metadata ${name} lists no questions`);
  return out;
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, yes: true, '1': true, false: false, no: false, '0': false };

/** Parses a user's question-metadata file (JSON or CSV). */
export async function parseUserQuestionMetadata(name: string, bytes: Uint8Array): Promise<WvsQuestionSpec[]> {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  if (/\.json$/i.test(name) || /^\s*[[{]/.test(text)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new DatasetError(`metadata ${name} is not valid JSON: ${(error as Error).message}`);
    }
    const list = Array.isArray(json) ? json : (json as { questions?: unknown } | null)?.questions;
    if (!Array.isArray(list)) throw new DatasetError(`metadata ${name} must be a JSON array of questions or {"questions": [...]}`);
    return validate(name, list, (i) => `question ${i + 1}`);
  }
  const table = await readTable(name, bytes, 'csv');
  const col = (key: string) => table.columns.find((c) => c.trim().toLowerCase() === key);
  const missing = ['code', 'text', 'ordinal', 'options'].filter((k) => !col(k));
  if (missing.length > 0) throw new DatasetError(`metadata ${name} needs the columns code, text, ordinal and options; it has no ${missing.join(', ')}`);
  const rows = table.rows.map((row, i) => {
    const get = (key: string) => {
      const c = col(key);
      return c === undefined ? undefined : String(row[c] ?? '').trim();
    };
    const ordinalWord = (get('ordinal') ?? '').toLowerCase();
    if (!(ordinalWord in BOOLEAN_WORDS)) throw new DatasetError(`metadata ${name}, row ${i + 2}: ordinal must be true or false, got "${get('ordinal')}"`);
    const section = get('section');
    const concept = get('concept');
    return {
      code: get('code'),
      text: get('text'),
      options: (get('options') ?? '').split('|').map((o) => o.trim()).filter((o) => o.length > 0),
      ordinal: BOOLEAN_WORDS[ordinalWord],
      ...(section ? { section } : {}),
      ...(concept ? { concept } : {}),
    };
  });
  return validate(name, rows, (i) => `row ${i + 2}`);
}

/**
 * Shipped questions with a user's added or replacing ones: user entries first replace shipped
 * entries of the same code (listed in `replaced`), new codes are appended.
 */
export function mergeQuestionSpecs(user: readonly WvsQuestionSpec[]): { specs: WvsQuestionSpec[]; replaced: string[] } {
  const byCode = new Map(user.map((q) => [q.code, q]));
  const replaced: string[] = [];
  const specs = SHIPPED_QUESTION_SPECS.map((q) => {
    const mine = byCode.get(q.code);
    if (!mine) return q;
    replaced.push(q.code);
    byCode.delete(q.code);
    return mine;
  });
  return { specs: [...specs, ...byCode.values()], replaced };
}
