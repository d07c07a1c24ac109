/**
 * DVMap's `Options` column: the options of one question as ONE comma-joined string
 * ("Very important, Rather important, Not very important, Not at all important"). An option
 * text may itself hold a comma, so the string is read in this order:
 *
 *   1. KNOWN LIST. When we have WVS-7 metadata for the question (`Q_id`), the string is matched
 *      against the DVMap option list (`dvmapOptions`: the labels in code order, or
 *      Low/Medium/High for the 1-10 items), each position accepting the label or one of its
 *      aliases exactly, separated by ", ". The options are the matched texts, as the release
 *      writes them.
 *   2. SPLIT. Otherwise the string is split at ", " (comma + space; a comma without a space
 *      stays inside its option), and the parts of any answer seen for this question that
 *      itself holds ", " are joined back when they occur as a contiguous run.
 *
 * The result must have at least two options, none empty and no two equal; anything else is an
 * `OptionsError` (the caller names the row).
 */
import { dvmapOptions, hasWvsQuestion, wvsQuestion } from '../../sources/wvs/question-metadata.ts';

export class OptionsError extends Error {
  override name = 'OptionsError';
}

export const OPTION_SEPARATOR = ', ';

export interface ParsedOptions {
  options: string[];
  /** 'metadata': matched the known option list; 'split': split at ", ". */
  via: 'metadata' | 'split';
}

/** The accepted spellings of each position of the known DVMap option list, or null. */
function knownSpellings(qid: string): string[][] | null {
  if (!hasWvsQuestion(qid)) return null;
  const question = wvsQuestion(qid);
  if (question.collapse) return question.collapse.labels.map((l) => [l]);
  const labels = dvmapOptions(question);
  return question.options.map((o, i) => [labels[i] ?? o.label, ...(o.aliases ?? [])]);
}

/** Matches `text` against the known list position by position; null when it does not fit exactly. */
export function matchKnownOptions(text: string, spellings: readonly string[][]): string[] | null {
  const out: string[] = [];
  let pos = 0;
  for (let i = 0; i < spellings.length; i++) {
    const last = i === spellings.length - 1;
    // Longest spelling first, so "Agree strongly" is not read as "Agree".
    const candidates = [...spellings[i]!].sort((a, b) => b.length - a.length);
    const hit = candidates.find((s) => {
      if (!text.startsWith(s, pos)) return false;
      const end = pos + s.length;
      return last ? end === text.length : text.startsWith(OPTION_SEPARATOR, end);
    });
    if (hit === undefined) return null;
    out.push(hit);
    pos += hit.length + (last ? 0 : OPTION_SEPARATOR.length);
  }
  return out;
}

/**
 * Splits at ", " and joins back the parts of each answer (from `answers`) that holds ", ".
 * Throws an OptionsError when the result is not a list of at least two distinct, non-empty options.
 */
export function splitOptions(text: string, answers: Iterable<string> = []): string[] {
  let parts = text.split(OPTION_SEPARATOR).map((p) => p.trim());
  const multi = [...new Set([...answers].map((a) => a.trim()).filter((a) => a.includes(OPTION_SEPARATOR)))];
  // Longer answers first, so a long answer is joined before a shorter one inside it.
  multi.sort((a, b) => b.length - a.length);
  for (const answer of multi) {
    const pieces = answer.split(OPTION_SEPARATOR).map((p) => p.trim());
    for (let i = 0; i + pieces.length <= parts.length; i++) {
      if (pieces.every((p, j) => parts[i + j] === p)) {
        parts = [...parts.slice(0, i), answer, ...parts.slice(i + pieces.length)];
        break;
      }
    }
  }
  if (parts.length < 2) throw new OptionsError(`"${text}" holds fewer than two options (options are separated by ", ")`);
  if (parts.some((p) => p === '')) throw new OptionsError(`"${text}" has an empty option`);
  const seen = new Set<string>();
  for (const p of parts) {
    if (seen.has(p)) throw new OptionsError(`"${text}" cannot be split into options unambiguously: "${p}" occurs twice`);
    seen.add(p);
  }
  return parts;
}

/** The options of question `qid` from its `Options` string (see the module comment). */
export function parseOptions(qid: string, text: string, answers: Iterable<string> = []): ParsedOptions {
  const spellings = knownSpellings(qid);
  if (spellings) {
    const known = matchKnownOptions(text, spellings);
    if (known) return { options: known, via: 'metadata' };
  }
  return { options: splitOptions(text, answers), via: 'split' };
}

const squash = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Index of `answer` among `options`: exact first, then ignoring case and spacing; -1 if absent. */
export function answerIndex(answer: string, options: readonly string[]): number {
  const exact = options.indexOf(answer);
  if (exact >= 0) return exact;
  const want = squash(answer);
  const matches = options.flatMap((o, i) => (squash(o) === want ? [i] : []));
  return matches.length === 1 ? matches[0]! : -1;
}

/** The matching key for answer texts across files (case and spacing ignored). */
export const answerKey = squash;
