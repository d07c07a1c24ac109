/**
 * Training examples in TRL's conversational formats, one JSON object a line:
 *   SFT (sft, lora-sft)   {id, prompt: [messages], completion: [{role: assistant, content: "B"}]}
 *   WSFT                  the same plus weight (scaled to mean 1 over train) and tier (1..7)
 *   DPO                   {id, prompt, chosen: [assistant message], rejected: [assistant message]}
 *   WDPO                  the same plus weight and tier
 *   GRPO                  {id, prompt, answer (option text), answer_label, options, frequency?}
 * The answer of SFT/DPO is the option's letter, as the benchmark scores it.
 */
import type { Item } from '../core/items/item.ts';
import { renderPrompt, type PromptTemplate } from '../core/prompts/template.ts';
import type { Method } from './methods.ts';

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TrainingExample {
  item: Item;
  /** The option index to learn (source order). */
  answer: number;
  /** DPO: the option index to disprefer. */
  rejected?: number;
  tier?: number;
  /** Already scaled to mean 1 over the training split. */
  weight?: number;
  /** DVMap's `frequency` (a share in (0, 1]), carried for reward scaling. */
  frequency?: number;
}

export function promptMessages(template: PromptTemplate, item: Item): { messages: Message[]; labels: string[]; order: number[] } {
  const rendered = renderPrompt(template, item);
  const messages: Message[] = [...(rendered.system ? [{ role: 'system' as const, content: rendered.system }] : []), { role: 'user', content: rendered.user }];
  return { messages, labels: rendered.labels, order: rendered.order };
}

export function exampleRow(example: TrainingExample, method: Method, template: PromptTemplate): Record<string, unknown> {
  const { messages, labels } = promptMessages(template, example.item);
  const label = labels[example.answer]!;
  const weighted = method === 'wsft' || method === 'wdpo';
  const extra = weighted ? { weight: example.weight ?? 1, tier: example.tier ?? 1 } : {};
  switch (method) {
    case 'sft':
    case 'lora-sft':
    case 'wsft':
      return { id: example.item.id, prompt: messages, completion: [{ role: 'assistant', content: label }], ...extra };
    case 'dpo':
    case 'wdpo': {
      if (example.rejected === undefined) throw new Error(`example ${example.item.id} has no rejected answer`);
      return {
        id: example.item.id,
        prompt: messages,
        chosen: [{ role: 'assistant', content: label }],
        rejected: [{ role: 'assistant', content: labels[example.rejected]! }],
        ...extra,
      };
    }
    case 'grpo':
      return {
        id: example.item.id,
        prompt: messages,
        answer: example.item.options[example.answer]!,
        answer_label: label,
        options: example.item.options,
        ...(example.frequency !== undefined ? { frequency: example.frequency } : {}),
      };
  }
}

export function toJsonl(rows: Array<Record<string, unknown>>): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}
