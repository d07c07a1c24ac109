/** The item list's search and labels: what a query matches, and how a long question is shortened. */
import type { ItemResult } from '../../core/record/schema.ts';

/** Case-insensitive: the id, the question text or any breakdown attribute contains the query. */
export function matchesItemQuery(item: Pick<ItemResult, 'id' | 'question' | 'meta'>, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return (
    item.id.toLowerCase().includes(q) ||
    (item.question ?? '').toLowerCase().includes(q) ||
    Object.values(item.meta).some((value) => String(value).toLowerCase().includes(q))
  );
}

/** At most `max` characters, cut at a word boundary when one is near, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
