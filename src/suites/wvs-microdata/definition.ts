/**
 * Suite `wvs-microdata`: seed 002's subgroup benchmark built client-side from the user's own copy
 * of the WVS Wave 7 respondent file, for any country (Singapore reproduces the paper's setting).
 * Personas are intersections of sex, age group, ethnicity and religion (or attributes the user
 * picks); the gold answer of a (subgroup, question) item is the subgroup's modal answer; the
 * default evaluation is the compositional out-of-distribution split. Metrics: accuracy, NMAE and
 * their fairness spread across subgroups (score.ts); the builder also gives the Modal Diversity
 * Score of every question in every stratum (builder.ts).
 *
 * The WVS file is never copied: it is streamed once and only the chosen country's attribute
 * and answer columns are kept, as typed arrays.
 */
import { sha256Hex } from '../../core/hash/sha256.ts';
import type { Item } from '../../core/items/item.ts';
import { DatasetError } from '../../sources/formats/table.ts';
import { WVS_CITATION, WVS_LICENCE, wvsMicrodataMeta } from './meta.ts';
import type { LoadedSuite, Suite, SuiteOptionValues } from '../suite.ts';
import { ATTRIBUTES, encodeAttributes } from './attributes.ts';
import { buildSubgroups, type BuildResult } from './builder.ts';
import { ingestWvsFile, parseQuestionsOption, parseStrataOption, resolveCountryOption, WvsOptionError, type Ingested } from './ingest.ts';
import { buildItems, type WvsItemRefs } from './items.ts';
import { keepGroups, parseKeepOption, type KeptGroups } from './keep-groups.ts';
import { WVS_PERSONA_TEMPLATE } from './prompts.ts';
import { scoreWvsMicrodata } from './score.ts';
import { compositionalStrata, strataForSplit, type SplitName } from './strata.ts';

export { SPLIT_CHOICES, WVS_CITATION, WVS_LICENCE } from './meta.ts';

export interface WvsMicrodataLoad {
  ingested: Ingested;
  build: BuildResult;
  items: Item[];
  /** What the `keep` option left out, per attribute it names. */
  kept: KeptGroups[];
}

/** Reads the file and builds everything for the given options (the suite's load, without the suite wrapper). */
export async function loadWvsMicrodata(options: SuiteOptionValues, context: Parameters<Suite['load']>[1]): Promise<WvsMicrodataLoad> {
  const file = context.userFile;
  if (!file) {
    throw new DatasetError(
      'wvs-microdata needs your copy of the WVS Wave 7 respondent file (CSV; free after registration at worldvaluessurvey.org): choose it as the data file (--data <file> on the command line)',
    );
  }
  const country = resolveCountryOption(String(options.country));
  const attributes = parseStrataOption(String(options.strata));
  const questions = parseQuestionsOption(String(options.questions));
  const keep = parseKeepOption(String(options.keep ?? ''));
  const notInStrata = [...keep.keys()].filter((id) => !attributes.includes(id));
  if (notInStrata.length > 0) throw new WvsOptionError(`keep: ${notInStrata.join(', ')} is not among the strata (${attributes.join(', ')})`);
  const minCount = Number(options.minCount);
  if (!Number.isInteger(minCount) || minCount < 1) throw new WvsOptionError(`minCount must be a positive integer, got ${options.minCount}`);
  const split = String(options.split) as 'ood' | 'train' | 'all';
  const strata = compositionalStrata(attributes);
  const chosen = strataForSplit(strata, split);
  if (chosen.length === 0) {
    throw new WvsOptionError(`the ${split} split needs at least three strata attributes (the first is crossed with the others in training, the others are crossed with each other for OOD); got ${attributes.join(', ')}`);
  }
  let nextReport = 0;
  const ingested = await ingestWvsFile({
    file,
    country,
    attributes,
    questions,
    ...(context.extraFiles?.codebook ? { codebookFile: context.extraFiles.codebook } : {}),
    ...(context.extraFiles?.metadata ? { metadataFile: context.extraFiles.metadata } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
    hash: true,
    onProgress: (p) => {
      if (!context.log || p.totalBytes === null || p.totalBytes === 0) return;
      const share = p.bytesRead / p.totalBytes;
      if (share >= nextReport) {
        context.log(`reading ${file.name}: ${Math.floor(share * 100)}% (${p.rowsRead} rows, ${p.rowsKept} from ${country})`);
        nextReport = Math.floor(share * 10) / 10 + 0.1;
      }
    },
  });
  const { attributes: encoded, report: kept } = keepGroups(encodeAttributes(ingested.read.data, attributes), keep, ingested.codebook);
  const build = buildSubgroups({
    data: ingested.read.data,
    attributes: encoded,
    codebook: ingested.codebook,
    strata,
    questions: ingested.questions.map((q) => ({ code: q.code, k: q.options.length, ordinal: q.ordinal })),
    minCount,
  });
  const splits = new Set<SplitName>(split === 'all' ? ['train', 'ood'] : [split]);
  const items = buildItems(build, {
    country,
    countryName: ingested.countryName,
    attributes,
    splits,
    questions: new Map(ingested.questions.map((q) => [q.code, q])),
    codebook: ingested.codebook,
  });
  if (items.length === 0) {
    throw new DatasetError(
      `no (subgroup, question) pair of the ${split} split has ${minCount} respondents with valid answers in ${ingested.countryName} (${ingested.read.data.rows} respondents); lower minCount or choose other strata`,
    );
  }
  return { ingested, build, items, kept };
}

function notesFor(load: WvsMicrodataLoad, options: SuiteOptionValues): string[] {
  const { ingested, build } = load;
  const { read } = ingested;
  const split = String(options.split);
  const notes: string[] = [
    `${ingested.countryName} (${ingested.country}): ${read.data.rows} respondents of ${read.rowsInFile} rows in the file; ${ingested.questions.length} questions (${ingested.questions.map((q) => q.code).join(', ')})`,
  ];
  for (const s of build.strata) {
    const dropped = s.questions.reduce((a, q) => a + q.dropped.length, 0);
    const ties = s.questions.reduce((a, q) => a + q.ties, 0);
    notes.push(
      `stratum ${s.def.name} (${s.def.split}${split === 'all' || s.def.split === split ? '' : ', not in this run'}): ${s.keptSubgroups} of ${s.subgroups.length} subgroups have >= ${options.minCount} respondents; ${dropped} (subgroup, question) pairs dropped for fewer valid answers; ${ties} tied modes (resolved to the lowest code)`,
    );
  }
  for (const k of load.kept) {
    notes.push(`${k.attribute}: only ${k.kept.join(', ')} kept (keep option); ${k.excluded} respondents of other groups are in no ${k.attribute} subgroup`);
  }
  const attributes = parseStrataOption(String(options.strata));
  for (const id of attributes) {
    const def = ATTRIBUTES[id];
    if (def.countrySpecific && !ingested.codebook.has(def.variable)) {
      notes.push(`${id}: no codebook labels for ${def.variable}, so its groups are shown as WVS codes; give a codebook file (variable, code, label; --file codebook=<file> on the command line) for names`);
    }
  }
  const outOfRange = [...build.outOfRange.entries()].filter(([, n]) => n > 0);
  if (outOfRange.length > 0) notes.push(`answers outside the options' codes (excluded): ${outOfRange.map(([q, n]) => `${q} ${n}`).join(', ')}`);
  if (read.malformedRows > 0) notes.push(`${read.malformedRows} rows have a different number of fields from the header (read anyway; absent cells are missing)`);
  if (ingested.replacedMetadata.length > 0) notes.push(`your metadata file replaces the shipped metadata of ${ingested.replacedMetadata.join(', ')}`);
  if (ingested.unknownAnswerColumns.length > 0) notes.push(unusedAnswerColumnsNote(ingested.unknownAnswerColumns));
  notes.push('respondents are unweighted (W_WEIGHT is not applied); negative codes are missing');
  return notes;
}

export const wvsMicrodataSuite: Suite = {
  ...wvsMicrodataMeta,
  template() {
    return WVS_PERSONA_TEMPLATE;
  },
  async load(options, context): Promise<LoadedSuite> {
    context.log?.('reading your WVS-7 file');
    const load = await loadWvsMicrodata(options, context);
    const { ingested, items } = load;
    const file = context.userFile!;
    const hashedExtras = await Promise.all(
      (['codebook', 'metadata'] as const).flatMap((role) => {
        const f = context.extraFiles?.[role];
        return f ? [f.bytes().then((bytes) => ({ path: f.name, sha256: sha256Hex(bytes), bytes: bytes.byteLength }))] : [];
      }),
    );
    return {
      items,
      data: {
        source: `file:${file.name}`,
        split: String(options.split),
        files: [{ path: file.name, ...(ingested.read.sha256 ? { sha256: ingested.read.sha256 } : {}), bytes: ingested.read.bytes }, ...hashedExtras],
        licence: WVS_LICENCE,
        citation: WVS_CITATION,
      },
      baselines: {
        majority: (item) => {
          const refs = item.refs as unknown as WvsItemRefs;
          if (!(refs.populationMode >= 0)) return null;
          return item.options.map((_, i) => (i === refs.populationMode ? 1 : 0));
        },
      },
      stratifyBy: ['stratum'],
      notes: notesFor(load, options),
    };
  },
  score(items, _options, metrics) {
    return scoreWvsMicrodata(items, metrics);
  },
};

/** Most column names a note lists before "and N more". */
const LISTED_COLUMNS = 10;

/** The run note for answer columns without metadata: which ones (the first ten, then how many more). */
export function unusedAnswerColumnsNote(columns: readonly string[]): string {
  const listed = columns.slice(0, LISTED_COLUMNS).join(', ');
  const more = columns.length > LISTED_COLUMNS ? ` and ${columns.length - LISTED_COLUMNS} more` : '';
  const one = columns.length === 1;
  return `${one ? '1 answer column has' : `${columns.length} answer columns have`} no metadata and ${one ? 'is' : 'are'} not used: ${listed}${more} (add ${one ? 'it' : 'them'} with a question metadata file)`;
}
