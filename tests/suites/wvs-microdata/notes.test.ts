import { describe, expect, it } from 'vitest';
import { unusedAnswerColumnsNote } from '../../../src/suites/wvs-microdata/definition.ts';

describe('the note on answer columns without metadata', () => {
  it('names the column, in the singular', () => {
    expect(unusedAnswerColumnsNote(['Q57'])).toBe('1 answer column has no metadata and is not used: Q57 (add it with a question metadata file)');
  });

  it('names up to ten columns, then says how many more, in the plural', () => {
    expect(unusedAnswerColumnsNote(['Q7', 'Q8'])).toBe('2 answer columns have no metadata and are not used: Q7, Q8 (add them with a question metadata file)');
    const many = Array.from({ length: 13 }, (_, i) => `Q${i + 100}`);
    expect(unusedAnswerColumnsNote(many)).toBe(
      '13 answer columns have no metadata and are not used: Q100, Q101, Q102, Q103, Q104, Q105, Q106, Q107, Q108, Q109 and 3 more (add them with a question metadata file)',
    );
  });
});
