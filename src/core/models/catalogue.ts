/**
 * The curated model catalogue (`static-data/models.json`), validated with zod at import time.
 *
 * Every entry names a Hub repository whose `onnx/` folder transformers.js loads, the dtypes confirmed
 * to exist there (with approximate download sizes), which dtype to use on WebGPU and on WASM, and the
 * chat-template facts the prompt builder needs (system role, extra template arguments). What was
 * confirmed, how and when is recorded per entry in `verified`; `checkAgainstHub` re-checks the
 * files, sizes and gated flag against the live Hub API.
 */
import { z } from 'zod';
import rawCatalogue from '../../../static-data/models.json';
import { DTYPES, MAX_EXTERNAL_DATA_CHUNKS, dtypeFiles, modelFileName, usesFp16, type Dtype } from './dtypes.ts';

export { checkAgainstHub, HubCheckError } from './hub-check.ts';
export type { HubCheckOptions, HubCheckResult, DtypeCheck, FileCheck, HubFetch, HubFetchResponse } from './hub-check.ts';
export { DTYPES, modelFileName, externalDataFileNames, usesFp16, type Dtype } from './dtypes.ts';

export const CATALOGUE_VERSION = 1;

const DtypeSchema = z.enum(DTYPES);

/** One dtype's weights: the graph file in `onnx/` and how many external-data chunks follow it. */
export const DtypeFileSchema = z
  .object({
    /** File name inside `onnx/`, as transformers.js derives it from the dtype. */
    file: z.string().min(1),
    /** Approximate download size of the graph plus its data chunks, in bytes; null if unconfirmed. */
    bytes: z.number().int().positive().nullable(),
    /** Number of `<file>_data[_i]` chunks: the value to pass as `use_external_data_format`. */
    externalData: z.number().int().min(0).max(MAX_EXTERNAL_DATA_CHUNKS),
  })
  .strict();

const TemplateValue = z.union([z.string(), z.number(), z.boolean()]);

export const ModelEntrySchema = z
  .object({
    /** Hub repository id (`owner/name`) transformers.js loads. */
    id: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'a Hub id is owner/name'),
    label: z.string().min(1),
    family: z.string().min(1),
    /** Parameter count (as published, rounded). */
    parameters: z.number().positive(),
    /** SPDX id or the model's own licence name (llama3.2, gemma). */
    licence: z.string().min(1),
    licenceUrl: z.url(),
    /** Whether the Hub requires accepting terms / a token for this repository. */
    gated: z.boolean(),
    dtypes: z.partialRecord(DtypeSchema, DtypeFileSchema),
    /** Approximate size of tokenizer.json (the only non-weight file of note); null if unconfirmed. */
    tokenizerBytes: z.number().int().positive().nullable(),
    recommended: z
      .object({
        /** Best dtype on WebGPU with shader-f16 (pickDtype falls back without it). */
        webgpu: DtypeSchema,
        /** Best dtype on WASM; null when no listed dtype suits WASM. */
        wasm: DtypeSchema.nullable(),
      })
      .strict(),
    contextLength: z.number().int().positive(),
    chat: z
      .object({
        /** False when the template has no system role: personas go into the user turn. */
        systemRole: z.boolean(),
        /** Extra options for `tokenizer.apply_chat_template` (forwarded to the Jinja template). */
        templateKwargs: z.record(z.string(), TemplateValue),
        notes: z.string(),
      })
      .strict(),
    /** The upstream model this is a build of. */
    source: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
    verified: z
      .object({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        method: z.string().min(1),
        confirmed: z.array(z.string()).min(1),
        unverified: z.array(z.string()),
      })
      .strict(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const listed = Object.keys(entry.dtypes) as Dtype[];
    if (listed.length === 0) ctx.addIssue({ code: 'custom', path: ['dtypes'], message: 'at least one dtype' });
    for (const dtype of listed) {
      const file = entry.dtypes[dtype]?.file;
      const expected = modelFileName(dtype);
      if (file !== expected) {
        ctx.addIssue({ code: 'custom', path: ['dtypes', dtype, 'file'], message: `transformers.js loads ${expected} for ${dtype}, not ${file}` });
      }
    }
    const { webgpu, wasm } = entry.recommended;
    if (!entry.dtypes[webgpu]) ctx.addIssue({ code: 'custom', path: ['recommended', 'webgpu'], message: `${webgpu} is not listed in dtypes` });
    if (wasm !== null) {
      if (!entry.dtypes[wasm]) ctx.addIssue({ code: 'custom', path: ['recommended', 'wasm'], message: `${wasm} is not listed in dtypes` });
      if (usesFp16(wasm)) ctx.addIssue({ code: 'custom', path: ['recommended', 'wasm'], message: `${wasm} computes in fp16, which WASM only emulates` });
    }
  });

export const CatalogueSchema = z
  .object({
    version: z.literal(CATALOGUE_VERSION),
    notes: z.string().optional(),
    models: z.array(ModelEntrySchema).min(1),
  })
  .strict()
  .superRefine((catalogue, ctx) => {
    const seen = new Set<string>();
    catalogue.models.forEach((m, i) => {
      const key = m.id.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['models', i, 'id'], message: `duplicate id ${m.id}` });
      seen.add(key);
    });
  });

export type DtypeFile = z.infer<typeof DtypeFileSchema>;
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
export type Device = 'webgpu' | 'wasm';

/** Validates catalogue JSON; throws an Error listing every problem with its path. */
export function parseCatalogue(data: unknown): ModelEntry[] {
  const result = CatalogueSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid model catalogue:\n${lines.join('\n')}`);
  }
  return result.data.models;
}

/** The validated catalogue (validation runs once, when this module is first imported). */
export const CATALOGUE: readonly ModelEntry[] = Object.freeze(parseCatalogue(rawCatalogue));

/** The entry for a Hub id (case-insensitive, as the Hub resolves ids), or undefined. */
export function catalogueEntry(id: string): ModelEntry | undefined {
  const key = id.toLowerCase();
  return CATALOGUE.find((m) => m.id.toLowerCase() === key);
}

/** The dtypes an entry lists, in the order of `DTYPES`. */
export function listedDtypes(entry: ModelEntry): Dtype[] {
  return DTYPES.filter((d) => entry.dtypes[d] !== undefined);
}

export interface DtypeChoice {
  /** The dtype to load, or null when nothing listed can run on this device. */
  dtype: Dtype | null;
  /** Why this dtype (shown to the user and kept in the run record). */
  reason: string;
  /** True when the choice is a poor fit (fp16 compute on WASM): expect it to be slow or to fail. */
  degraded: boolean;
}

/** Fallback order when the recommended dtype is missing or unusable. */
const WEBGPU_F16_ORDER: readonly Dtype[] = ['q4f16', 'fp16', 'q4', 'fp32', 'q8', 'uint8', 'int8', 'bnb4'];
const WEBGPU_ORDER: readonly Dtype[] = ['q4', 'fp32', 'q8', 'uint8', 'int8', 'bnb4'];
const WASM_ORDER: readonly Dtype[] = ['q8', 'q4', 'uint8', 'int8', 'bnb4', 'fp32'];

/**
 * The best listed dtype for a device. WebGPU without `shader-f16` cannot run fp16 or q4f16 (ORT
 * rejects fp16 up front and q4f16 fails at run time), so those are skipped; WASM only emulates fp16,
 * so fp16-compute dtypes are a last resort there and flagged `degraded`.
 */
export function pickDtype(entry: ModelEntry, device: Device, shaderF16: boolean): DtypeChoice {
  const has = (d: Dtype | null): d is Dtype => d !== null && entry.dtypes[d] !== undefined;

  if (device === 'webgpu') {
    const rec = entry.recommended.webgpu;
    if (has(rec) && (shaderF16 || !usesFp16(rec))) {
      return { dtype: rec, reason: `${rec}: recommended for WebGPU${usesFp16(rec) ? ' (adapter has shader-f16)' : ''}`, degraded: false };
    }
    const order = shaderF16 ? WEBGPU_F16_ORDER : WEBGPU_ORDER;
    const pick = order.find(has);
    if (pick === undefined) {
      const only = listedDtypes(entry).join(', ');
      return { dtype: null, reason: `no dtype of ${entry.id} runs on WebGPU without shader-f16 (only ${only} is published)`, degraded: false };
    }
    const why = !shaderF16 && usesFp16(rec) ? `the adapter lacks shader-f16, so not ${rec}` : `${rec} is not available`;
    return { dtype: pick, reason: `${pick}: ${why}; next best on WebGPU`, degraded: false };
  }

  const rec = entry.recommended.wasm;
  if (has(rec)) return { dtype: rec, reason: `${rec}: recommended for WASM`, degraded: false };
  const pick = WASM_ORDER.find(has);
  if (pick !== undefined) return { dtype: pick, reason: `${pick}: best integer/fp32 build available for WASM`, degraded: false };
  const fallback = listedDtypes(entry).find(usesFp16) ?? null;
  if (fallback === null) return { dtype: null, reason: `no dtype of ${entry.id} suits WASM`, degraded: false };
  return {
    dtype: fallback,
    reason: `${fallback}: the only build listed; WASM emulates fp16, so expect it to be slow or to fail`,
    degraded: true,
  };
}

/**
 * Approximate download for one dtype: the ONNX graph, its external data and (when known) tokenizer.json.
 * Null when the weights' size is not confirmed. Config files (a few kB) are ignored.
 */
export function estimateDownloadBytes(entry: ModelEntry, dtype: Dtype): number | null {
  const weights = entry.dtypes[dtype];
  if (!weights) throw new RangeError(`${entry.id} does not list dtype ${dtype}`);
  if (weights.bytes === null) return null;
  return weights.bytes + (entry.tokenizerBytes ?? 0);
}

/** Paths (relative to the repository root) one dtype downloads from `onnx/`. */
export function weightFiles(entry: ModelEntry, dtype: Dtype): string[] {
  const weights = entry.dtypes[dtype];
  if (!weights) throw new RangeError(`${entry.id} does not list dtype ${dtype}`);
  return dtypeFiles(weights.file, weights.externalData).map((f) => `onnx/${f}`);
}

/** The `from_pretrained` options that select a dtype and its external-data chunks. */
export function loadOptions(entry: ModelEntry, dtype: Dtype): { dtype: Dtype; use_external_data_format?: number } {
  const weights = entry.dtypes[dtype];
  if (!weights) throw new RangeError(`${entry.id} does not list dtype ${dtype}`);
  return weights.externalData > 0 ? { dtype, use_external_data_format: weights.externalData } : { dtype };
}
