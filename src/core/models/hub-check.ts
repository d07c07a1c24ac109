/**
 * Re-checks a catalogue entry against the Hugging Face Hub API: do the listed ONNX files still exist,
 * are their sizes still what the catalogue says, is the gated flag unchanged, and which dtypes does the
 * Hub publish that the catalogue does not list.
 *
 * Endpoints (as `huggingface_hub.HfApi.model_info(files_metadata=True)` and `@huggingface/hub`'s
 * `listFiles` call them):
 *  - `GET /api/models/<id>?blobs=true` (or `/api/models/<id>/revision/<rev>?blobs=true`):
 *    `{ id, gated: false | "auto" | "manual", siblings: [{ rfilename, size?, blobId?, lfs?: { sha256, size, pointerSize } }] }`
 *  - `GET /api/models/<id>/tree/<rev>/onnx`: `[{ type: "file" | "directory", path, size, oid, lfs?: { oid, size, pointerSize }, xetHash? }]`,
 *    paginated with a `Link: <...>; rel="next"` header.
 * Errors carry `X-Error-Code` (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo) and
 * `X-Error-Message`; anonymous callers get 401 (not 404) for missing, private and gated repositories.
 *
 * Pure: the caller passes `fetch` (or a fake), so this runs in the browser, in Node and in tests.
 */
import type { ModelEntry } from './catalogue.ts';
import { DTYPES, dtypeFiles, dtypeOfFileName, type Dtype } from './dtypes.ts';

/** The part of a fetch Response this module reads (the global `fetch` satisfies it). */
export interface HubFetchResponse {
  ok: boolean;
  status: number;
  statusText?: string;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}
export type HubFetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<HubFetchResponse>;

export interface HubCheckOptions {
  /** Branch, tag or commit (default `main`). */
  revision?: string;
  /** Hub access token, for gated or private repositories. */
  token?: string;
  /**
   * `blobs` (default): one model-info request gives the gated flag and every file's size; the tree
   * endpoint is used only when the listing carries no sizes. `tree`: always list `onnx/` with the tree
   * endpoint (two requests).
   */
  via?: 'blobs' | 'tree';
  /** Relative size difference still counted as "unchanged" (default 0.01: catalogue sizes are rounded). */
  sizeTolerance?: number;
}

export interface FileCheck {
  /** Path in the repository (`onnx/model_q4.onnx`). */
  path: string;
  present: boolean;
  /** Size on the Hub, when present and reported. */
  bytes: number | null;
}

export interface DtypeCheck {
  dtype: Dtype;
  /** The graph file and every external-data chunk the catalogue expects. */
  files: FileCheck[];
  /** All expected files are on the Hub. */
  present: boolean;
  expectedBytes: number | null;
  /** Sum of the Hub sizes of the expected files (null if any is missing or unsized). */
  actualBytes: number | null;
  /** Within tolerance; null when either side is unknown. */
  sizeHolds: boolean | null;
  /** Data chunks on the Hub for this file beyond the catalogue's count (loading with fewer would break). */
  extraChunks: string[];
}

export interface HubCheckResult {
  id: string;
  revision: string;
  /** True when every checked fact holds. */
  ok: boolean;
  gated: { expected: boolean; actual: boolean | null; mode: false | 'auto' | 'manual' | null; holds: boolean | null };
  dtypes: DtypeCheck[];
  /** Dtypes whose graph file is on the Hub but not in the catalogue. */
  extraDtypes: Dtype[];
  /** One readable line per fact that no longer holds. */
  problems: string[];
  /** Which listing supplied the file sizes. */
  listing: 'blobs' | 'tree';
}

/** A Hub request failed; `message` says what it most likely means for this repository. */
export class HubCheckError extends Error {
  override readonly name = 'HubCheckError';
  constructor(
    message: string,
    readonly status: number,
    readonly url: string,
    /** The Hub's `X-Error-Code` header, if any. */
    readonly code: string | null,
  ) {
    super(message);
  }
}

interface HubFile {
  path: string;
  bytes: number | null;
}

export async function checkAgainstHub(
  entry: ModelEntry,
  fetchFn: HubFetch,
  host = 'https://huggingface.co',
  options: HubCheckOptions = {},
): Promise<HubCheckResult> {
  const revision = options.revision ?? 'main';
  const tolerance = options.sizeTolerance ?? 0.01;
  const base = host.replace(/\/+$/, '');
  const repo = entry.id.split('/').map(encodeURIComponent).join('/');
  const rev = encodeURIComponent(revision);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const get = (url: string) => request(fetchFn, url, headers, entry.id, revision);

  const infoUrl = `${base}/api/models/${repo}${revision === 'main' ? '' : `/revision/${rev}`}?blobs=true`;
  const info = asRecord((await get(infoUrl)).body, infoUrl);
  const mode = parseGated(info.gated);

  let files = siblingsOf(info);
  let listing: 'blobs' | 'tree' = 'blobs';
  if (options.via === 'tree' || files === null || files.some((f) => f.path.startsWith('onnx/') && f.bytes === null)) {
    files = await listTree(get, `${base}/api/models/${repo}/tree/${rev}/onnx`);
    listing = 'tree';
  }
  const byPath = new Map(files.map((f) => [f.path, f]));

  const problems: string[] = [];
  const actualGated = mode === null ? null : mode !== false;
  const gatedHolds = actualGated === null ? null : actualGated === entry.gated;
  if (gatedHolds === false) {
    problems.push(`gated: catalogue says ${entry.gated}, Hub says ${mode === false ? 'not gated' : `gated (${mode})`}`);
  }

  const dtypes: DtypeCheck[] = [];
  for (const dtype of DTYPES) {
    const spec = entry.dtypes[dtype];
    if (!spec) continue;
    const fileChecks: FileCheck[] = dtypeFiles(spec.file, spec.externalData).map((name) => {
      const found = byPath.get(`onnx/${name}`);
      return { path: `onnx/${name}`, present: found !== undefined, bytes: found?.bytes ?? null };
    });
    const present = fileChecks.every((f) => f.present);
    const actualBytes = present && fileChecks.every((f) => f.bytes !== null) ? fileChecks.reduce((s, f) => s + (f.bytes ?? 0), 0) : null;
    const sizeHolds =
      spec.bytes === null || actualBytes === null ? null : Math.abs(actualBytes - spec.bytes) <= tolerance * spec.bytes;
    const chunkPrefix = `onnx/${spec.file}_data`;
    const expectedPaths = new Set(fileChecks.map((f) => f.path));
    const extraChunks = files
      .map((f) => f.path)
      .filter((p) => (p === chunkPrefix || p.startsWith(`${chunkPrefix}_`)) && !expectedPaths.has(p))
      .sort();

    for (const f of fileChecks) if (!f.present) problems.push(`${dtype}: ${f.path} is missing on the Hub`);
    if (sizeHolds === false) {
      problems.push(`${dtype}: size changed, catalogue ${spec.bytes} B, Hub ${actualBytes} B (${formatChange(spec.bytes ?? 0, actualBytes ?? 0)})`);
    }
    if (extraChunks.length > 0) {
      problems.push(`${dtype}: the Hub has external-data chunks the catalogue does not count: ${extraChunks.join(', ')}`);
    }
    dtypes.push({ dtype, files: fileChecks, present, expectedBytes: spec.bytes, actualBytes, sizeHolds, extraChunks });
  }

  const extraDtypes = DTYPES.filter((d) => {
    if (entry.dtypes[d]) return false;
    return files.some((f) => f.path.startsWith('onnx/') && dtypeOfFileName(f.path.slice('onnx/'.length)) === d);
  });

  return {
    id: entry.id,
    revision,
    ok: problems.length === 0,
    gated: { expected: entry.gated, actual: actualGated, mode, holds: gatedHolds },
    dtypes,
    extraDtypes,
    problems,
    listing,
  };
}

async function request(
  fetchFn: HubFetch,
  url: string,
  headers: Record<string, string>,
  id: string,
  revision: string,
): Promise<{ body: unknown; next: string | null }> {
  let res: HubFetchResponse;
  try {
    res = await fetchFn(url, { headers });
  } catch (cause) {
    const err = new HubCheckError(`could not reach the Hub for ${id} (${url}): ${String(cause)}`, 0, url, null);
    (err as { cause?: unknown }).cause = cause;
    throw err;
  }
  if (!res.ok) throw errorFor(res, url, id, revision, Boolean(headers.authorization));
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new HubCheckError(`the Hub answered ${url} with something that is not JSON`, res.status, url, null);
  }
  return { body, next: nextLink(res.headers.get('link')) };
}

/** A message that says what a failed Hub request means, using the Hub's X-Error-Code where given. */
function errorFor(res: HubFetchResponse, url: string, id: string, revision: string, authenticated: boolean): HubCheckError {
  const code = res.headers.get('x-error-code');
  const hubMessage = res.headers.get('x-error-message');
  const detail = hubMessage ? ` (Hub: "${hubMessage}")` : '';
  const page = `https://huggingface.co/${id}`;
  let message: string;
  if (code === 'GatedRepo') {
    message = `${id} is gated: accept its licence at ${page} and pass a token with access (HTTP ${res.status})${detail}`;
  } else if (code === 'RevisionNotFound') {
    message = `${id} has no revision "${revision}" (HTTP ${res.status})${detail}`;
  } else if (code === 'EntryNotFound') {
    message = `${id} has no onnx/ folder at revision "${revision}" (HTTP ${res.status})${detail}`;
  } else if (res.status === 401) {
    message = authenticated
      ? `HTTP 401 for ${id}: the token was refused, or the repository does not exist or is private${detail}`
      : `HTTP 401 for ${id}: the Hub answers 401 to anonymous requests when a repository does not exist, was renamed or is private (and, for file access, when it is gated); check the id, or pass a token${detail}`;
  } else if (res.status === 403) {
    message = `HTTP 403 for ${id}: the token has no access to this repository${detail}`;
  } else if (res.status === 404 || code === 'RepoNotFound') {
    message = `${id} was not found on the Hub (HTTP ${res.status}${code ? `, ${code}` : ''}): it may have been renamed or deleted${detail}`;
  } else if (res.status === 429) {
    message = `the Hub rate-limited the check of ${id} (HTTP 429); try again later${detail}`;
  } else {
    message = `the Hub answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${url}${detail}`;
  }
  return new HubCheckError(message, res.status, url, code);
}

function asRecord(value: unknown, url: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HubCheckError(`unexpected answer from ${url}: expected a JSON object`, 200, url, null);
  }
  return value as Record<string, unknown>;
}

function parseGated(value: unknown): false | 'auto' | 'manual' | null {
  if (value === false || value === 'auto' || value === 'manual') return value;
  if (value === true) return 'auto';
  return null;
}

function sizeOf(item: Record<string, unknown>): number | null {
  const lfs = item.lfs;
  if (typeof lfs === 'object' && lfs !== null && typeof (lfs as { size?: unknown }).size === 'number') {
    return (lfs as { size: number }).size;
  }
  return typeof item.size === 'number' ? item.size : null;
}

/** Files from `siblings` (model info); null when the answer has no siblings list. */
function siblingsOf(info: Record<string, unknown>): HubFile[] | null {
  const siblings = info.siblings;
  if (!Array.isArray(siblings)) return null;
  const out: HubFile[] = [];
  for (const s of siblings) {
    if (typeof s !== 'object' || s === null) continue;
    const rec = s as Record<string, unknown>;
    if (typeof rec.rfilename === 'string') out.push({ path: rec.rfilename, bytes: sizeOf(rec) });
  }
  return out;
}

/** Every file under `onnx/` from the tree endpoint, following `Link: rel="next"` pages. */
async function listTree(get: (url: string) => Promise<{ body: unknown; next: string | null }>, first: string): Promise<HubFile[]> {
  const out: HubFile[] = [];
  let url: string | null = first;
  for (let page = 0; url !== null; page++) {
    if (page >= 100) throw new HubCheckError(`the tree listing of ${first} did not end after 100 pages`, 200, first, null);
    const { body, next }: { body: unknown; next: string | null } = await get(url);
    if (!Array.isArray(body)) throw new HubCheckError(`unexpected answer from ${url}: expected a JSON array`, 200, url, null);
    for (const item of body) {
      if (typeof item !== 'object' || item === null) continue;
      const rec = item as Record<string, unknown>;
      if (rec.type === 'file' && typeof rec.path === 'string') out.push({ path: rec.path, bytes: sizeOf(rec) });
    }
    url = next;
  }
  return out;
}

/** The `rel="next"` target of a Link header, if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (m?.[1]) return m[1];
  }
  return null;
}

function formatChange(expected: number, actual: number): string {
  const pct = expected === 0 ? 0 : ((actual - expected) / expected) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}
