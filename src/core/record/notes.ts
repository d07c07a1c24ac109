/**
 * "Notes on the data" (dropped rows, subgroup counts, anchor source) travel inside a record as
 * events of kind 'note', so an exported record keeps them and an import shows them again.
 */
import type { RunRecord } from './schema.ts';

export const NOTE_EVENT = 'note';

/** The record with `notes` as its note events (replacing any it had; other events stay). */
export function withNotes(record: RunRecord, notes: readonly string[]): RunRecord {
  const others = record.events.filter((e) => e.kind !== NOTE_EVENT);
  const at = record.createdAt;
  return { ...record, events: [...others, ...[...new Set(notes)].map((message) => ({ at, kind: NOTE_EVENT, message }))] };
}

/** The notes a record carries (from an export of this app or any producer that writes them). */
export function notesOf(record: Pick<RunRecord, 'events'>): string[] {
  return record.events.filter((e) => e.kind === NOTE_EVENT).map((e) => e.message);
}
