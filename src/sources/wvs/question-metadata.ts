/**
 * WVS Wave 7 question metadata: wording, option codes in code order, scale kind and, for the 1-10
 * items, the Low/Medium/High collapse DVMap uses. The data lives in `static-data/wvs/questions.json`
 * (our paraphrases of the master questionnaire; no response data) and is validated here on load.
 *
 * Covers the 23 DVMap questions: 16 training questions (Q1-Q6, Q27, Q29, Q36, Q46, Q49, Q50, Q60,
 * Q69, Q112, Q131) and 7 cross-value questions (Q8, Q9, Q37, Q61, Q70, Q113, Q132).
 */
import { z } from 'zod';
import questionsJson from '../../../static-data/wvs/questions.json';

/** How a question's answers are laid out; each kind fixes the number of options. */
export const SCALE_SIZES = {
  /** Four ordered points (importance, agreement, happiness, trust, confidence, frequency, ...). */
  'likert-4': 4,
  /** Agree strongly / agree / neither / disagree / disagree strongly. */
  'agree-5': 5,
  /** A 1-10 rating scale with labelled end points. */
  'ten-point': 10,
  /** Two unordered codes, e.g. "mentioned" / "not mentioned" in a choose-up-to-five battery. */
  binary: 2,
} as const;
export type ScaleKind = keyof typeof SCALE_SIZES;

const ScaleKindSchema = z.enum(Object.keys(SCALE_SIZES) as [ScaleKind, ...ScaleKind[]]);

const OptionSchema = z
  .object({
    code: z.number().int(),
    label: z.string().min(1),
    /** Other wordings of the same answer seen in sources (codebook labels, DVMap strings). */
    aliases: z.array(z.string().min(1)).optional(),
  })
  .strict();

const CollapseBinSchema = z.object({ label: z.string().min(1), from: z.number().int(), to: z.number().int() }).strict();

const CollapseSchema = z
  .object({ labels: z.array(z.string().min(1)).min(2), bins: z.array(CollapseBinSchema).min(2) })
  .strict()
  .superRefine((c, ctx) => {
    if (c.bins.map((b) => b.label).join('\u0000') !== c.labels.join('\u0000')) {
      ctx.addIssue({ code: 'custom', message: 'bin labels must equal `labels`, in order' });
    }
    let next = 1;
    for (const bin of c.bins) {
      if (bin.from !== next || bin.to < bin.from) {
        ctx.addIssue({ code: 'custom', message: `bins must cover 1..10 in order without gaps or overlaps (bin ${bin.label})` });
      }
      next = bin.to + 1;
    }
    if (next !== 11) ctx.addIssue({ code: 'custom', message: 'bins must end at 10' });
  });

const QuestionSchema = z
  .object({
    code: z.string().regex(/^Q\d+[A-Z]?$/),
    section: z.string().min(1),
    /** A short name for what is measured. */
    concept: z.string().min(1),
    /** For battery items: the item's own words ("Independence"). */
    item: z.string().min(1).optional(),
    /** The question as a respondent would read it (a close paraphrase of the master questionnaire). */
    text: z.string().min(1),
    /** In code order: `options[i].code === i + 1`. */
    options: z.array(OptionSchema).min(2),
    ordinal: z.boolean(),
    scale: ScaleKindSchema,
    /** Set for choose-up-to-N batteries: code 1 means the item was mentioned (chosen). */
    selection: z.literal('mentioned').optional(),
    /** For 1-10 items: DVMap's Low/Medium/High collapse. */
    collapse: CollapseSchema.optional(),
    /** Where DVMap uses the question. */
    dvmap: z.enum(['train', 'cross-value']).optional(),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    q.options.forEach((o, i) => {
      if (o.code !== i + 1) ctx.addIssue({ code: 'custom', message: `${q.code}: option ${i} has code ${o.code}, expected ${i + 1} (code order)` });
    });
    if (q.options.length !== SCALE_SIZES[q.scale]) {
      ctx.addIssue({ code: 'custom', message: `${q.code}: scale ${q.scale} needs ${SCALE_SIZES[q.scale]} options, has ${q.options.length}` });
    }
    if (q.ordinal === (q.scale === 'binary')) {
      ctx.addIssue({ code: 'custom', message: `${q.code}: ${q.scale} questions are ${q.scale === 'binary' ? 'not ' : ''}ordinal` });
    }
    if ((q.scale === 'ten-point') !== (q.collapse !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `${q.code}: exactly the ten-point questions carry a collapse` });
    }
    if (q.selection !== undefined && q.scale !== 'binary') {
      ctx.addIssue({ code: 'custom', message: `${q.code}: only binary questions are selection items` });
    }
  });

const MissingCodeSchema = z.object({ code: z.number().int().negative(), label: z.string().min(1) }).strict();

export const WvsQuestionFileSchema = z
  .object({
    $comment: z.string().optional(),
    wave: z.literal(7),
    missingCodes: z.array(MissingCodeSchema).min(1),
    tenPointCollapse: CollapseSchema.and(z.object({ rationale: z.string().min(1) })),
    questions: z.array(QuestionSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const q of file.questions) {
      if (seen.has(q.code)) ctx.addIssue({ code: 'custom', message: `duplicate question ${q.code}` });
      seen.add(q.code);
    }
  });

export type WvsQuestionFile = z.infer<typeof WvsQuestionFileSchema>;
export type WvsQuestion = z.infer<typeof QuestionSchema>;
export type WvsOption = z.infer<typeof OptionSchema>;
export type TenPointCollapse = z.infer<typeof CollapseSchema>;
export interface MissingCode {
  code: number;
  label: string;
}

/** Validates a question-metadata document (the shape of `static-data/wvs/questions.json`). */
export function parseWvsQuestionFile(json: unknown): WvsQuestionFile {
  return WvsQuestionFileSchema.parse(json);
}

const FILE = parseWvsQuestionFile(questionsJson);

/** Every question with metadata, in questionnaire order. */
export const WVS_QUESTIONS: readonly WvsQuestion[] = FILE.questions;

/**
 * WVS's negative missing-value codes, in one place: -1 don't know, -2 no answer, -3 not applicable,
 * -4 not asked in this country's survey, -5 missing (not available). Any negative code is missing.
 */
export const WVS_MISSING_CODES: readonly MissingCode[] = FILE.missingCodes;

/** True for WVS missing-value codes (every negative code) and for non-integers, which are never answers. */
export function isMissingCode(value: number): boolean {
  return !Number.isInteger(value) || value < 0;
}

/** The label of a missing code ("Don't know"), or undefined when `code` is not one of them. */
export function missingCodeLabel(code: number): string | undefined {
  return WVS_MISSING_CODES.find((m) => m.code === code)?.label;
}

/** The default 1-10 collapse, 1-3 Low / 4-7 Medium / 8-10 High; see `rationale`. */
export const TEN_POINT_COLLAPSE: TenPointCollapse & { rationale: string } = FILE.tenPointCollapse;

const BY_CODE = new Map(WVS_QUESTIONS.map((q) => [q.code, q]));

/** DVMap's 16 training questions, in questionnaire order. */
export const DVMAP_TRAIN_QUESTIONS: readonly string[] = WVS_QUESTIONS.filter((q) => q.dvmap === 'train').map((q) => q.code);
/** DVMap's 7 cross-value (held-out) questions, in questionnaire order. */
export const DVMAP_CROSS_VALUE_QUESTIONS: readonly string[] = WVS_QUESTIONS.filter((q) => q.dvmap === 'cross-value').map((q) => q.code);

/** The metadata of one question ("Q49"); throws for a question we have no metadata for. */
export function wvsQuestion(code: string): WvsQuestion {
  const q = BY_CODE.get(code.trim().toUpperCase());
  if (!q) throw new RangeError(`no WVS-7 metadata for question ${JSON.stringify(code)}; known: ${[...BY_CODE.keys()].join(', ')}`);
  return q;
}

/** True when metadata exists for the question. */
export function hasWvsQuestion(code: string): boolean {
  return BY_CODE.has(code.trim().toUpperCase());
}

/** The label for an answer code, or undefined for a missing or out-of-range code. */
export function optionLabel(question: WvsQuestion, code: number): string | undefined {
  return question.options.find((o) => o.code === code)?.label;
}

const squash = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** The code whose label or alias matches `label` (case- and spacing-insensitive), or undefined. */
export function codeForLabel(question: WvsQuestion, label: string): number | undefined {
  const want = squash(label);
  return question.options.find((o) => squash(o.label) === want || (o.aliases ?? []).some((a) => squash(a) === want))?.code;
}

/**
 * The collapsed label ("Low", "Medium", "High") of a 1-10 answer, or undefined for a missing code.
 * Throws for a value outside the bins (a valid answer is an integer 1..10).
 */
export function collapseTenPoint(value: number, collapse: TenPointCollapse = TEN_POINT_COLLAPSE): string | undefined {
  if (isMissingCode(value)) return undefined;
  const bin = collapse.bins.find((b) => value >= b.from && value <= b.to);
  if (!bin) throw new RangeError(`${value} is not on the 1-10 scale`);
  return bin.label;
}

/**
 * The options as DVMap presents them: the collapsed labels for 1-10 questions, else the option
 * labels in code order.
 */
export function dvmapOptions(question: WvsQuestion): string[] {
  return question.collapse ? [...question.collapse.labels] : question.options.map((o) => o.label);
}
