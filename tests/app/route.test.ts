import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, routeKey } from '../../src/app/lib/route.ts';

describe('hash routes', () => {
  it('reads a path and its query', () => {
    const route = parseRoute('#/run?suite=fair-pp&model=synthetic:tiny')!;
    expect(route.path).toBe('/run');
    expect(route.params.get('suite')).toBe('fair-pp');
    expect(route.params.get('model')).toBe('synthetic:tiny');
  });

  it('treats an empty hash as home', () => {
    expect(parseRoute('')).toMatchObject({ path: '/' });
    expect(parseRoute('#')).toMatchObject({ path: '/' });
  });

  it('is not a route when the fragment is an in-page anchor (the skip link)', () => {
    expect(parseRoute('#main')).toBeNull();
    expect(parseRoute('#run?suite=x')).toBeNull();
  });

  it('keeps a "?" inside a query value', () => {
    expect(parseRoute('#/share?q=a?b')!.params.get('q')).toBe('a?b');
  });

  it('keys a route by path and query, so the same page with another query differs', () => {
    expect(routeKey(parseRoute('#/run?suite=dvmap')!)).toBe('/run?suite=dvmap');
    expect(routeKey(parseRoute('#/run')!)).toBe('/run');
    expect(routeKey(parseRoute('#/run?suite=dvmap')!)).not.toBe(routeKey(parseRoute('#/run?suite=fair-pp')!));
  });

  it('writes hashes it reads back', () => {
    expect(routeHash('/compare', { a: 'run 1', b: 'x&y' })).toBe('#/compare?a=run+1&b=x%26y');
    const back = parseRoute(routeHash('/compare', { a: 'run 1', b: 'x&y' }))!;
    expect([back.path, back.params.get('a'), back.params.get('b')]).toEqual(['/compare', 'run 1', 'x&y']);
    expect(routeHash('/history')).toBe('#/history');
    expect(routeHash('/history', {})).toBe('#/history');
  });
});
