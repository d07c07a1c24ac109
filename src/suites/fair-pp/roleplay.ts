/**
 * Role-play: every question asked once under each persona of a set (the persona is the system
 * prompt). Item ids become "<id>~<persona>" so one run holds all personas; `meta.persona` and
 * `meta.baseId` let the scorer build the persona x segment fidelity matrix and let a run be
 * turned into an anchor pack.
 */
import type { Item } from '../../core/items/item.ts';
import type { SegmentInfo } from './segments.ts';

export function expandRoleplay(items: Item[], personas: SegmentInfo[]): Item[] {
  return personas.flatMap((persona) =>
    items.map((item) => ({
      ...item,
      id: `${item.id}~${persona.id}`,
      system: persona.prompt,
      meta: { ...item.meta, persona: persona.id, baseId: item.id },
    })),
  );
}
