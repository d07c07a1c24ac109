/** `pluralscope anchors`: turn a role-play run into an anchor pack, or check a pack. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validateRunRecord } from '../../core/record/build.ts';
import { anchorPackFromRoleplay, parseAnchorPack } from '../../suites/fair-pp/anchors.ts';
import { personaSet } from '../../suites/fair-pp/segments.ts';
import type { PersonaSetId } from '../../suites/fair-pp-local/taxonomy.ts';
import { UsageError } from '../usage-error.ts';

export const ANCHORS_HELP = `Usage:
  pluralscope anchors from-run <run.json> --out <pack.json>
  pluralscope anchors check <pack.json>

from-run: a role-play run (a fair-pp or fair-pp-local run with --opt roleplay=<set>, by any
model or endpoint, e.g. GPT-4o-mini as in the paper) becomes an anchor pack: for each question
and persona, the model's answer distribution, with the run's provenance. Score other models
against it with --anchors <pack.json>.
check: validates a pack and prints its provenance.
`;

export function runAnchors(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const [sub, file] = positionals;
  if (values.help || !sub) {
    io.out(ANCHORS_HELP);
    return 0;
  }
  if (!file) throw new UsageError(`give a file\n\n${ANCHORS_HELP}`);
  if (!existsSync(file)) throw new UsageError(`no file ${file}`);
  if (sub === 'check') {
    const pack = parseAnchorPack(readFileSync(file, 'utf8'));
    io.out(`${file}: a valid anchor pack for ${pack.suite}${pack.split ? `/${pack.split}` : ''}: ${pack.items.length} questions, segments ${pack.segments.map((s) => s.id).join(', ')}\nprovenance (${pack.provenance.source}): ${pack.provenance.description}\n`);
    return 0;
  }
  if (sub !== 'from-run') throw new UsageError(`unknown anchors subcommand "${sub}"\n\n${ANCHORS_HELP}`);
  if (!values.out) throw new UsageError('--out <pack.json> is required');
  const record = validateRunRecord(readFileSync(file, 'utf8'));
  if (!record.suite.id.startsWith('fair-pp')) throw new UsageError(`anchor packs come from fair-pp or fair-pp-local runs; this run is ${record.suite.id}`);
  const set = String(record.suite.options.roleplay ?? 'none');
  if (set === 'none') throw new UsageError('this run was not a role-play run: start one with --opt roleplay=uk (or us, fr, de, pl)');
  if (record.status !== 'complete') io.err(`note: the run is ${record.status}; the pack holds the ${record.items.length} items scored so far\n`);
  const pack = anchorPackFromRoleplay(record, personaSet(set as PersonaSetId), set);
  writeFileSync(values.out, `${JSON.stringify(pack, null, 1)}\n`);
  const answers = pack.items.reduce((a, i) => a + Object.keys(i.anchors).length, 0);
  const complete = pack.items.filter((i) => Object.keys(i.anchors).length === pack.segments.length).length;
  io.out(
    `wrote ${values.out}: ${pack.items.length} questions, ${answers} persona answers; ${complete} of the questions have all ${pack.segments.length} personas (${pack.provenance.description})\n`,
  );
  if (complete < pack.items.length) {
    io.err(`note: a role-play run's --limit counts (question, persona) pairs: for every persona on N questions, run with --limit ${pack.segments.length}N, or without --limit\n`);
  }
  return 0;
}
