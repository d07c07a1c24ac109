/**
 * Our persona sets: every set complete, prompts non-empty and in the second person, and every
 * trait the paper lists for a UK segment (seed paper, Appendix E) present in both the segment's
 * trait list and its prompt.
 */
import { describe, expect, it } from 'vitest';
import personasJson from '../../static-data/fair-pp/personas.json' with { type: 'json' };
import { PERSONA_SET_IDS, PERSONA_SET_SIZES, loadPersonas, parsePersonas } from '../../src/suites/fair-pp-local/taxonomy.ts';

/**
 * Appendix E, trait by trait: one pattern per trait the paper states (the anonymisation's
 * "segment identity" read as personal identity, "public, consensus" as community, consensus).
 */
const UK_TRAITS: Record<string, { name: string; traits: RegExp[] }> = {
  S1: {
    name: 'Progressive Activists',
    traits: [/highly educated/, /urban/, /globally/, /inequality/, /injustice/, /political and social beliefs/, /debates/, /voice/],
  },
  S2: {
    name: 'Civic Pragmatists',
    traits: [/well informed/, /clear opinions/, /not central/, /commitment to other/, /civic values/, /community/, /consensus/, /compromise/, /division in politics/, /exhausted/],
  },
  S3: {
    name: 'Disengaged Battlers',
    traits: [/everyday struggle/, /surviv/, /insecure/, /irregular hours/, /disconnected from other people/, /given up on the system/, /local area/, /alone/, /covid-19 pandemic/, /tough/, /blame the system, not other people/],
  },
  S4: {
    name: 'Established Liberals',
    traits: [/educated/, /comfortable/, /quite wealthy/, /at ease in (your|their) own skin/, /country (you|they) live in/, /trust the government, institutions and the people around/, /almost twice as likely/, /represented in politics/, /change society/, /work(ing)? together/, /compromise is important/, /diversity enriches society/, /more globally oriented/],
  },
  S5: {
    name: 'Loyal Nationals',
    traits: [/proud of (your|their) country/, /patriotic/, /history/, /past achievements/, /anxious about threats/, /come together/, /national self-interest/, /frustrat/, /decision-makers/, /views and values/, /disrespected by educated elites/, /interests are often put ahead of/, /dog-eat-dog world/, /naive in its dealings with other countries/],
  },
  S6: {
    name: 'Disengaged Traditionalists',
    traits: [/self-relian/, /pride in a hard day's work/, /well-ordered society/, /crime and justice/, /suspicion/, /behav/, /social rules/, /views on (the )?issues/, /limited attention to public debates/],
  },
  S7: {
    name: 'Backbone Conservatives',
    traits: [/confident of (your|their) nation's place in the world/, /more prosperous/, /nostalgic/, /history/, /cultural heritage/, /the monarchy/, /right direction/, /very interested in social and political issues/, /follow the news closely/, /stalwart supporters?/, /conservative party/, /negative about immigration/, /less concerned about racism/, /public spending/, /cuts/],
  },
};

const US_NAMES = ['Progressive Activists', 'Traditional Liberals', 'Passive Liberals', 'The Politically Disengaged', 'Moderates', 'Traditional Conservatives', 'Devoted Conservatives'];
const PL_NAMES = [null, 'Passive Liberals', null, 'Disengaged Normals', 'Fulfilled Locals', 'Proud Patriots', 'Devoted Traditionalists'];

/** Words too common to show that a trait made it into a prompt. */
const STOP = new Set(['their', 'about', 'other', 'others', 'people', 'strong', 'strongly', 'highly', 'deeply', 'while', 'despite', 'group', 'groups', 'with', 'they', 'from', 'that', 'more', 'most', 'many', 'less', 'them', 'have', 'like', 'feel', 'among']);

describe('persona sets (static-data/fair-pp/personas.json)', () => {
  const personas = loadPersonas();

  it('ships uk, us, fr, de and pl with 7, 7, 6, 6 and 7 segments', () => {
    expect(PERSONA_SET_IDS).toEqual(['uk', 'us', 'fr', 'de', 'pl']);
    expect(Object.keys(personas.sets)).toEqual(PERSONA_SET_IDS);
    for (const id of PERSONA_SET_IDS) {
      const segments = personas.sets[id].segments;
      expect(segments).toHaveLength(PERSONA_SET_SIZES[id]);
      expect(segments.map((s) => s.id)).toEqual(segments.map((_, i) => `S${i + 1}`));
    }
  });

  it('gives every segment a label, a region, traits and a second-person prompt in our words', () => {
    for (const id of PERSONA_SET_IDS) {
      const set = personas.sets[id];
      expect(set.source.paper).toMatch(/2505\.11861/);
      expect(set.source.appendix).toBe(id === 'uk' ? 'E' : 'H.2');
      for (const s of set.segments) {
        expect(s.label.length).toBeGreaterThan(3);
        expect(s.region).toBe(set.region);
        expect(s.traits.length).toBeGreaterThanOrEqual(4);
        expect(s.prompt.length).toBeGreaterThan(150);
        expect(s.prompt).toMatch(/^You /);
        expect(s.prompt).toMatch(/ You believe | you believe |You are /);
        expect(s.prompt.endsWith(personas.closing)).toBe(true);
        expect(s.prompt).not.toMatch(/please act as|segment identity|segmental|\{|\}/i);
        if (s.name !== null) expect(s.label).toBe(s.name);
      }
    }
  });

  it('names the UK segments in SPEC order and keeps every Appendix E trait', () => {
    const uk = personas.sets.uk;
    expect(uk.usedForOfficialAnchors).toBe(true);
    expect(uk.segments.map((s) => s.name)).toEqual(Object.values(UK_TRAITS).map((x) => x.name));
    for (const s of uk.segments) {
      const expected = UK_TRAITS[s.id]!;
      const prompt = s.prompt.toLowerCase();
      const traits = s.traits.join(' | ').toLowerCase();
      for (const trait of expected.traits) {
        expect(prompt, `${s.id} prompt lacks ${trait}`).toMatch(trait);
        expect(traits, `${s.id} traits lack ${trait}`).toMatch(trait);
      }
      expect(prompt).toContain(expected.name.toLowerCase());
    }
  });

  it('does not name the country in UK prompts (the paper anonymised them) but does elsewhere', () => {
    for (const s of personas.sets.uk.segments) expect(s.prompt).not.toMatch(/Britain|British|United Kingdom|England|UK\b/);
    const country = { us: 'the United States', fr: 'France', de: 'Germany', pl: 'Poland' } as const;
    for (const [id, name] of Object.entries(country) as [keyof typeof country, string][]) {
      for (const s of personas.sets[id].segments) expect(s.prompt.startsWith(`You live in ${name}`)).toBe(true);
    }
  });

  it('uses the paper’s names where it gives them and null elsewhere', () => {
    expect(personas.sets.us.segments.map((s) => s.name)).toEqual(US_NAMES);
    expect(personas.sets.pl.segments.map((s) => s.name)).toEqual(PL_NAMES);
    expect(personas.sets.fr.segments.every((s) => s.name === null)).toBe(true);
    expect(personas.sets.de.segments.every((s) => s.name === null)).toBe(true);
    for (const id of PERSONA_SET_IDS) for (const s of personas.sets[id].segments) expect(s.populationShare).toBeNull();
  });

  it('reflects every listed trait in its prompt (every set)', () => {
    for (const id of PERSONA_SET_IDS) {
      for (const s of personas.sets[id].segments) {
        const prompt = s.prompt.toLowerCase();
        for (const trait of s.traits) {
          const words = trait.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !STOP.has(w));
          expect(words.length, `${id} ${s.id}: "${trait}" has no content word`).toBeGreaterThan(0);
          expect(words.some((w) => prompt.includes(w.slice(0, 5))), `${id} ${s.id}: "${trait}" not in prompt`).toBe(true);
        }
      }
    }
  });

  it('fails loudly on a malformed edit', () => {
    const short: any = structuredClone(personasJson);
    short.sets.fr.segments.pop();
    expect(() => parsePersonas(short)).toThrow(/fr has 5 segments, expected 6/);
    const empty: any = structuredClone(personasJson);
    empty.sets.uk.segments[2].prompt = '  ';
    expect(() => parsePersonas(empty)).toThrow();
    const renumbered: any = structuredClone(personasJson);
    renumbered.sets.us.segments[1].id = 'S3';
    expect(() => parsePersonas(renumbered)).toThrow(/segment 2 has id S3/);
  });
});
