/**
 * Suite `dvmap`: DVMap's WVS-7 demographic profiles (GitHub EnlightenedAI/DVMap; no licence
 * file, so loaded at run time from raw GitHub URLs or a file the user gives, never copied).
 * Each item asks one question of one profile (11 attributes); it is scored against the answer
 * every respondent with that profile gave (the corpus keeps only unanimous profile groups).
 */
import { sha256Hex } from '../../core/hash/sha256.ts';
import type { Item } from '../../core/items/item.ts';
import type { FileRef } from '../../core/record/schema.ts';
import { readArrowTable, readTableOrArrow } from '../../sources/formats/arrow.ts';
import { DatasetError, readTable, type Row, type Table } from '../../sources/formats/table.ts';
import { githubRawUrl, type DataSourceContext } from '../../sources/source.ts';
import type { LoadedSuite, Suite, SuiteOptionValues } from '../suite.ts';
import { DVMAP_CITATION, DVMAP_LICENCE, dvmapMeta } from './meta.ts';
import { buildMajorityTable, majorityPrediction, type MajorityTable } from './majority.ts';
import { DIRECT_MAX_NEW_TOKENS, DIRECT_TEMPLATE, REASONING_MAX_NEW_TOKENS, REASONING_TEMPLATE } from './prompts.ts';
import {
  DEFAULT_ARROW_SHARD,
  DVMAP_REF,
  DVMAP_REPO,
  DVMAP_SPLITS,
  releaseItems,
  splitLocation,
  type DvmapFileSplit,
  type DvmapSplit,
} from './release.ts';
import { scoreDvmap } from './score.ts';

export { DVMAP_CITATION, DVMAP_LICENCE, PROMPT_CHOICES } from './meta.ts';

interface LoadedTable {
  table: Table;
  files: FileRef[];
  source: string;
}

const fileRef = (path: string, bytes: Uint8Array): FileRef => ({ path, sha256: sha256Hex(bytes), bytes: bytes.byteLength });

/** The save_to_disk shards of a benchmark folder (state.json's `_data_files`), or the one default shard. */
async function arrowShards(folder: string, context: DataSourceContext): Promise<string[]> {
  const url = githubRawUrl(context.githubRawHost, DVMAP_REPO, DVMAP_REF, `${folder}/state.json`);
  let state: unknown;
  try {
    state = JSON.parse(new TextDecoder().decode(await context.fetchBytes(url, { signal: context.signal })));
  } catch (error) {
    if (context.signal?.aborted) throw error;
    context.log?.(`no readable state.json in ${folder}; trying ${DEFAULT_ARROW_SHARD}`);
    return [DEFAULT_ARROW_SHARD];
  }
  const files = (state as { _data_files?: Array<{ filename?: unknown }> })?._data_files;
  const names = Array.isArray(files) ? files.map((f) => f?.filename).filter((f): f is string => typeof f === 'string' && f.length > 0) : [];
  return names.length > 0 ? names : [DEFAULT_ARROW_SHARD];
}

/** One split from the repository (raw GitHub URLs). */
export async function fetchDvmapSplit(split: DvmapFileSplit, context: DataSourceContext): Promise<LoadedTable> {
  const location = splitLocation(split);
  if (location.kind === 'parquet') {
    const url = githubRawUrl(context.githubRawHost, DVMAP_REPO, DVMAP_REF, location.path);
    context.log?.(`reading DVMap ${split} (${location.path})`);
    const bytes = await context.fetchBytes(url, { signal: context.signal });
    return { table: await readTable(location.path, bytes, 'parquet'), files: [fileRef(url, bytes)], source: `github:${DVMAP_REPO}/${location.path}` };
  }
  const rows: Row[] = [];
  let columns: string[] = [];
  const files: FileRef[] = [];
  for (const shard of await arrowShards(location.folder, context)) {
    const path = `${location.folder}/${shard}`;
    context.log?.(`reading DVMap ${split} (${path})`);
    const url = githubRawUrl(context.githubRawHost, DVMAP_REPO, DVMAP_REF, path);
    const bytes = await context.fetchBytes(url, { signal: context.signal });
    const part = readArrowTable(path, bytes);
    if (columns.length === 0) columns = part.columns;
    rows.push(...part.rows);
    files.push(fileRef(url, bytes));
  }
  return { table: { columns, rows }, files, source: `github:${DVMAP_REPO}/${location.folder}` };
}

async function readUserTable(file: NonNullable<DataSourceContext['userFile']>): Promise<LoadedTable> {
  const bytes = await file.bytes();
  return { table: await readTableOrArrow(file.name, bytes), files: [fileRef(file.name, bytes)], source: file.name };
}

/**
 * The training split for the majority baseline: the `train` file the user gave (errors are
 * errors), else the repository's corpus train split. A failed download does not stop the run:
 * the baseline then explains itself when used.
 */
async function loadMajority(context: DataSourceContext): Promise<{ table: MajorityTable | null; files: FileRef[]; note: string; problem?: string }> {
  const given = context.extraFiles?.train;
  if (given) {
    const loaded = await readUserTable(given);
    const table = buildMajorityTable(loaded.table, loaded.source);
    return { table, files: loaded.files, note: `baseline:majority counts ${table.rows} training rows from ${given.name}` };
  }
  try {
    const loaded = await fetchDvmapSplit('train', context);
    const table = buildMajorityTable(loaded.table, loaded.source);
    return { table, files: loaded.files, note: `baseline:majority counts ${table.rows} rows of the corpus train split (${table.countries} countries)` };
  } catch (error) {
    if (context.signal?.aborted) throw error;
    const problem = error instanceof Error ? error.message : String(error);
    return { table: null, files: [], note: `baseline:majority is unavailable: the corpus train split could not be read (${problem})`, problem };
  }
}

export const dvmapSuite: Suite = {
  ...dvmapMeta,
  template(_mode, options) {
    return options.prompt === 'reasoning' ? REASONING_TEMPLATE : DIRECT_TEMPLATE;
  },
  async load(options: SuiteOptionValues, context: DataSourceContext): Promise<LoadedSuite> {
    const split = String(options.split) as DvmapSplit;
    const prompt = options.prompt === 'reasoning' ? 'reasoning' : 'direct';
    const loaded = context.userFile ? await readUserTable(context.userFile) : await fetchDvmapSplit(split, context);
    if (loaded.table.rows.length === 0) throw new DatasetError(`${loaded.source} has no rows`);
    const { items, notes } = releaseItems(loaded.table, { split, source: loaded.source, prompt });
    // The corpus train split is read only for a baseline:majority run (a model run does not need it).
    const majority = context.baseline === 'majority' ? await loadMajority(context) : null;
    const predict = (item: Item): number[] | null => {
      if (!majority) throw new DatasetError('baseline:majority reads the corpus train split, which is loaded only for a baseline:majority run');
      if (!majority.table) {
        throw new DatasetError(
          `baseline:majority needs the DVMap corpus train split, which could not be read (${majority.problem ?? 'unknown problem'}); give it as the corpus train split file (--file train=<train.parquet> on the command line)`,
        );
      }
      return majorityPrediction(majority.table, item);
    };
    return {
      items,
      data: {
        source: context.userFile ? `file:${context.userFile.name}` : `github:${DVMAP_REPO}`,
        ...(context.userFile ? {} : { revision: DVMAP_REF }),
        split,
        files: [...loaded.files, ...(majority?.files ?? [])],
        licence: DVMAP_LICENCE,
        citation: DVMAP_CITATION,
      },
      baselines: { majority: predict },
      stratifyBy: ['qid', 'country'],
      notes: [...notes, ...(majority ? [majority.note] : [])],
    };
  },
  score(items, _options, metrics) {
    return scoreDvmap(items, metrics);
  },
};
