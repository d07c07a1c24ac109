import { describe, expect, it } from 'vitest';
import { matchesItemQuery, shorten } from '../../src/app/lib/item-search.ts';

const item = { id: 'Q27|SGP|age:18-34', question: 'How important are friends in your life?', meta: { religion: 'Roman Catholic', wave: 7 } };

describe('item search', () => {
  it('matches ids, questions and attributes whatever the case', () => {
    expect(matchesItemQuery(item, 'Q27')).toBe(true); // the id has capitals
    expect(matchesItemQuery(item, 'sgp')).toBe(true);
    expect(matchesItemQuery(item, 'FRIENDS')).toBe(true);
    expect(matchesItemQuery(item, 'roman catholic')).toBe(true);
    expect(matchesItemQuery(item, '7')).toBe(true);
    expect(matchesItemQuery(item, 'family')).toBe(false);
  });

  it('treats an empty or blank query as everything', () => {
    expect(matchesItemQuery(item, '')).toBe(true);
    expect(matchesItemQuery(item, '   ')).toBe(true);
    expect(matchesItemQuery({ id: 'x', meta: {} }, ' friends ')).toBe(false);
  });
});

describe('shorten', () => {
  it('leaves short text alone, collapsing whitespace', () => {
    expect(shorten('How  important\nis family?', 90)).toBe('How important is family?');
  });

  it('cuts at a word boundary with an ellipsis, within the limit', () => {
    const text = 'How important are friends in your life? Would you say they are very important, rather important';
    const out = shorten(text, 60);
    expect(out).toBe('How important are friends in your life? Would you say they…');
    expect(out.length).toBeLessThanOrEqual(60);
  });

  it('cuts inside a long word when no space is near', () => {
    expect(shorten('a'.repeat(100), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
