/**
 * WVS Wave 7 respondent variables (country, sex, age, education, income step, religion, ...) and
 * the attributes derived from them: DVMap's life stage, income bracket and parenthood, and the age
 * groups we use for seed 002's subgroups. The data lives in `static-data/wvs/variables.json`
 * (codes and labels only) and is validated here on load. Missing-value codes are listed once, in
 * `question-metadata.ts` (`WVS_MISSING_CODES`); every negative code is missing.
 */
import { z } from 'zod';
import variablesJson from '../../../static-data/wvs/variables.json';
import { isMissingCode } from './question-metadata.ts';

const CodeSchema = z
  .object({ code: z.number().int().min(0), label: z.string().min(1), aliases: z.array(z.string().min(1)).optional() })
  .strict();

const VariableSchema = z
  .object({
    code: z.string().regex(/^(Q\d+|[A-Z][A-Z_]*)$/),
    label: z.string().min(1),
    /**
     * 'categorical': unordered codes; 'ordinal': ordered codes; 'numeric' and 'count': the value is
     * the quantity; 'country': an ISO alpha-3 string; 'country-specific': codes differ by country.
     */
    type: z.enum(['categorical', 'ordinal', 'numeric', 'count', 'country', 'country-specific']),
    codes: z.array(CodeSchema).min(1).optional(),
    unit: z.string().optional(),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const needsCodes = v.type === 'categorical' || v.type === 'ordinal';
    if (needsCodes && !v.codes) ctx.addIssue({ code: 'custom', message: `${v.code}: ${v.type} variables list their codes` });
    if ((v.type === 'country' || v.type === 'country-specific' || v.type === 'numeric') && v.codes) {
      ctx.addIssue({ code: 'custom', message: `${v.code}: ${v.type} variables have no fixed code list` });
    }
    const codes = v.codes?.map((c) => c.code) ?? [];
    if (codes.some((c, i) => i > 0 && c <= (codes[i - 1] ?? -Infinity))) {
      ctx.addIssue({ code: 'custom', message: `${v.code}: codes must be listed in increasing order without repeats` });
    }
  });

/** A half-open range [min, max) on a numeric variable; a missing end is unbounded. */
const BinSchema = z.object({ label: z.string().min(1), min: z.number().optional(), max: z.number().optional() }).strict();

const BinnedSchema = z
  .object({ source: z.string(), by: z.string(), note: z.string(), bins: z.array(BinSchema).min(2) })
  .strict()
  .superRefine((d, ctx) => {
    d.bins.forEach((bin, i) => {
      const prev = d.bins[i - 1];
      if (prev && prev.max !== bin.min) ctx.addIssue({ code: 'custom', message: `bin ${bin.label} must start where ${prev.label} ends` });
      if (bin.min !== undefined && bin.max !== undefined && bin.max <= bin.min) ctx.addIssue({ code: 'custom', message: `bin ${bin.label} is empty` });
    });
  });

export const WvsVariableFileSchema = z
  .object({
    $comment: z.string().optional(),
    wave: z.literal(7),
    variables: z.array(VariableSchema).min(1),
    derived: z
      .object({
        lifeStage: BinnedSchema,
        incomeBracket: BinnedSchema,
        ageGroup: BinnedSchema,
        parenthood: z
          .object({ source: z.string(), by: z.string(), note: z.string(), labels: z.object({ yes: z.string().min(1), no: z.string().min(1) }).strict() })
          .strict(),
      })
      .strict(),
    dvmapAttributes: z.array(
      z.object({ attribute: z.string().min(1), source: z.string().min(1), values: z.string(), derived: z.string().optional() }).strict(),
    ),
    dvmapMissingLabel: z.string().min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const known = new Set(file.variables.map((v) => v.code));
    if (known.size !== file.variables.length) ctx.addIssue({ code: 'custom', message: 'duplicate variable codes' });
    const sources = [...Object.values(file.derived).map((d) => d.source), ...file.dvmapAttributes.map((a) => a.source)];
    for (const source of sources) if (!known.has(source)) ctx.addIssue({ code: 'custom', message: `unknown source variable ${source}` });
    for (const a of file.dvmapAttributes) {
      if (a.derived !== undefined && !(a.derived in file.derived)) ctx.addIssue({ code: 'custom', message: `unknown derived attribute ${a.derived}` });
    }
  });

export type WvsVariableFile = z.infer<typeof WvsVariableFileSchema>;
export type WvsVariable = z.infer<typeof VariableSchema>;
export type Bin = z.infer<typeof BinSchema>;

/** Validates a variables document (the shape of `static-data/wvs/variables.json`). */
export function parseWvsVariableFile(json: unknown): WvsVariableFile {
  return WvsVariableFileSchema.parse(json);
}

const FILE = parseWvsVariableFile(variablesJson);

/** The respondent variables with metadata. */
export const WVS_VARIABLES: readonly WvsVariable[] = FILE.variables;
/** The derived-attribute definitions (bins and labels), as data. */
export const WVS_DERIVED = FILE.derived;
/** Which WVS variable each of DVMap's 11 profile attributes comes from. */
export const DVMAP_ATTRIBUTES = FILE.dvmapAttributes;
/** The value DVMap's release shows for a missing attribute. */
export const DVMAP_MISSING_LABEL = FILE.dvmapMissingLabel;

const BY_CODE = new Map(WVS_VARIABLES.map((v) => [v.code, v]));

/** The metadata of one variable ("Q275"); throws for a variable we have no metadata for. */
export function wvsVariable(code: string): WvsVariable {
  const v = BY_CODE.get(code.trim().toUpperCase());
  if (!v) throw new RangeError(`no WVS-7 metadata for variable ${JSON.stringify(code)}; known: ${[...BY_CODE.keys()].join(', ')}`);
  return v;
}

/** The label of a coded value, or undefined (missing, out of range, or a variable without a code list). */
export function variableLabel(code: string, value: number): string | undefined {
  return wvsVariable(code).codes?.find((c) => c.code === value)?.label;
}

/** The label of the bin holding `value`, or undefined when the value is missing or in no bin. */
export function binLabel(bins: readonly Bin[], value: number): string | undefined {
  if (isMissingCode(value)) return undefined;
  return bins.find((b) => (b.min === undefined || value >= b.min) && (b.max === undefined || value < b.max))?.label;
}

/** DVMap's life stage for an age (Q262): <18, [18,35), [35,51), [51,65), >=65. */
export function lifeStage(age: number): string | undefined {
  return binLabel(WVS_DERIVED.lifeStage.bins, age);
}

/** DVMap's income bracket for an income step (Q288 1-10): 1-3 low, 4-7 middle, 8-10 high. */
export function incomeBracket(step: number): string | undefined {
  if (!isMissingCode(step) && (step < 1 || step > 10)) return undefined;
  return binLabel(WVS_DERIVED.incomeBracket.bins, step);
}

/** The seed-002 age group for an age: 18-34, 35-54, 55+; undefined under 18 or when missing. */
export function ageGroup(age: number): string | undefined {
  return binLabel(WVS_DERIVED.ageGroup.bins, age);
}

/** DVMap's parenthood attribute from the number of children (Q274). */
export function parenthood(children: number): string | undefined {
  if (isMissingCode(children)) return undefined;
  return children > 0 ? WVS_DERIVED.parenthood.labels.yes : WVS_DERIVED.parenthood.labels.no;
}
