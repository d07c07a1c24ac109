/**
 * An item: one multiple-choice question as the engine sees it, whatever suite it came from.
 * Plain data (structured-cloneable), so items cross into the Worker and into run records.
 */
export type MetaValue = string | number | boolean | null;

export interface Item {
  /** Stable across runs and machines (see `itemId`). */
  id: string;
  /** The question stem, without its options. */
  question: string;
  /** Option texts in the source's order; answers and distributions index this list. */
  options: string[];
  /**
   * How many trailing options are not substantive ("N/A", "Don't know"): they stay last when
   * the substantive options are rotated.
   */
  fixedTail: number;
  /** System prompt text (a persona, instructions); items sharing it share a cached prefix. */
  system?: string;
  /** Extra variables the suite's prompt templates may use. */
  vars?: Record<string, string>;
  /** Attributes for breakdowns (dimension, topic, country, question id, ...). */
  meta: Record<string, MetaValue>;
  /** What the item is scored against, in the suite's own shape (anchors, gold answer, ...). */
  refs: Record<string, unknown>;
}

import { sha256Hex } from '../hash/sha256.ts';

/** The product's item id: a stable hash of the dataset id, the split and the question text. */
export function itemId(datasetId: string, split: string, questionText: string): string {
  return sha256Hex(`${datasetId}\u0000${split}\u0000${questionText}`).slice(0, 16);
}

/** Letters label options (never numbers: "10" would be two tokens). */
export const OPTION_LABELS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

export function labelsFor(count: number): string[] {
  if (count > OPTION_LABELS.length) throw new RangeError(`at most ${OPTION_LABELS.length} options can be labelled, got ${count}`);
  return OPTION_LABELS.slice(0, count);
}
