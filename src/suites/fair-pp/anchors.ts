/**
 * Anchor packs: what models are scored against, with where it came from. For each segment and
 * question, a distribution over the options (one-hot when there is one answer). Anchors come
 * from the official release, from role-play runs the product performs with any backend, or from
 * an imported file; a pack always carries its provenance, and the app never shows anchors
 * without it.
 */
import { z } from 'zod';
import type { Item } from '../../core/items/item.ts';
import type { RunRecord } from '../../core/record/schema.ts';
import { describeIssues, MISSING_IS_MISSING } from '../../core/record/schema-issues.ts';

export const ANCHOR_PACK_FORMAT = 'pluralscope.anchors';

const Distribution = z.array(z.number().min(0).max(1)).min(2);

export const AnchorPackSchema = z
  .object({
    format: z.literal(ANCHOR_PACK_FORMAT),
    version: z.literal(1),
    /** Which question set the ids belong to: 'fair-pp' (the release) or 'fair-pp-local' (ours). */
    suite: z.enum(['fair-pp', 'fair-pp-local']),
    split: z.string().optional(),
    segments: z.array(z.object({ id: z.string().min(1), label: z.string(), prompt: z.string().optional() }).strict()).min(1),
    provenance: z
      .object({
        source: z.enum(['official', 'roleplay', 'import']),
        description: z.string(),
        release: z.object({ dataset: z.string(), revision: z.string().optional() }).strict().optional(),
        generator: z
          .object({
            model: z.string(),
            backend: z.string(),
            promptTemplateHash: z.string(),
            personaSet: z.string(),
            temperature: z.number().min(0),
            samples: z.number().int().min(1),
            mode: z.enum(['likelihood', 'generate']),
            runIds: z.array(z.string()),
          })
          .strict()
          .optional(),
        createdAt: z.string(),
      })
      .strict(),
    items: z.array(z.object({ id: z.string().min(1), anchors: z.record(z.string(), Distribution) }).strict()).min(1),
  })
  .strict();

export type AnchorPack = z.infer<typeof AnchorPackSchema>;

export class AnchorPackError extends Error {
  override name = 'AnchorPackError';
}

/** Parses and checks a pack; every problem is named (field, item, segment). */
export function parseAnchorPack(text: string): AnchorPack {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AnchorPackError(`the anchor pack is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!raw || typeof raw !== 'object' || (raw as { format?: unknown }).format !== ANCHOR_PACK_FORMAT) {
    throw new AnchorPackError(`not an anchor pack (expected "format": "${ANCHOR_PACK_FORMAT}")`);
  }
  const parsed = AnchorPackSchema.safeParse(raw, MISSING_IS_MISSING);
  if (!parsed.success) throw new AnchorPackError(`invalid anchor pack: ${describeIssues(parsed.error.issues, 4)}`);
  const pack = parsed.data;
  const segmentIds = new Set(pack.segments.map((s) => s.id));
  const seen = new Set<string>();
  for (const item of pack.items) {
    if (seen.has(item.id)) throw new AnchorPackError(`invalid anchor pack: item "${item.id}" appears twice`);
    seen.add(item.id);
    for (const [segment, dist] of Object.entries(item.anchors)) {
      if (!segmentIds.has(segment)) throw new AnchorPackError(`invalid anchor pack: item "${item.id}" has anchors for "${segment}", which is not among its segments`);
      const sum = dist.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6) throw new AnchorPackError(`invalid anchor pack: item "${item.id}", segment ${segment}: the distribution sums to ${sum}, not 1`);
    }
  }
  return pack;
}

/**
 * Replaces the items' anchors by the pack's. Items the pack does not cover are dropped (and
 * counted); a pack that shares no id with the question set is an error, as is one whose
 * distributions do not fit the questions' option counts.
 */
export function applyAnchorPack(items: Item[], pack: AnchorPack): { items: Item[]; notes: string[] } {
  const byId = new Map(pack.items.map((i) => [i.id, i.anchors]));
  const kept: Item[] = [];
  for (const item of items) {
    const anchors = byId.get(item.id);
    if (!anchors) continue;
    for (const [segment, dist] of Object.entries(anchors)) {
      if (dist.length !== item.options.length) {
        throw new AnchorPackError(`the anchor pack gives segment ${segment} ${dist.length} options for item "${item.id}", which has ${item.options.length}`);
      }
    }
    kept.push({ ...item, refs: { ...item.refs, anchors } });
  }
  if (kept.length === 0) {
    throw new AnchorPackError(
      `mismatched ids: none of the anchor pack's ${pack.items.length} item ids is in this question set (the pack was made for ${pack.suite}${pack.split ? `/${pack.split}` : ''})`,
    );
  }
  const notes: string[] = [];
  if (kept.length < items.length) notes.push(`the anchor pack covers ${kept.length} of ${items.length} questions; the others are left out`);
  if (kept.length < pack.items.length) notes.push(`${pack.items.length - kept.length} of the pack's items are not in this question set`);
  return { items: kept, notes };
}

/**
 * An anchor pack from role-play runs: one run per persona (its items' distributions are the
 * persona's answers). Items are matched by their base id (before "~persona").
 */
export function anchorPackFromRoleplay(
  record: RunRecord,
  segments: Array<{ id: string; label: string; prompt: string }>,
  personaSet: string,
  createdAt = new Date().toISOString(),
): AnchorPack {
  const suite = record.suite.id === 'fair-pp-local' ? 'fair-pp-local' : 'fair-pp';
  const anchors = new Map<string, Record<string, number[]>>();
  for (const item of record.items) {
    const persona = String(item.meta.persona ?? '');
    const baseId = String(item.meta.baseId ?? item.id);
    if (!persona || !item.distribution) continue;
    let entry = anchors.get(baseId);
    if (!entry) anchors.set(baseId, (entry = {}));
    entry[persona] = item.distribution;
  }
  return {
    format: ANCHOR_PACK_FORMAT,
    version: 1,
    suite,
    ...(typeof record.suite.options.split === 'string' ? { split: record.suite.options.split } : {}),
    segments,
    provenance: {
      source: 'roleplay',
      description: `Role-play anchors: ${record.model.ref} answering as each ${personaSet} persona (${record.scoring.mode}${record.scoring.mode === 'generate' ? `, ${record.scoring.samples ?? 1} samples at temperature ${record.scoring.temperature ?? 0}` : ''}).`,
      generator: {
        model: record.model.ref,
        backend: record.runtime.device,
        promptTemplateHash: record.scoring.template.hash,
        personaSet,
        temperature: record.scoring.temperature ?? 0,
        samples: record.scoring.samples ?? 1,
        mode: record.scoring.mode,
        runIds: [record.id],
      },
      createdAt,
    },
    items: [...anchors.entries()].map(([id, a]) => ({ id, anchors: a })),
  };
}
