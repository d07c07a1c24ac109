/** `pluralscope corpus`: a DVMap-style high-consensus corpus from your WVS-7 microdata, for any country. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { userFileFromPath } from '../../node/data-source.ts';
import { dvmapCorpusFromFile } from '../../suites/wvs-microdata/corpus-file.ts';
import { corpusRowsToCsv } from '../../suites/wvs-microdata/consensus.ts';
import { fileArgumentPaths, keyValuePairs, requireFile, requireOutputFile, requireOutputNotInput } from '../args.ts';
import { UsageError } from '../usage-error.ts';

export const CORPUS_HELP = `Usage: pluralscope corpus --data <wvs7.csv> --country <ISO3> --out <corpus.csv> [--questions Q1,Q2,...] [--file codebook=<file>] [--file metadata=<file>]

Groups the country's respondents by their 11-attribute DVMap profile and keeps a (profile,
question) pair only when every respondent with that profile gave the same answer (entropy 0),
as DVMap's corpus does. Writes the rows in DVMap's corpus columns (CSV) and prints how many
samples share a profile and how many the filter removed.
`;

/** The other files corpus reads, by --file role. */
const CORPUS_FILE_ROLES = ['codebook', 'metadata'] as const;

export async function runCorpus(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      country: { type: 'string' },
      out: { type: 'string' },
      questions: { type: 'string' },
      file: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.out(CORPUS_HELP);
    return 0;
  }
  if (!values.data || !values.country || !values.out) throw new UsageError(`--data, --country and --out are required\n\n${CORPUS_HELP}`);
  requireFile('--data', values.data);
  requireOutputFile('--out', values.out);
  const extra = keyValuePairs('--file', values.file ?? [], 'role=path');
  for (const [role, path] of Object.entries(extra)) {
    // Any other role would be silently ignored (a typo such as "codebok=").
    if (!(CORPUS_FILE_ROLES as readonly string[]).includes(role)) throw new UsageError(`--file ${role}=: corpus takes ${CORPUS_FILE_ROLES.map((r) => `${r}=`).join(', ')}`);
    requireFile(`--file ${role}=`, path);
  }
  requireOutputNotInput('--out', values.out, [['--data', values.data], ...fileArgumentPaths(values.file ?? [])]);
  const result = await dvmapCorpusFromFile({
    file: userFileFromPath(values.data),
    country: values.country,
    ...(values.questions ? { questions: values.questions } : {}),
    ...(extra.codebook ? { codebookFile: userFileFromPath(extra.codebook) } : {}),
    ...(extra.metadata ? { metadataFile: userFileFromPath(extra.metadata) } : {}),
  });
  writeFileSync(values.out, corpusRowsToCsv(result.rows));
  const s = result.stats;
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  io.out(
    `wrote ${values.out}: ${result.rows.length} rows for ${result.country} (${result.questions.length} questions, ${s.respondents} respondents, ${s.profiles} profiles).\n` +
      `${pct(s.shareShared)} of samples share a profile; the consensus filter removed ${pct(s.shareRemoved)} (${s.removedPairs} profile-question pairs).\n`,
  );
  if (result.absentVariables.length > 0) io.err(`note: the file lacks ${result.absentVariables.join(', ')}: those attributes read "Not Answered"\n`);
  return 0;
}
