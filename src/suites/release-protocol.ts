/**
 * Whether a generation run followed a release's evaluation protocol beyond its prompt template:
 * the same answer parser, one answer per question in the release's option order, and the
 * release's new-token limit (a shorter limit can cut an answer off; a longer one lets more text
 * reach the parser). A suite labels a number "official" only when this finds nothing.
 */
import type { RunContext } from './suite.ts';

export interface ReleaseProtocol {
  /** Who ran it, for the messages: "the release". */
  name: string;
  /** The parser id. A record stores "<id>: <description>"; eval_server.py writes "fairpp-release". */
  parser: string;
  maxNewTokens: number;
}

/** Each way the run differs from the protocol, in words; empty when it follows it. Settings a record lacks are not held against it. */
export function protocolDeviations(run: RunContext, protocol: ReleaseProtocol): string[] {
  const out: string[] = [];
  if (run.parser !== undefined && parserKey(run.parser) !== parserKey(protocol.parser)) {
    out.push(`the "${run.parser.split(':')[0]}" answer parser (${protocol.name}'s rule is "${protocol.parser}")`);
  }
  if (run.maxNewTokens !== undefined && run.maxNewTokens !== protocol.maxNewTokens) {
    out.push(`at most ${run.maxNewTokens} new tokens (${protocol.name}: ${protocol.maxNewTokens})`);
  }
  if (run.samples !== undefined && run.samples !== 1) out.push(`${run.samples} samples per question (${protocol.name}: one)`);
  if (run.order === 'cyclic') out.push(`options asked in every rotation (${protocol.name}: its own order)`);
  return out;
}

/** "fair-pp-release: The Fair-PP ..." and "fairpp-release" name one parser. */
const parserKey = (parser: string) => parser.split(':')[0]!.replace(/[^a-z0-9]/gi, '').toLowerCase();
