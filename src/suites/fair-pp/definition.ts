/**
 * Suite `fair-pp`: the Fair-PP release's questions (tools-o/Fair-PP on the Hugging Face Hub,
 * CC-BY-NC-SA 4.0), loaded at run time in the user's browser or from a file, scored against the
 * seven UK segments' released answers or against an anchor pack.
 */
import { readTable, DatasetError } from '../../sources/formats/table.ts';
import { hubParquetUrls, type DataSourceContext } from '../../sources/source.ts';
import { sha256Hex } from '../../core/hash/sha256.ts';
import type { LoadedSuite, Suite, SuiteOptionValues } from '../suite.ts';
import type { Row } from '../../sources/formats/table.ts';
import { applyAnchorPack, parseAnchorPack } from './anchors.ts';
import { OFFICIAL_EVAL_TEMPLATE, SCENARIO_EVAL_TEMPLATE } from './prompts.ts';
import { FAIR_PP_DATASET, FAIR_PP_SIMULATION_DATASET, releaseItems, type FairPpSplit } from './release.ts';
import { expandRoleplay } from './roleplay.ts';
import { fairPpStatistics, scoreFairPp } from './score.ts';
import { personaSet } from './segments.ts';
import type { PersonaSetId } from '../fair-pp-local/taxonomy.ts';
import { FAIR_PP_CITATION, FAIR_PP_LICENCE, fairPpMeta } from './meta.ts';

export { FAIR_PP_CITATION, FAIR_PP_LICENCE, ROLEPLAY_CHOICES } from './meta.ts';

export async function loadFairPpTable(split: FairPpSplit, context: DataSourceContext) {
  if (context.userFile) {
    const { name } = context.userFile;
    const bytes = await context.userFile.bytes();
    const table = await readTable(name, bytes);
    return { table, files: [{ path: name, sha256: sha256Hex(bytes), bytes: bytes.byteLength }], source: `file:${name}`, revision: undefined };
  }
  const dataset = split === 'simulation' ? FAIR_PP_SIMULATION_DATASET : FAIR_PP_DATASET;
  const hubSplit = split === 'simulation' ? 'train' : split;
  const urls = await hubParquetUrls(context, dataset, 'default', hubSplit);
  const rows: Row[] = [];
  let columns: string[] = [];
  const files = [];
  for (const url of urls) {
    const bytes = await context.fetchBytes(url, { signal: context.signal });
    const part = await readTable(url.split('/').pop() ?? 'data.parquet', bytes, 'parquet');
    if (columns.length === 0) columns = part.columns;
    rows.push(...part.rows);
    files.push({ path: url, sha256: sha256Hex(bytes), bytes: bytes.byteLength });
  }
  return { table: { columns, rows }, files, source: `hf:${dataset}`, revision: 'refs/convert/parquet' };
}

export const fairPpSuite: Suite = {
  ...fairPpMeta,
  template(_mode, options) {
    return options.split === 'simulation' ? SCENARIO_EVAL_TEMPLATE : OFFICIAL_EVAL_TEMPLATE;
  },
  async load(options: SuiteOptionValues, context: DataSourceContext): Promise<LoadedSuite> {
    const split = String(options.split) as FairPpSplit;
    context.log?.(`reading Fair-PP ${split}`);
    const { table, files, source, revision } = await loadFairPpTable(split, context);
    if (table.rows.length === 0) throw new DatasetError(`${source} has no rows`);
    let { items, notes } = releaseItems(table, split, source);
    const packFile = context.extraFiles?.anchors;
    const packBytes = packFile ? await packFile.bytes() : null;
    let anchorSource = 'the release\'s GPT-4o-mini role-play answers (one per segment and question)';
    if (packFile) {
      const pack = parseAnchorPack(new TextDecoder().decode(packBytes!));
      const applied = applyAnchorPack(items, pack);
      items = applied.items;
      notes = [...notes, ...applied.notes];
      anchorSource = `anchor pack ${packFile.name}: ${pack.provenance.description}`;
    }
    const roleplay = String(options.roleplay);
    if (roleplay !== 'none') items = expandRoleplay(items, personaSet(roleplay as PersonaSetId));
    return {
      items,
      data: {
        source,
        ...(revision ? { revision } : {}),
        split,
        files: [...files, ...(packFile && packBytes ? [{ path: packFile.name, sha256: sha256Hex(packBytes), bytes: packBytes.byteLength }] : [])],
        licence: FAIR_PP_LICENCE,
        citation: FAIR_PP_CITATION,
      },
      stratifyBy: roleplay !== 'none' ? ['persona', 'dimension', 'phrasing'] : ['dimension', 'phrasing', 'theme'],
      notes: [...notes, `anchors: ${anchorSource}`],
    };
  },
  score(items, options, metrics) {
    return scoreFairPp(items, metrics, { roleplay: options.roleplay !== 'none', officialQuestions: true });
  },
  statistics(items) {
    return fairPpStatistics(items);
  },
};
