/**
 * Whether a record's stored metrics are the ones its items give again. Numbers agree within a
 * relative 1e-9: the same code in two JavaScript engines (the browser's V8 and Node's) can give
 * results that differ in the last bits (measured on a GlobalOpinionQA record made in Chromium and
 * rescored in Node: four numbers 1-4 ulp apart, likely from the engines' math functions). Anything
 * else must be equal.
 */
export const METRICS_TOLERANCE = 1e-9;

/** The first place the two differ ("details.countries[9].low: 0.41 stored, 0.42 recomputed"), or null. */
export function metricsDifference(stored: unknown, recomputed: unknown, tolerance = METRICS_TOLERANCE): string | null {
  // As JSON has them: NaN and Infinity are null, undefined members absent.
  return differenceAt(JSON.parse(JSON.stringify(stored ?? null)), JSON.parse(JSON.stringify(recomputed ?? null)), '', tolerance);
}

function differenceAt(a: unknown, b: unknown, path: string, tolerance: number): string | null {
  const where = path || '(top)';
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b)) ? null : `${where}: ${a} stored, ${b} recomputed`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${where}: ${a.length} entries stored, ${b.length} recomputed`;
    for (let i = 0; i < a.length; i++) {
      const d = differenceAt(a[i], b[i], `${path}[${i}]`, tolerance);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const sub = path ? `${path}.${key}` : key;
      if (!(key in a)) return `${sub}: not stored`;
      if (!(key in b)) return `${sub}: not recomputed`;
      const d = differenceAt((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], sub, tolerance);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${where}: ${JSON.stringify(a)} stored, ${JSON.stringify(b)} recomputed`;
}
