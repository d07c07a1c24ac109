/**
 * The run record: one versioned JSON format shared by the CLI, the web app and the training
 * bundle's server-side evaluation (`eval_server.py`). It holds everything needed to
 * recompute every metric (`pluralscope score`) and to say exactly how a number was made.
 *
 * The zod schema below is the source of truth; `schemas/run-record.schema.json` is generated
 * from it (`npm run schemas`) and a test keeps the two in step.
 */
import { z } from 'zod';

export const RUN_RECORD_FORMAT = 'pluralscope.run';
export const RUN_RECORD_VERSION = 1;

const Meta = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const Probability = z.number().min(0).max(1);

export const ItemResultSchema = z
  .object({
    id: z.string().min(1),
    /** Breakdown attributes, copied from the item. */
    meta: Meta,
    /** What the item is scored against (suite-specific). */
    refs: z.record(z.string(), z.unknown()),
    /** The question stem (so the prompt can be shown again with the record's template). */
    question: z.string().optional(),
    /** Key of the item's system prompt in the record's `systemPrompts` (a persona, instructions). */
    system: z.string().optional(),
    /** Option texts in the source's order (distribution indexes these). */
    options: z.array(z.string()).min(1),
    /** Probability of each option, in the source's order; null when no answer could be read. */
    distribution: z.array(Probability).nullable(),
    /** Likelihood mode: probability mass the model put on the option labels before renormalising. */
    labelMass: z.number().min(0).max(1.000001).optional(),
    /** Option-order control: each rotation's distribution, mapped back to the source's order. */
    rotations: z.array(z.array(Probability)).optional(),
    /** Generation mode: the raw texts (one per sample) and the option each parsed to (null = invalid). */
    raw: z.array(z.string()).optional(),
    parsed: z.array(z.number().int().min(0).nullable()).optional(),
    /** Generation mode: how many samples could not be parsed. */
    invalid: z.number().int().min(0).optional(),
    latencyMs: z.number().min(0).optional(),
  })
  .strict();

export const FileRefSchema = z.object({ path: z.string(), sha256: z.string().optional(), bytes: z.number().int().min(0).optional() }).strict();

export const RunRecordSchema = z
  .object({
    format: z.literal(RUN_RECORD_FORMAT),
    version: z.literal(RUN_RECORD_VERSION),
    id: z.string().min(1),
    /** What the run is: 'running' and 'paused' records can be resumed. */
    status: z.enum(['running', 'paused', 'complete', 'cancelled', 'failed']),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().optional(),
    /** Which program wrote it: 'pluralscope-cli', 'pluralscope-web', 'pluralscope-eval-server'. */
    producer: z.object({ name: z.string(), version: z.string() }).strict(),
    suite: z
      .object({
        id: z.string(),
        version: z.string(),
        options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
        data: z
          .object({
            /** e.g. "hf:tools-o/Fair-PP", "github:EnlightenedAI/DVMap", "file:my.csv", "builtin:fair-pp-local". */
            source: z.string(),
            revision: z.string().optional(),
            split: z.string().optional(),
            files: z.array(FileRefSchema),
            licence: z.string(),
            citation: z.string(),
          })
          .strict(),
      })
      .strict(),
    model: z
      .object({
        /** The reference as the user gave it: "onnx-community/Qwen2.5-0.5B-Instruct", "synthetic:tiny", "baseline:uniform", ... */
        ref: z.string(),
        kind: z.enum(['hub', 'folder', 'synthetic', 'endpoint', 'baseline', 'server']),
        id: z.string(),
        revision: z.string().optional(),
        dtype: z.string().optional(),
        files: z.array(FileRefSchema).optional(),
        /** System-prompt handling when the chat template has no system role. */
        systemRole: z.enum(['system', 'merged-into-user']).optional(),
      })
      .strict(),
    runtime: z
      .object({
        device: z.string(),
        deviceReason: z.string().optional(),
        adapter: z.string().optional(),
        /** Which positions' logits the model computed (last only, via num_logits_to_keep, or all). */
        logits: z.string().optional(),
        libraries: z.record(z.string(), z.string()),
        environment: z.string().optional(),
      })
      .strict(),
    scoring: z
      .object({
        mode: z.enum(['likelihood', 'generate']),
        order: z.enum(['fixed', 'cyclic']),
        seed: z.number().int(),
        template: z
          .object({ id: z.string(), hash: z.string(), system: z.string().optional(), user: z.string(), option: z.string(), optionSeparator: z.string() })
          .strict(),
        /** Generation mode. */
        samples: z.number().int().min(1).optional(),
        temperature: z.number().min(0).optional(),
        maxNewTokens: z.number().int().min(1).optional(),
        /** The answer parser used in generation mode. */
        parser: z.string().optional(),
        prefixReuse: z.boolean().optional(),
        batchSize: z.number().int().min(1).optional(),
      })
      .strict(),
    sample: z
      .object({
        strategy: z.enum(['all', 'first', 'stratified']),
        limit: z.number().int().min(1).optional(),
        seed: z.number().int(),
        /** Hash of the sorted item ids the run covers (the same item set gives the same hash). */
        itemSetHash: z.string(),
        /** Stratified draws nested across sample sizes (items/sample.ts); absent in records made before. */
        nested: z.boolean().optional(),
        total: z.number().int().min(0),
      })
      .strict(),
    /** System prompts by key, stored once however many items share them. */
    systemPrompts: z.record(z.string(), z.string()).optional(),
    items: z.array(ItemResultSchema),
    /** Computed metrics (recomputable from `items` with `pluralscope score`). */
    metrics: z.unknown().optional(),
    /** Things that happened during the run: fallbacks, retries, pauses. */
    events: z.array(z.object({ at: z.string(), kind: z.string(), message: z.string() }).strict()).default([]),
  })
  .strict();

export type ItemResult = z.infer<typeof ItemResultSchema>;
export type RunRecord = z.infer<typeof RunRecordSchema>;
export type FileRef = z.infer<typeof FileRefSchema>;
