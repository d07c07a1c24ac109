/**
 * From the user's files and the suite's options to microdata ready for the builders: resolves
 * the country, the strata attributes and the questions, reads the codebook and extra metadata,
 * and streams the WVS CSV once, keeping only the chosen country's attribute and answer columns.
 * Shared by the benchmark (definition.ts) and the DVMap-style corpus builder (consensus.ts).
 */
import { resolveCountry, countryName } from '../../sources/countries.ts';
import { DatasetError } from '../../sources/formats/table.ts';
import type { UserFile } from '../../sources/source.ts';
import { EMPTY_CODEBOOK, parseCodebook, type Codebook } from '../../sources/wvs/codebook.ts';
import type { HeaderCheck } from '../../sources/wvs/csv-header.ts';
import { readWvsCsv, type WvsReadProgress, type WvsReadResult } from '../../sources/wvs/stream-reader.ts';
import { mergeQuestionSpecs, parseUserQuestionMetadata, type WvsQuestionSpec } from '../../sources/wvs/user-metadata.ts';
import { ATTRIBUTE_IDS, ATTRIBUTES, isAttributeId, type AttributeId } from './attributes.ts';

export class WvsOptionError extends DatasetError {}

/** "sgp", "Singapore" -> "SGP"; the WVS's own NIR (Northern Ireland) is accepted as is. */
export function resolveCountryOption(raw: string): string {
  const text = raw.trim();
  if (/^nir$/i.test(text)) return 'NIR';
  return resolveCountry(text);
}

/** Parses the `strata` option: attribute ids, comma-separated, in order. */
export function parseStrataOption(raw: string): AttributeId[] {
  const ids = raw
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/[\s-]+/g, '_'))
    .filter(Boolean)
    .map((s) => (s === 'age' ? 'age_group' : s === 'gender' ? 'sex' : s));
  const bad = ids.filter((s) => !isAttributeId(s));
  if (bad.length > 0) throw new WvsOptionError(`unknown strata attribute ${bad.map((b) => `"${b}"`).join(', ')}; known: ${ATTRIBUTE_IDS.join(', ')}`);
  if (ids.length === 0) throw new WvsOptionError('the strata option names no attribute');
  if (new Set(ids).size !== ids.length) throw new WvsOptionError(`the strata option repeats an attribute: ${raw}`);
  return ids as AttributeId[];
}

/** Parses the `questions` option: WVS codes, comma- or space-separated; empty = the default. */
export function parseQuestionsOption(raw: string): string[] {
  const codes = raw
    .split(/[\s,]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = codes.filter((c) => !/^Q\d+[A-Z]?$/.test(c));
  if (bad.length > 0) throw new WvsOptionError(`not WVS question codes: ${bad.join(', ')} (write them as Q1, Q46, ...)`);
  return [...new Set(codes)];
}

export interface IngestRequest {
  file: UserFile;
  country: string;
  /** Attribute columns to read (their variables are required in the file). */
  attributes: readonly AttributeId[];
  /** Extra variables to read when present (e.g. DVMap's profile variables); never required. */
  optionalVariables?: readonly string[];
  /** Requested question codes; empty = every question with metadata that the file has. */
  questions: readonly string[];
  codebookFile?: UserFile;
  metadataFile?: UserFile;
  onProgress?: (p: WvsReadProgress) => void;
  signal?: AbortSignal;
  hash?: boolean;
}

export interface Ingested {
  country: string;
  countryName: string;
  read: WvsReadResult;
  questions: WvsQuestionSpec[];
  codebook: Codebook;
  /** Shipped questions a user's metadata file replaced. */
  replacedMetadata: string[];
  /** Answer columns in the file with no metadata (not used), in the file's order. */
  unknownAnswerColumns: string[];
  /** Optional variables the file lacks. */
  absentOptional: string[];
}

export async function ingestWvsFile(request: IngestRequest): Promise<Ingested> {
  const country = request.country;
  let name: string;
  try {
    name = countryName(country);
  } catch {
    name = country === 'NIR' ? 'Northern Ireland' : country;
  }
  const codebook = request.codebookFile ? await parseCodebook(request.codebookFile.name, await request.codebookFile.bytes()) : EMPTY_CODEBOOK;
  const user = request.metadataFile ? await parseUserQuestionMetadata(request.metadataFile.name, await request.metadataFile.bytes()) : [];
  const { specs, replaced } = mergeQuestionSpecs(user);
  const byCode = new Map(specs.map((q) => [q.code, q]));

  let chosen: WvsQuestionSpec[] = [];
  let unknownAnswerColumns: string[] = [];
  let absentOptional: string[] = [];
  const select = (header: HeaderCheck): string[] => {
    const present = new Set(header.columns);
    const missingAttributes = request.attributes.filter((id) => !present.has(ATTRIBUTES[id].variable));
    if (missingAttributes.length > 0) {
      const list = missingAttributes.map((id) => `${ATTRIBUTES[id].variable} (${ATTRIBUTES[id].what}, for ${id})`).join(', ');
      const rest = request.attributes.filter((id) => !missingAttributes.includes(id));
      throw new WvsOptionError(
        `${request.file.name} has no column ${list}. Choose strata without ${missingAttributes.join(', ')}${rest.length > 0 ? ` (e.g. strata ${rest.join(',')})` : ''}.`,
      );
    }
    if (request.questions.length > 0) {
      const noMeta = request.questions.filter((c) => !byCode.has(c));
      if (noMeta.length > 0) {
        throw new WvsOptionError(
          `no metadata (question text and options) for ${noMeta.join(', ')}: give a question metadata file (JSON or CSV; --file metadata=<file> on the command line) or leave ${noMeta.length === 1 ? 'it' : 'them'} out`,
        );
      }
      const absent = request.questions.filter((c) => !present.has(c));
      if (absent.length > 0) throw new WvsOptionError(`${request.file.name} has no column for ${absent.join(', ')}`);
      chosen = request.questions.map((c) => byCode.get(c)!);
    } else {
      chosen = specs.filter((q) => present.has(q.code));
      if (chosen.length === 0) {
        throw new WvsOptionError(
          `${request.file.name} has none of the ${specs.length} questions the product has metadata for (${specs.slice(0, 6).map((q) => q.code).join(', ')}, …); name questions in the questions option and give their metadata in a question metadata file (--opt questions=... and --file metadata=<file> on the command line)`,
        );
      }
    }
    const used = new Set(chosen.map((q) => q.code));
    unknownAnswerColumns = header.answerColumns.filter((c) => !byCode.has(c) && !used.has(c));
    absentOptional = (request.optionalVariables ?? []).filter((v) => !present.has(v));
    const optional = (request.optionalVariables ?? []).filter((v) => present.has(v));
    return [...new Set([...request.attributes.map((id) => ATTRIBUTES[id].variable), ...optional, ...chosen.map((q) => q.code)])];
  };

  const read = await readWvsCsv(request.file.stream(), {
    fileName: request.file.name,
    totalBytes: request.file.size,
    countries: [country],
    select,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    hash: request.hash ?? false,
  });
  if (read.data.rows === 0) {
    const have = read.countryCounts
      .slice(0, 12)
      .map((c) => `${c.code} (${c.rows})`)
      .join(', ');
    throw new WvsOptionError(
      `${request.file.name} has no respondents from ${country} (${name}); it has ${read.countryCounts.length} ${read.countryCounts.length === 1 ? 'country' : 'countries'}: ${have}${read.countryCounts.length > 12 ? ', …' : ''}`,
    );
  }
  return { country, countryName: name, read, questions: chosen, codebook, replacedMetadata: replaced, unknownAnswerColumns, absentOptional };
}
