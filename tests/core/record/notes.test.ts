import { describe, expect, it } from 'vitest';
import { notesOf, withNotes } from '../../../src/core/record/notes.ts';
import { RunRecordSchema, type RunRecord } from '../../../src/core/record/schema.ts';

const record = { createdAt: '2026-01-01T00:00:00Z', events: [{ at: 'x', kind: 'fallback', message: 'WebGPU failed' }] } as unknown as RunRecord;

describe('notes in a record', () => {
  it('rides as note events next to the other events, once each', () => {
    const out = withNotes(record, ['17 respondents dropped', 'unweighted', 'unweighted']);
    expect(out.events).toEqual([
      { at: 'x', kind: 'fallback', message: 'WebGPU failed' },
      { at: '2026-01-01T00:00:00Z', kind: 'note', message: '17 respondents dropped' },
      { at: '2026-01-01T00:00:00Z', kind: 'note', message: 'unweighted' },
    ]);
    expect(notesOf(out)).toEqual(['17 respondents dropped', 'unweighted']);
    // Exporting again does not repeat them.
    expect(notesOf(withNotes(out, notesOf(out)))).toEqual(['17 respondents dropped', 'unweighted']);
  });

  it('fits the record schema as it is (older records have no note events)', () => {
    expect(RunRecordSchema.shape.events.safeParse(withNotes(record, ['a']).events).success).toBe(true);
    expect(notesOf(record)).toEqual([]);
  });
});
