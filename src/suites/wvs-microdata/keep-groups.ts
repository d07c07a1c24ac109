/**
 * The `keep` option: restricts an attribute to some of its groups, e.g. the seed paper's three
 * Singaporean ethnic groups (`ethnicity=Chinese|Malay|Indian`; SPEC section 2). Written as
 * `attribute=group|group`, several attributes separated by `;`. A group is named by its label
 * (the user's codebook, else the shipped one; any case) or, for a coded attribute, by its WVS code.
 *
 * Choice (the paper does not say how it left the other groups out, so ours): a respondent outside
 * the kept groups counts as missing that attribute, so is in no subgroup of a stratum that uses it,
 * and still counts in the strata that do not (a woman of another ethnic group is in "Female").
 */
import type { Codebook } from '../../sources/wvs/codebook.ts';
import { ATTRIBUTES, type AttributeId, type EncodedAttributes } from './attributes.ts';
import { WvsOptionError, parseStrataOption } from './ingest.ts';

/** attribute -> the group names or codes given for it, in the order given. */
export type KeepOption = ReadonlyMap<AttributeId, readonly string[]>;

/** What a restriction did, for the run's notes. */
export interface KeptGroups {
  attribute: AttributeId;
  /** Labels of the kept groups present in the data, in the order given. */
  kept: string[];
  /** Respondents with a group of that attribute that is not kept. */
  excluded: number;
}

/** Parses the `keep` option ('' = no restriction). */
export function parseKeepOption(raw: string): KeepOption {
  const out = new Map<AttributeId, string[]>();
  for (const part of raw.split(';').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new WvsOptionError(`keep: "${part}" is not attribute=group|group (e.g. ethnicity=Chinese|Malay|Indian)`);
    const [id] = parseStrataOption(part.slice(0, eq));
    const groups = part
      .slice(eq + 1)
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean);
    if (groups.length === 0) throw new WvsOptionError(`keep: "${part}" names no group of ${id}`);
    if (out.has(id!)) throw new WvsOptionError(`keep: ${id} is given twice`);
    out.set(id!, groups);
  }
  return out;
}

const normal = (s: string) => s.trim().toLowerCase();

/**
 * The encoded attributes with every group that `keep` does not name set to -1 (no group). Throws
 * a WvsOptionError naming the groups present when a name matches none, or when `keep` names an
 * attribute that is not among the strata.
 */
export function keepGroups(encoded: EncodedAttributes, keep: KeepOption, codebook: Codebook): { attributes: EncodedAttributes; report: KeptGroups[] } {
  if (keep.size === 0) return { attributes: encoded, report: [] };
  const keys = new Map(encoded.keys);
  const report: KeptGroups[] = [];
  for (const [id, names] of keep) {
    const column = encoded.keys.get(id);
    if (!column) throw new WvsOptionError(`keep: ${id} is not among the strata (${encoded.ids.join(', ')})`);
    const def = ATTRIBUTES[id];
    const present = [...new Set(column)].filter((k) => k >= 0).sort((a, b) => a - b);
    const labelOf = new Map(present.map((k) => [k, def.label(k, codebook)]));
    const chosen = new Set<number>();
    const kept: string[] = [];
    for (const name of names) {
      const byLabel = present.filter((k) => normal(labelOf.get(k)!) === normal(name));
      const byCode = def.kind === 'code' && /^\d+$/.test(name) ? present.filter((k) => k === Number(name)) : [];
      const match = byLabel.length > 0 ? byLabel : byCode;
      if (match.length === 0) {
        const unnamed = def.countrySpecific && !codebook.has(def.variable);
        throw new WvsOptionError(
          `keep: ${id} has no group "${name}" among these respondents; its groups: ${present.map((k) => (def.kind === 'bin' ? labelOf.get(k)! : `${labelOf.get(k)} (${k})`)).join(', ')}` +
            (unnamed ? `. ${def.variable} codes differ by country and no codebook names them: give their codes, or a codebook file (variable, code, label; --file codebook=<file> on the command line) to use names` : ''),
        );
      }
      for (const k of match) {
        if (!chosen.has(k)) kept.push(labelOf.get(k)!);
        chosen.add(k);
      }
    }
    const restricted = new Int32Array(column.length);
    let excluded = 0;
    column.forEach((k, i) => {
      const keepIt = k < 0 || chosen.has(k);
      if (!keepIt) excluded++;
      restricted[i] = keepIt ? k : -1;
    });
    keys.set(id, restricted);
    report.push({ attribute: id, kept, excluded });
  }
  return { attributes: { ids: encoded.ids, keys }, report };
}

