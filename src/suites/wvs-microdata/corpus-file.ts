/**
 * The DVMap-style corpus from a user's WVS-7 file in one call (the app's and CLI's entry point):
 * streams the file once for one country, keeping the 10 profile variables (those the file lacks
 * read as "Not Answered") and the chosen questions, then runs `buildConsensusCorpus`.
 */
import type { UserFile } from '../../sources/source.ts';
import type { WvsReadProgress } from '../../sources/wvs/stream-reader.ts';
import { buildConsensusCorpus, DVMAP_PROFILE_VARIABLES, type ConsensusResult } from './consensus.ts';
import { ingestWvsFile, parseQuestionsOption, resolveCountryOption } from './ingest.ts';

export interface CorpusFileRequest {
  file: UserFile;
  /** ISO alpha-3 code or name. */
  country: string;
  /** Question codes, comma-separated; empty = every question with metadata in the file. */
  questions?: string;
  codebookFile?: UserFile;
  metadataFile?: UserFile;
  collapseTenPoint?: boolean;
  onProgress?: (p: WvsReadProgress) => void;
  signal?: AbortSignal;
}

export interface CorpusFileResult extends ConsensusResult {
  country: string;
  /** Profile variables the file lacks (their attribute is "Not Answered" for everyone). */
  absentVariables: string[];
  questions: string[];
}

export async function dvmapCorpusFromFile(request: CorpusFileRequest): Promise<CorpusFileResult> {
  const ingested = await ingestWvsFile({
    file: request.file,
    country: resolveCountryOption(request.country),
    attributes: [],
    optionalVariables: DVMAP_PROFILE_VARIABLES,
    questions: parseQuestionsOption(request.questions ?? ''),
    ...(request.codebookFile ? { codebookFile: request.codebookFile } : {}),
    ...(request.metadataFile ? { metadataFile: request.metadataFile } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const result = buildConsensusCorpus({
    data: ingested.read.data,
    questions: ingested.questions,
    codebook: ingested.codebook,
    ...(request.collapseTenPoint === undefined ? {} : { collapseTenPoint: request.collapseTenPoint }),
  });
  return { ...result, country: ingested.country, absentVariables: ingested.absentOptional, questions: ingested.questions.map((q) => q.code) };
}
