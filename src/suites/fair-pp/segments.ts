/**
 * The seven UK public segments the release's anchors simulate (More in Common, "Britain's
 * Choice"). The release's columns gpt-4o-mini_role_1..7 are S1..S7 in this order.
 */
import { loadPersonas, type PersonaSetId } from '../fair-pp-local/taxonomy.ts';

export const SEGMENT_IDS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'] as const;
export type SegmentId = (typeof SEGMENT_IDS)[number];

export interface SegmentInfo {
  id: string;
  label: string;
  prompt: string;
}

export function personaSet(set: PersonaSetId): SegmentInfo[] {
  return loadPersonas().sets[set].segments.map((s) => ({ id: s.id, label: s.label, prompt: s.prompt }));
}

export function segmentLabels(): Record<string, string> {
  return Object.fromEntries(personaSet('uk').map((s) => [s.id, s.label]));
}
