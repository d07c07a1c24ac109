import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../../src/core/engine/parse-answer.ts';

const labels = ['A', 'B', 'C'];
const options = ['Yes', 'No', 'N/A'];

describe('answer parsers', () => {
  it.each([
    ['B', 1],
    ['B.', 1],
    ['(C) N/A', 2],
    ['A) yes', 0],
    ['  **B** because', 1],
    ['No', 1],
    ['no.', 1],
  ])('label parser reads %j as %i', (text, index) => {
    expect(parseAnswer('label', text, labels, options)).toEqual({ index, valid: true });
  });

  it.each(['', 'I would rather not say', 'a fair share', 'D', 'Maybe yes, maybe no'])('label parser rejects %j', (text) => {
    expect(parseAnswer('label', text, labels, options)).toEqual({ index: null, valid: false });
  });

  it('reads the last <answer> tag', () => {
    expect(parseAnswer('answer-tag', 'Step 1 ... <answer>A</answer> hmm <answer>No</answer>', labels, options)).toEqual({ index: 1, valid: true });
    expect(parseAnswer('answer-tag', '<answer> C. N/A </answer>', labels, options)).toEqual({ index: 2, valid: true });
    expect(parseAnswer('answer-tag', '<answer>perhaps</answer>', labels, options)).toEqual({ index: null, valid: false });
  });

  it('applies the Fair-PP release rule in its order, falling back to C', () => {
    expect(parseAnswer('fair-pp-release', 'A. Allocation based on merit', labels, options)).toEqual({ index: 0, valid: true });
    expect(parseAnswer('fair-pp-release', 'B', labels, options)).toEqual({ index: 1, valid: true });
    // contains both "A." and "B.": A wins, because the rule tests A first
    expect(parseAnswer('fair-pp-release', 'Not B. but A.', labels, options)).toEqual({ index: 0, valid: true });
    expect(parseAnswer('fair-pp-release', 'A', labels, options)).toEqual({ index: 0, valid: true });
    expect(parseAnswer('fair-pp-release', 'Answer: A', labels, options)).toEqual({ index: 2, valid: false });
    expect(parseAnswer('fair-pp-release', '', labels, options)).toEqual({ index: 2, valid: false });
    // The release compares the raw text ('A' == value): surrounding white space makes it unreadable.
    expect(parseAnswer('fair-pp-release', ' A', labels, options)).toEqual({ index: 2, valid: false });
    expect(parseAnswer('fair-pp-release', 'B\n', labels, options)).toEqual({ index: 2, valid: false });
    expect(parseAnswer('fair-pp-release', '\nB. Equal allocation', labels, options)).toEqual({ index: 1, valid: true });
  });
});
