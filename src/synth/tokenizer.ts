/**
 * The synthetic model's tokenizer: a byte-level BPE in the Hugging Face `tokenizer.json`
 * format with ChatML special tokens and chat template (the Qwen2 convention), so
 * transformers.js loads it exactly as it loads a real model's tokenizer.
 */
import { byteToChar } from './byte-level.ts';
import { trainBpe } from './bpe-trainer.ts';
import { SYNTHETIC_TOKENIZER_CORPUS } from './corpus.ts';

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

/** ChatML: system (optional), user and assistant turns; generation prompt opens an assistant turn. */
export const CHATML_TEMPLATE =
  "{%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}";

export interface SyntheticTokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  vocabSize: number;
  ids: { endoftext: number; imStart: number; imEnd: number };
}

/** Smallest vocabulary the synthetic tokenizer can have: 256 bytes, 26 label merges, the special tokens. */
export const MIN_SYNTHETIC_VOCAB = 256 + 26 + SPECIAL_TOKENS.length;

export function buildTokenizer(vocabSize: number): SyntheticTokenizerFiles {
  const minimum = MIN_SYNTHETIC_VOCAB;
  if (!Number.isInteger(vocabSize) || vocabSize < minimum) {
    throw new RangeError(`vocab size must be an integer of at least ${minimum} (256 bytes, 26 label merges, 3 special tokens); got ${vocabSize}`);
  }
  const space = byteToChar()[32]!;
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
  const merges = trainBpe(SYNTHETIC_TOKENIZER_CORPUS, {
    forcedMerges: letters.map((l): [string, string] => [space, l]),
    maxMerges: vocabSize - 256 - SPECIAL_TOKENS.length,
    minFrequency: 2,
  });

  const vocab: Record<string, number> = {};
  let next = 0;
  for (const ch of byteToChar()) vocab[ch] = next++;
  const keptMerges: string[] = [];
  for (const [left, right] of merges) {
    const token = left + right;
    if (vocab[token] === undefined) vocab[token] = next++;
    keptMerges.push(`${left} ${right}`);
  }
  const firstSpecial = vocabSize - SPECIAL_TOKENS.length;
  for (let r = 0; next < firstSpecial; r++) vocab[`<|reserved_${r}|>`] = next++;

  const addedTokens = SPECIAL_TOKENS.map((content, i) => ({
    id: firstSpecial + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  for (const t of addedTokens) vocab[t.content] = t.id;

  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: true };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: keptMerges,
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'Qwen2Tokenizer',
    add_bos_token: false,
    add_prefix_space: false,
    bos_token: null,
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: null,
    errors: 'replace',
    clean_up_tokenization_spaces: false,
    model_max_length: 32768,
    split_special_tokens: false,
    chat_template: CHATML_TEMPLATE,
    added_tokens_decoder: Object.fromEntries(addedTokens.map(({ id, ...rest }) => [String(id), rest])),
  };
  return {
    tokenizerJson,
    tokenizerConfig,
    vocabSize,
    ids: { endoftext: firstSpecial, imStart: firstSpecial + 1, imEnd: firstSpecial + 2 },
  };
}
