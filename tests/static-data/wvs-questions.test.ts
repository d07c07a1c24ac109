/** Integrity of static-data/wvs/questions.json (through its validating loader). */
import { describe, expect, test } from 'vitest';
import questionsJson from '../../static-data/wvs/questions.json';
import {
  DVMAP_CROSS_VALUE_QUESTIONS,
  DVMAP_TRAIN_QUESTIONS,
  SCALE_SIZES,
  TEN_POINT_COLLAPSE,
  WVS_MISSING_CODES,
  WVS_QUESTIONS,
  dvmapOptions,
  parseWvsQuestionFile,
  wvsQuestion,
} from '../../src/sources/wvs/question-metadata.ts';

const TRAIN = ['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q27', 'Q29', 'Q36', 'Q46', 'Q49', 'Q50', 'Q60', 'Q69', 'Q112', 'Q131'];
const CROSS_VALUE = ['Q8', 'Q9', 'Q37', 'Q61', 'Q70', 'Q113', 'Q132'];

/** DVMap's released `Options` strings for its 16 training questions (one comma-joined string each). */
const DVMAP_OPTIONS: Record<string, string> = {
  Q1: 'Very important, Rather important, Not very important, Not at all important',
  Q2: 'Very important, Rather important, Not very important, Not at all important',
  Q3: 'Very important, Rather important, Not very important, Not at all important',
  Q4: 'Very important, Rather important, Not very important, Not at all important',
  Q5: 'Very important, Rather important, Not very important, Not at all important',
  Q6: 'Very important, Rather important, Not very important, Not at all important',
  Q27: 'Strongly agree, Agree, Disagree, Strongly disagree',
  Q29: 'Strongly agree, Agree, Disagree, Strongly disagree',
  Q36: 'Agree strongly, Agree, Neither agree nor disagree, Disagree, Disagree strongly',
  Q46: 'Very happy, Rather happy, Not very happy, Not at all happy',
  Q49: 'Low, Medium, High',
  Q50: 'Low, Medium, High',
  Q60: 'Trust completely, Trust somewhat, Do not trust very much, Do not trust at all',
  Q69: 'A great deal, Quite a lot, Not very much, None at all',
  Q112: 'Low, Medium, High',
  Q131: 'Very secure, Quite secure, Not very secure, Not at all secure',
};

describe('questions.json', () => {
  test('has all 23 DVMap questions, split as in the paper', () => {
    expect(new Set(WVS_QUESTIONS.map((q) => q.code))).toEqual(new Set([...TRAIN, ...CROSS_VALUE]));
    expect([...DVMAP_TRAIN_QUESTIONS].sort()).toEqual([...TRAIN].sort());
    expect([...DVMAP_CROSS_VALUE_QUESTIONS].sort()).toEqual([...CROSS_VALUE].sort());
  });

  test('is in questionnaire order', () => {
    const numbers = WVS_QUESTIONS.map((q) => Number(q.code.slice(1)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  test('options are in code order 1..K, with K fixed by the scale kind', () => {
    for (const q of WVS_QUESTIONS) {
      expect(q.options.map((o) => o.code), q.code).toEqual(Array.from({ length: SCALE_SIZES[q.scale] }, (_, i) => i + 1));
      expect(q.ordinal, q.code).toBe(q.scale !== 'binary');
      const labels = q.options.flatMap((o) => [o.label, ...(o.aliases ?? [])].map((l) => l.toLowerCase()));
      expect(new Set(labels).size, `${q.code}: labels and aliases are distinct`).toBe(labels.length);
    }
  });

  test('scale kinds are consistent across related questions', () => {
    const scale = (code: string) => wvsQuestion(code).scale;
    for (const code of ['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q27', 'Q29', 'Q46', 'Q60', 'Q61', 'Q69', 'Q70', 'Q113', 'Q131', 'Q132']) {
      expect(scale(code), code).toBe('likert-4');
    }
    for (const code of ['Q36', 'Q37']) expect(scale(code), code).toBe('agree-5');
    for (const code of ['Q49', 'Q50', 'Q112']) expect(scale(code), code).toBe('ten-point');
    for (const code of ['Q8', 'Q9']) {
      expect(scale(code), code).toBe('binary');
      expect(wvsQuestion(code).selection).toBe('mentioned');
      expect(wvsQuestion(code).options.map((o) => o.label)).toEqual(['Important', 'Not mentioned']);
    }
    // Semantic neighbours share their option lists.
    for (const [a, b] of [['Q60', 'Q61'], ['Q69', 'Q70'], ['Q36', 'Q37'], ['Q27', 'Q29'], ['Q49', 'Q50'], ['Q1', 'Q6']] as const) {
      expect(wvsQuestion(a).options, `${a}/${b}`).toEqual(wvsQuestion(b).options);
    }
  });

  test("training questions' options match DVMap's released strings", () => {
    for (const [code, joined] of Object.entries(DVMAP_OPTIONS)) {
      expect(dvmapOptions(wvsQuestion(code)).join(', '), code).toBe(joined);
    }
  });

  test('1-10 questions collapse 1-3 / 4-7 / 8-10 to Low / Medium / High', () => {
    expect(TEN_POINT_COLLAPSE.bins).toEqual([
      { label: 'Low', from: 1, to: 3 },
      { label: 'Medium', from: 4, to: 7 },
      { label: 'High', from: 8, to: 10 },
    ]);
    expect(TEN_POINT_COLLAPSE.rationale.length).toBeGreaterThan(100);
    for (const q of WVS_QUESTIONS) {
      if (q.scale === 'ten-point') {
        expect(q.collapse, q.code).toEqual({ labels: TEN_POINT_COLLAPSE.labels, bins: TEN_POINT_COLLAPSE.bins });
        expect(q.options[0]?.label).toMatch(/^1: /);
        expect(q.options[9]?.label).toMatch(/^10: /);
      } else expect(q.collapse, q.code).toBeUndefined();
    }
  });

  test('texts read as questions, distinct per question', () => {
    const texts = WVS_QUESTIONS.map((q) => q.text);
    expect(new Set(texts).size).toBe(texts.length);
    for (const q of WVS_QUESTIONS) expect(q.text, q.code).toMatch(/[?.]$/);
  });

  test('lists the WVS missing codes', () => {
    const codes = WVS_MISSING_CODES.map((m) => m.code);
    for (const code of [-1, -2, -4, -5]) expect(codes).toContain(code);
    expect(WVS_MISSING_CODES.find((m) => m.code === -1)?.label).toBe("Don't know");
    expect(WVS_MISSING_CODES.find((m) => m.code === -2)?.label).toBe('No answer');
  });
});

describe('the loader rejects inconsistent metadata', () => {
  const base = () => structuredClone(questionsJson) as { questions: { code: string; options: { code: number; label: string }[]; scale: string; ordinal: boolean }[] };

  test('options out of code order', () => {
    const doc = base();
    const q = doc.questions[0]!;
    q.options = [...q.options].reverse();
    expect(() => parseWvsQuestionFile(doc)).toThrow(/code order/);
  });

  test('a scale kind that does not fit the options', () => {
    const doc = base();
    doc.questions[0]!.scale = 'agree-5';
    expect(() => parseWvsQuestionFile(doc)).toThrow(/needs 5 options/);
  });

  test('a duplicated question', () => {
    const doc = base();
    doc.questions.push(structuredClone(doc.questions[0]!));
    expect(() => parseWvsQuestionFile(doc)).toThrow(/duplicate question Q1/);
  });

  test('a collapse that leaves a gap', () => {
    const doc = structuredClone(questionsJson) as unknown as { tenPointCollapse: { bins: { from: number }[] } };
    doc.tenPointCollapse.bins[1]!.from = 5;
    expect(() => parseWvsQuestionFile(doc)).toThrow(/cover 1..10/);
  });
});
