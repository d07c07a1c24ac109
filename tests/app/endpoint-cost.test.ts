import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { endpointCost, PERSONA_TOKENS, QUESTION_TOKENS } from '../../src/app/lib/endpoint-cost.ts';
import { mean, measurePromptShape } from '../../bench/prompt-shape-measure.ts';
import { ROLEPLAY_CHOICES } from '../../src/suites/fair-pp/meta.ts';

// Expected values by hand from the constants' measured figures (bench/prompt-shape.ts): 120 tokens
// a question, plus uk 248, us 142, fr 177, de 183, pl 249 with a persona; persona counts are those
// of static-data/fair-pp/personas.json (uk 7, us 7, fr 6, de 6, pl 7).
const base = { limit: 300, rotations: 1, mode: 'likelihood' as const, samples: 1, roleplay: 'none' };

describe('endpoint cost', () => {
  it('rests on the token counts bench/prompt-shape.ts measures (with the committed tiny model, whose tokenizer counts these prompts as the Qwen2.5 shape does)', async () => {
    const shape = await measurePromptShape(fileURLToPath(new URL('../../public/models/synthetic-tiny', import.meta.url)));
    expect(mean(shape.prompt)).toBeCloseTo(383.125, 9);
    expect(Math.round(mean(shape.withoutPersona))).toBe(QUESTION_TOKENS);
    for (const [set, adds] of Object.entries(shape.persona)) expect(Math.round(mean(adds)), set).toBe(PERSONA_TOKENS[set as keyof typeof PERSONA_TOKENS]);
  });

  it('counts one request per item without role-play', () => {
    // 300 x 120 = 36,000
    expect(endpointCost(base)).toEqual({ requests: 300, promptTokens: 36_000, personas: 0 });
  });

  it('does not multiply the requests by the personas: the sample is of question x persona items', () => {
    // 300 items x 2 rotations = 600 requests; 600 x (120 + 248) = 220,800 tokens
    expect(endpointCost({ ...base, roleplay: 'uk', rotations: 2 })).toEqual({ requests: 600, promptTokens: 220_800, personas: 7 });
  });

  it('sends a generation once per sample, at most', () => {
    // 10 x 5 = 50 requests; 50 x (120 + 177) = 14,850
    expect(endpointCost({ ...base, limit: 10, mode: 'generate', samples: 5, roleplay: 'fr' })).toEqual({ requests: 50, promptTokens: 14_850, personas: 6 });
    // Likelihood asks once whatever the samples setting; generation at least once.
    expect(endpointCost({ ...base, limit: 10, samples: 5 }).requests).toBe(10);
    expect(endpointCost({ ...base, limit: 10, mode: 'generate', samples: 0 }).requests).toBe(10);
  });

  it('takes each set\'s persona count from the persona data and its own token figure', () => {
    // 1 x (120 + 142) = 262; 1 x (120 + 183) = 303; 1 x (120 + 249) = 369
    expect(endpointCost({ ...base, limit: 1, roleplay: 'us' })).toEqual({ requests: 1, promptTokens: 262, personas: 7 });
    expect(endpointCost({ ...base, limit: 1, roleplay: 'de' })).toEqual({ requests: 1, promptTokens: 303, personas: 6 });
    expect(endpointCost({ ...base, limit: 1, roleplay: 'pl' })).toEqual({ requests: 1, promptTokens: 369, personas: 7 });
  });

  it('has a token figure for every persona set the suites offer, and refuses an unknown set', () => {
    expect(Object.keys(PERSONA_TOKENS).sort()).toEqual(ROLEPLAY_CHOICES.filter((c) => c !== 'none').sort());
    expect(() => endpointCost({ ...base, roleplay: 'xx' })).toThrow(/persona set/);
  });
});
