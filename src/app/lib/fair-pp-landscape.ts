/** The FAIR-SP landscape: segments, this model and other models placed in a plane by classical MDS. */
import { cMDS, jensenShannonDistance } from '../../core/metrics/index.ts';

export type LandscapeKind = 'segment' | 'this model' | 'other model';

export interface LandscapePoint {
  label: string;
  /** Pooled answer distribution (A, B, N/A over all questions). */
  pool: number[];
  kind: LandscapeKind;
  /** cMDS coordinates (axis 1, axis 2); only the distances between points mean anything. */
  x: number;
  y: number;
}

export interface Landscape {
  rows: LandscapePoint[];
  /** Share of the variance the two axes show: cMDS's totalExplained, in [0, 1]. */
  explained: number;
}

/**
 * The points, in this order: the segments (as given), this model, then the peers (other finished
 * runs on the same questions); a point whose pool has no mass is left out. Their pairwise
 * Jensen-Shannon distances (natural log, as the similarities) go through cMDS into two axes.
 * Null when fewer than 3 points remain (nothing to lay out).
 */
export function fairPpLandscape(input: {
  segments: ReadonlyArray<{ segment: string; segmentPool: number[] }>;
  modelLabel: string;
  modelPool: number[];
  peers: ReadonlyArray<{ label: string; modelPool: number[] }>;
}): Landscape | null {
  const points = [
    ...input.segments.map((s) => ({ label: s.segment, pool: s.segmentPool, kind: 'segment' as const })),
    { label: input.modelLabel, pool: input.modelPool, kind: 'this model' as const },
    ...input.peers.map((p) => ({ label: p.label, pool: p.modelPool, kind: 'other model' as const })),
  ].filter((p) => p.pool.some((x) => x > 0));
  if (points.length < 3) return null;
  const distances = points.map((a) => points.map((b) => jensenShannonDistance(a.pool, b.pool)));
  const { coordinates, totalExplained } = cMDS(distances, 2);
  return { rows: points.map((p, i) => ({ ...p, x: coordinates[i]![0]!, y: coordinates[i]![1]! })), explained: totalExplained };
}
