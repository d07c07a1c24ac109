/**
 * Prompt templates are data (so they travel to the Worker, are stored in run records and are
 * hashed): `{name}` placeholders filled from the item. Built-in variables:
 *   {question}  the stem; {options} the labelled option lines; {labels} "A, B or C";
 *   {system}    the item's system text; any key of item.vars.
 */
import { canonicalJson, sha256Hex } from '../hash/sha256.ts';
import { labelsFor, type Item } from '../items/item.ts';

export interface PromptTemplate {
  id: string;
  /** System message; omitted when empty after rendering. Default: the item's own system text. */
  system?: string;
  user: string;
  /** How one option line is written. */
  option: string;
  optionSeparator: string;
}

export interface RenderedPrompt {
  system?: string;
  user: string;
  /** labels[i] is the label shown for display position i. */
  labels: string[];
  /** order[i] is the original option index shown at display position i. */
  order: number[];
}

export const DEFAULT_SYSTEM = '{system}';

export function templateHash(template: PromptTemplate): string {
  return sha256Hex(canonicalJson(template)).slice(0, 16);
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (whole, name: string) => (name in vars ? vars[name]! : whole));
}

/** Renders an item with its options shown in `order` (default: the source's order). */
export function renderPrompt(template: PromptTemplate, item: Item, order?: number[]): RenderedPrompt {
  const shown = order ?? item.options.map((_, i) => i);
  if (shown.length !== item.options.length || new Set(shown).size !== shown.length) {
    throw new RangeError(`order ${JSON.stringify(shown)} is not a permutation of ${item.options.length} options`);
  }
  const labels = labelsFor(shown.length);
  const optionLines = shown.map((original, position) =>
    fill(template.option, { label: labels[position]!, text: item.options[original]! }),
  );
  const labelList = labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`;
  const vars: Record<string, string> = {
    ...(item.vars ?? {}),
    question: item.question,
    options: optionLines.join(template.optionSeparator),
    labels: labelList,
    system: item.system ?? '',
  };
  const system = fill(template.system ?? DEFAULT_SYSTEM, vars).trim();
  return { ...(system ? { system } : {}), user: fill(template.user, vars), labels, order: shown };
}

/**
 * Cyclic rotations of the substantive options; the `fixedTail` options stay last.
 * Rotation r shows original option (r + i) mod n at position i.
 */
export function cyclicOrders(optionCount: number, fixedTail: number): number[][] {
  const n = optionCount - fixedTail;
  if (n < 1) return [Array.from({ length: optionCount }, (_, i) => i)];
  const tail = Array.from({ length: fixedTail }, (_, i) => n + i);
  return Array.from({ length: n }, (_, r) => [...Array.from({ length: n }, (_, i) => (r + i) % n), ...tail]);
}
