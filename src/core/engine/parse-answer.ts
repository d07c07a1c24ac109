/**
 * Reading an answer out of generated text. Each parser returns the DISPLAY position it read
 * (the engine maps it back to the source's option order), or null when the text gives no
 * answer. `valid: false` with a non-null index marks a rule's fallback (the FAIR-SP release
 * counts unparsable answers as "C"): it is counted, never silently dropped.
 */

export interface ParsedAnswer {
  index: number | null;
  valid: boolean;
}

export type ParserId = 'label' | 'answer-tag' | 'fair-pp-release' | 'dvmap-release';

export const PARSER_DESCRIPTIONS: Record<ParserId, string> = {
  label:
    'A leading option label ("B", "B.", "(B)", "B) ...") or, failing that, an exact option text; anything else is invalid.',
  'answer-tag':
    'The last <answer>...</answer> tag, read as a label or an option text; without a tag, the label parser on the whole text.',
  'fair-pp-release':
    'The Fair-PP release rule on the text as generated (not trimmed), in order: contains "A." or equals "A" -> A; contains "B." or equals "B" -> B; contains "C." or equals "C" -> C; anything else -> C (counted as invalid).',
  'dvmap-release':
    'The DVMap release rule (its eval_api_parallel.py): the text between the last "<answer>" and the next "</answer>" (both required), trimmed; the option it equals, else the only option it contains (case-sensitive); anything else is invalid.',
};

const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/^[\s"'`*.:,;!?()[\]-]+|[\s"'`*.:,;!?()[\]-]+$/g, '');

/** A label at the start: "B", "B.", "B)", "(B)", "B: text", "**B**". */
function leadingLabel(text: string, labels: readonly string[]): number | null {
  const m = /^[\s*"'`]*\(?([A-Za-z])(?:\)|\.|:|\*|\s|$)/.exec(text);
  if (!m) return null;
  const letter = m[1]!;
  // A lone lower-case word start ("a fair ...") is not a label; an upper-case letter is.
  if (letter !== letter.toUpperCase()) return null;
  const i = labels.indexOf(letter);
  return i >= 0 ? i : null;
}

function optionText(text: string, options: readonly string[]): number | null {
  const t = normalise(text);
  if (!t) return null;
  const exact = options.findIndex((o) => normalise(o) === t);
  if (exact >= 0) return exact;
  return null;
}

function parseLabel(text: string, labels: readonly string[], options: readonly string[]): ParsedAnswer {
  const byLabel = leadingLabel(text, labels);
  if (byLabel !== null) return { index: byLabel, valid: true };
  const byText = optionText(text, options);
  return byText !== null ? { index: byText, valid: true } : { index: null, valid: false };
}

function parseAnswerTag(text: string, labels: readonly string[], options: readonly string[]): ParsedAnswer {
  const tags = [...text.matchAll(/<answer>([\s\S]*?)<\/answer>/gi)];
  const inner = tags.at(-1)?.[1];
  return parseLabel(inner ?? text, labels, options);
}

/** The release's test on the raw text, not trimmed (`'A.' in value or 'A' == value`): " A" or "A\n" is not A there. */
function parseFairPpRelease(text: string, labels: readonly string[]): ParsedAnswer {
  for (let i = 0; i < Math.min(3, labels.length); i++) {
    const l = labels[i]!;
    if (text.includes(`${l}.`) || text === l) return { index: i, valid: true };
  }
  return { index: Math.min(2, labels.length - 1), valid: false };
}

/**
 * DVMap's evaluation script counts an answer correct when the tag's text equals the expected
 * option, or contains it and no other option. Reading the tag as "the option it equals, else
 * the only option it contains" gives exactly that verdict for every expected option.
 */
function parseDvmapRelease(text: string, options: readonly string[]): ParsedAnswer {
  const start = text.lastIndexOf('<answer>');
  if (start < 0) return { index: null, valid: false };
  const rest = text.slice(start + '<answer>'.length);
  const end = rest.indexOf('</answer>');
  if (end < 0) return { index: null, valid: false };
  const predicted = rest.slice(0, end).trim();
  const exact = options.indexOf(predicted);
  if (exact >= 0) return { index: exact, valid: true };
  const contained = options.flatMap((o, i) => (predicted.includes(o) ? [i] : []));
  return contained.length === 1 ? { index: contained[0]!, valid: true } : { index: null, valid: false };
}

/**
 * @param labels the labels as displayed (display order)
 * @param options the option texts as displayed (display order)
 */
export function parseAnswer(parser: ParserId, text: string, labels: readonly string[], options: readonly string[]): ParsedAnswer {
  switch (parser) {
    case 'label':
      return parseLabel(text, labels, options);
    case 'answer-tag':
      return parseAnswerTag(text, labels, options);
    case 'fair-pp-release':
      return parseFairPpRelease(text, labels);
    case 'dvmap-release':
      return parseDvmapRelease(text, options);
  }
}
