import { describe, expect, it } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { buildTokenizer } from '../../src/synth/tokenizer.ts';
import { SYNTHETIC_ROOT } from '../helpers/node-reference.ts';

describe('synthetic tokenizer', () => {
  it('has exactly the requested vocabulary, specials last', () => {
    const t = buildTokenizer(1024);
    const vocab = (t.tokenizerJson.model as { vocab: Record<string, number> }).vocab;
    expect(Object.keys(vocab).length).toBe(1024);
    expect(new Set(Object.values(vocab)).size).toBe(1024);
    expect(t.ids).toEqual({ endoftext: 1021, imStart: 1022, imEnd: 1023 });
  });

  it('loads in transformers.js: option labels are single tokens with and without a space', async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = `${SYNTHETIC_ROOT}/`;
    const tok = await AutoTokenizer.from_pretrained('synthetic-tiny');
    for (const label of ['A', 'B', 'C', 'D', 'J']) {
      expect(tok.encode(label)).toHaveLength(1);
      expect(tok.encode(` ${label}`)).toHaveLength(1);
      expect(tok.decode(tok.encode(` ${label}`))).toBe(` ${label}`);
    }
    const text = tok.apply_chat_template(
      [
        { role: 'system', content: 'Persona.' },
        { role: 'user', content: 'Question?' },
      ],
      { tokenize: false, add_generation_prompt: true },
    );
    expect(text).toBe('<|im_start|>system\nPersona.<|im_end|>\n<|im_start|>user\nQuestion?<|im_end|>\n<|im_start|>assistant\n');
    const ids = tok.encode(text as string);
    expect(ids[0]).toBe(1022);
    // Learned merges make English shorter than its bytes, as a real tokenizer would.
    const sentence = 'Which criterion is fairer for the allocation of public resources?';
    expect(tok.encode(sentence).length).toBeLessThan(sentence.length / 2.5);
  });
});
