/** Small hand-made items for engine tests (not from any dataset). */
import type { Item } from '../../src/core/items/item.ts';
import type { PromptTemplate } from '../../src/core/prompts/template.ts';

export const TEST_TEMPLATE: PromptTemplate = {
  id: 'test/plain',
  user: '{question}\n{options}\nAnswer with the letter of your choice.',
  option: '{label}. {text}',
  optionSeparator: '\n',
};

const PERSONAS = [
  'You are a retired teacher from a small town who values tradition, order and community.',
  'You are a young software developer in a big city who values independence and equal opportunity.',
];
const QUESTIONS = [
  ['How should public housing be allocated?', ['By need', 'By waiting time', 'By contribution', 'N/A']],
  ['Which matters more for a fair wage?', ['Effort', 'Results', 'N/A']],
  ['Should taxes on inheritance be raised?', ['Yes', 'No', 'N/A']],
  ['Who should decide how a town spends its budget?', ['Elected officials', 'All residents by vote', 'Experts', 'N/A']],
  ['How important is religion in your life?', ['Very important', 'Rather important', 'Not very important', 'Not at all important']],
] as const;

/** Every question under every persona, plus each question with no persona. */
export function testItems(): Item[] {
  const items: Item[] = [];
  const systems: Array<string | undefined> = [...PERSONAS, undefined];
  systems.forEach((system, s) => {
    QUESTIONS.forEach(([question, options], q) => {
      items.push({
        id: `t${s}-${q}`,
        question,
        options: [...options],
        fixedTail: options.at(-1) === 'N/A' ? 1 : 0,
        ...(system ? { system } : {}),
        meta: { persona: s, question: q },
        refs: {},
      });
    });
  });
  return items;
}
