/**
 * Non-substantive answer options in GlobalOpinionQA ("DK/Refused", "Don't know", "No answer",
 * "Refused", ...). The trailing run of them forms an item's `fixedTail`: they stay last when the
 * substantive options are rotated. Volunteered substantive answers ("Both equally (VOL)") are
 * substantive. Matching ignores case, curly apostrophes, surrounding punctuation and a "(VOL)"
 * marker
 * or "(DO NOT READ)".
 */

const NON_SUBSTANTIVE = new Set([
  'dk',
  'dk/refused',
  'dk/ref',
  'dont know',
  'do not know',
  'dont know/refused',
  'dont know/no answer',
  'refused',
  'refused/dk',
  'no answer',
  'no answer/refused',
  'not sure',
  'no opinion',
  'dk/no answer',
  'dk/na',
  'na',
  'n/a',
]);

/** The matching form of an option: lower case, no apostrophes, no "(VOL)", trimmed of punctuation. */
function canonical(option: string): string {
  return option
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/\(\s*vol\.?\s*\)/g, '')
    .replace(/\(\s*do not read\s*\)/g, '')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:()-]+|[\s.,;:()-]+$/g, '');
}

/** True for a "don't know / refused / no answer" option. */
export function isNonSubstantive(option: string): boolean {
  return NON_SUBSTANTIVE.has(canonical(option));
}

/** How many trailing options are non-substantive (never all of them). */
export function nonSubstantiveTail(options: readonly string[]): number {
  let n = 0;
  while (n < options.length - 1 && isNonSubstantive(options[options.length - 1 - n]!)) n++;
  return n;
}
