/** DVMap's chance line: the accuracy of a model that guesses uniformly among each question's options. */
import type { QuestionScore } from '../../suites/dvmap/score.ts';

/**
 * The uniform guesser's expected accuracy over the items accuracy counts: sum over questions of
 * (n + unanswered) / k, divided by sum of (n + unanswered). An item with K options is right with
 * probability 1/K, so this is the mean of 1/K over those items (unanswered items count, as they
 * do in accuracy; `unanswered` may be missing in older records). Null when no item counts.
 */
export function dvmapChanceAccuracy(questions: ReadonlyArray<Pick<QuestionScore, 'n' | 'k'> & { unanswered?: number }>): number | null {
  let expectedHits = 0;
  let counted = 0;
  for (const q of questions) {
    const items = q.n + (q.unanswered ?? 0);
    expectedHits += items / q.k;
    counted += items;
  }
  return counted > 0 ? expectedHits / counted : null;
}
