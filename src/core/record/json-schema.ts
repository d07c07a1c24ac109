/** The run record's JSON Schema, generated from the zod schema (the source of truth). */
import { z } from 'zod';
import { RunRecordSchema } from './schema.ts';

export function runRecordJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RunRecordSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $id: 'https://pluralscope.dev/schemas/run-record.schema.json',
    title: 'Pluralscope run record',
    description:
      'One benchmark run: the suite and its data source, the model, the runtime, the scoring settings, per-item option distributions and the metrics computed from them. Metrics can be recomputed from items with `pluralscope score`.',
    ...schema,
  };
}
