/** The WVS-7 fixture, its independent Python reference (expected.json), and the extra files it needs. */
import { readFileSync } from 'node:fs';
import { userFileFromPath } from '../../../src/node/data-source.ts';
import { userFileFromBytes, type UserFile } from '../../../src/sources/source.ts';
import { FIXTURES } from '../../helpers/fixture-hosts.ts';

export const WVS_FIXTURE = `${FIXTURES}/wvs/wvs7-fixture.csv`;

export interface ExpectedCell {
  n_valid: number;
  counts: number[];
  mode: number;
  tie: boolean;
}
export interface ExpectedStratum {
  variables: string[];
  split: 'train' | 'ood';
  subgroups: Array<{ id: string; respondents: number; kept: boolean }>;
  kept_subgroups: number;
  questions: Record<string, { subgroups: Record<string, ExpectedCell>; dropped_under_min_valid: string[]; n_subgroups: number; ties: number; mds: number }>;
}
export interface ExpectedWvs {
  country: string;
  respondents: number;
  rows_in_file: number;
  min_count: number;
  codes: Record<string, Record<string, string>>;
  options: Record<string, number>;
  strata: Record<string, ExpectedStratum>;
}

export const EXPECTED = JSON.parse(readFileSync(`${FIXTURES}/wvs/expected.json`, 'utf8')) as ExpectedWvs;

/** The fixture's own code labels (expected.json `codes`) as a codebook file. */
export const CODEBOOK_JSON = JSON.stringify({ codes: EXPECTED.codes });

/** Metadata for Q57, which the project does not ship (the fixture's planted tie is on it). */
export const Q57_METADATA_JSON = JSON.stringify([
  {
    code: 'Q57',
    text: 'Generally speaking, would you say that most people can be trusted or that you need to be very careful in dealing with people?',
    options: ['Most people can be trusted', 'Need to be very careful'],
    ordinal: false,
    concept: 'Interpersonal trust',
  },
]);

export const fixtureFile = (): UserFile => userFileFromPath(WVS_FIXTURE);
export const codebookFile = (): UserFile => userFileFromBytes('codebook.json', new TextEncoder().encode(CODEBOOK_JSON));
export const metadataFile = (): UserFile => userFileFromBytes('metadata.json', new TextEncoder().encode(Q57_METADATA_JSON));
