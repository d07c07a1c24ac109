/**
 * The release stores each question as one text: the stem, then one line per option
 * ("\nA. ...\nB. ...\nC. N/A"). The engine needs them apart (to label and rotate options), so
 * this splits them, and fails loudly on a text that does not have that shape.
 */

export interface SplitQuestion {
  stem: string;
  options: string[];
}

const OPTION_LINE = /^([A-Z])\.\s?(.*)$/;

export function splitQuestionText(text: string): SplitQuestion | null {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  // Options are the trailing run of "X. text" lines, lettered A, B, C, ... in order.
  let first = lines.length;
  while (first > 0 && OPTION_LINE.test(lines[first - 1]!.trim())) first--;
  const optionLines = lines.slice(first).map((l) => OPTION_LINE.exec(l.trim())!);
  if (optionLines.length < 2) return null;
  if (optionLines.some((m, i) => m[1] !== String.fromCharCode(65 + i))) return null;
  const stem = lines.slice(0, first).join('\n').trim();
  if (!stem) return null;
  return { stem, options: optionLines.map((m) => m[2]!.trim()) };
}

/** Justification questions start with "Assuming" (the phrasing is not a column in the release). */
export function phrasingOf(stem: string): 'forward' | 'justification' {
  return /^\s*assuming\b/i.test(stem) ? 'justification' : 'forward';
}

/** Is an option the non-substantive "N/A"? */
export function isNotApplicable(option: string): boolean {
  return /^(n\/?a|not applicable|none of (the|these)( above)?)\.?$/i.test(option.trim());
}
