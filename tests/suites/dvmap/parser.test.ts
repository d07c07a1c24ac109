import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../../src/core/engine/parse-answer.ts';

const OPTIONS = ['Very important', 'Rather important', 'Not very important', 'Not at all important'];
const LABELS = ['A', 'B', 'C', 'D'];
const parse = (text: string, options = OPTIONS) => parseAnswer('dvmap-release', text, LABELS.slice(0, options.length), options);

/**
 * The release's rule (eval_api_parallel.py): predicted = the text between the last "<answer>"
 * and the next "</answer>", stripped; correct when predicted == expected, or expected is a
 * substring of predicted and no other option is.
 */
describe('the dvmap-release answer parser', () => {
  it('reads the last tag and the option it equals', () => {
    expect(parse('<reasoning>...</reasoning>\n<answer>\n  Rather important\n</answer>')).toEqual({ index: 1, valid: true });
    expect(parse('<answer>Very important</answer> then <answer>Not very important</answer>')).toEqual({ index: 2, valid: true });
  });

  it('accepts text that contains exactly one option (case-sensitive), as the release does', () => {
    expect(parse('<answer>I would say Rather important.</answer>')).toEqual({ index: 1, valid: true });
    // "Very important" is not inside "Not very important" (case differs), so this is option 2 alone.
    expect(parse('<answer>Not very important</answer>')).toEqual({ index: 2, valid: true });
    expect(parse('<answer>Rather important or Very important</answer>')).toEqual({ index: null, valid: false });
    expect(parse('<answer>rather important</answer>')).toEqual({ index: null, valid: false });
  });

  it('an exact match wins even when another option is inside it', () => {
    expect(parse('<answer>Agree strongly</answer>', ['Agree strongly', 'Agree', 'Disagree'])).toEqual({ index: 0, valid: true });
    expect(parse('<answer>I agree strongly</answer>', ['Agree strongly', 'Agree', 'Disagree'])).toEqual({ index: null, valid: false });
  });

  it('needs both tags; no tag or an unclosed tag is invalid', () => {
    expect(parse('Rather important')).toEqual({ index: null, valid: false });
    expect(parse('<answer>Rather important')).toEqual({ index: null, valid: false });
    expect(parse('<answer>Rather important</answer><answer>')).toEqual({ index: null, valid: false });
    expect(parse('<answer></answer>')).toEqual({ index: null, valid: false });
  });
});
