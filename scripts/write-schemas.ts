// Writes schemas/run-record.schema.json from the zod schema (npm run schemas).
import { writeFileSync } from 'node:fs';
import { runRecordJsonSchema } from '../src/core/record/json-schema.ts';

writeFileSync('schemas/run-record.schema.json', `${JSON.stringify(runRecordJsonSchema(), null, 2)}\n`);
console.log('wrote schemas/run-record.schema.json');
