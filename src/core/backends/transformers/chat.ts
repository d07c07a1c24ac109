/**
 * Chat prompts -> model text through the tokenizer's own chat template. Templates without a
 * system role (Gemma's raise an error on one) get the system text merged into the user turn,
 * and the run record says so.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { ChatPrompt } from '../backend.ts';

export type SystemRole = 'system' | 'merged-into-user';

export interface ChatFormatter {
  systemRole: SystemRole;
  format(prompt: ChatPrompt): string;
}

export function createChatFormatter(
  tokenizer: PreTrainedTokenizer,
  options: { templateKwargs?: Record<string, unknown>; systemRole?: SystemRole } = {},
): ChatFormatter {
  const apply = (messages: Array<{ role: string; content: string }>) =>
    tokenizer.apply_chat_template(messages, {
      tokenize: false,
      add_generation_prompt: true,
      ...(options.templateKwargs ?? {}),
    }) as string;

  let systemRole: SystemRole = options.systemRole ?? 'system';
  if (!options.systemRole) {
    try {
      const probe = apply([
        { role: 'system', content: '\u0001SYSTEM\u0001' },
        { role: 'user', content: 'Q' },
      ]);
      if (!probe.includes('\u0001SYSTEM\u0001')) systemRole = 'merged-into-user';
    } catch {
      systemRole = 'merged-into-user';
    }
  }

  return {
    systemRole,
    format(prompt) {
      if (!prompt.system) return apply([{ role: 'user', content: prompt.user }]);
      if (systemRole === 'system') {
        return apply([
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ]);
      }
      return apply([{ role: 'user', content: `${prompt.system}\n\n${prompt.user}` }]);
    },
  };
}
