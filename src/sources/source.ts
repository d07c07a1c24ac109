/**
 * Where a suite's data comes from. A suite names files (a Hub dataset file, a GitHub raw URL)
 * and the environment fetches them: the browser through fetch + IndexedDB, Node through
 * fetch + a cache folder; a file the user supplies replaces the remote one.
 */

export interface FetchProgress {
  url: string;
  loaded: number;
  total: number | null;
}

export interface DataSourceContext {
  /** Fetches a URL (through the cache); throws DataSourceError on HTTP or network failure. */
  fetchBytes(url: string, options?: { signal?: AbortSignal; onProgress?: (p: FetchProgress) => void }): Promise<Uint8Array>;
  /** A file the user supplied for this run (`--data`, or a file picked in the app). */
  userFile?: UserFile;
  /** Other files a suite takes by role: 'anchors' (an anchor pack), 'metadata', 'codebook'. */
  extraFiles?: Record<string, UserFile>;
  /** Base URLs, overridable so tests serve fixtures from a local server. */
  hubHost: string;
  githubRawHost: string;
  signal?: AbortSignal;
  /** Human-readable status lines ("downloading test.parquet…"). */
  log?: (message: string) => void;
  /**
   * The suite baseline the run scores with (`baseline:<name>` -> name), if any: a suite loads
   * what that baseline needs (DVMap's majority reads the corpus train split) only then.
   */
  baseline?: string;
}

/**
 * A file the user supplied. Read whole (`bytes`) or streamed (`stream`, for files of hundreds
 * of megabytes such as WVS microdata); neither is read until asked.
 */
export interface UserFile {
  name: string;
  size: number;
  bytes(): Promise<Uint8Array>;
  stream(): ReadableStream<Uint8Array>;
}

export function userFileFromBytes(name: string, data: Uint8Array): UserFile {
  return {
    name,
    size: data.byteLength,
    bytes: async () => data,
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const chunk = 1 << 20;
          for (let i = 0; i < data.byteLength; i += chunk) controller.enqueue(data.subarray(i, i + chunk));
          controller.close();
        },
      }),
  };
}

/** A File or Blob (the browser's file picker, or one sent to the Worker). */
export function userFileFromBlob(blob: Blob, name = (blob as Blob & { name?: string }).name ?? 'file'): UserFile {
  return {
    name,
    size: blob.size,
    bytes: async () => new Uint8Array(await blob.arrayBuffer()),
    stream: () => blob.stream() as ReadableStream<Uint8Array>,
  };
}

export class DataSourceError extends Error {
  override name = 'DataSourceError';
  constructor(
    message: string,
    readonly url?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export const DEFAULT_HUB_HOST = 'https://huggingface.co';
export const DEFAULT_GITHUB_RAW_HOST = 'https://raw.githubusercontent.com';

/** `<host>/datasets/<id>/resolve/<revision>/<path>` */
export function hubDatasetFileUrl(host: string, datasetId: string, revision: string, path: string): string {
  return `${host.replace(/\/+$/, '')}/datasets/${datasetId}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** `<host>/<owner>/<repo>/<ref>/<path>` */
export function githubRawUrl(host: string, repo: string, ref: string, path: string): string {
  return `${host.replace(/\/+$/, '')}/${repo}/${ref}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** A plain fetch with clear errors and byte progress; the environments wrap it with a cache. */
export async function fetchWithProgress(
  url: string,
  options: { signal?: AbortSignal; onProgress?: (p: FetchProgress) => void; fetch?: typeof fetch; headers?: Record<string, string> } = {},
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { signal: options.signal, headers: options.headers });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new DataSourceError(`could not download ${url}: ${error instanceof Error ? error.message : String(error)} (offline? Load the file from disk instead)`, url);
  }
  if (!response.ok) {
    const hint =
      response.status === 401 || response.status === 403
        ? ' (this dataset may require accepting its terms on the Hub, or a token)'
        : response.status === 404
          ? ' (not found: the file may have moved; load it from disk instead)'
          : '';
    throw new DataSourceError(`HTTP ${response.status} for ${url}${hint}`, url, response.status);
  }
  const total = Number(response.headers.get('content-length')) || null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    options.onProgress?.({ url, loaded, total });
  }
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * The Hub's Parquet conversion of a dataset split: the API lists the files
 * (`/api/datasets/<id>/parquet/<config>/<split>` -> ["<url>", ...]); if the listing cannot be
 * had, the conventional path on the `refs/convert/parquet` branch is tried.
 */
export async function hubParquetUrls(context: DataSourceContext, datasetId: string, config: string, split: string): Promise<string[]> {
  const host = context.hubHost.replace(/\/+$/, '');
  const listing = `${host}/api/datasets/${datasetId}/parquet/${encodeURIComponent(config)}/${encodeURIComponent(split)}`;
  try {
    const bytes = await context.fetchBytes(listing, { signal: context.signal });
    const urls = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string')) return urls as string[];
  } catch (error) {
    if (context.signal?.aborted) throw error;
    context.log?.(`no Parquet listing at ${listing}; trying the conventional file path`);
  }
  return [hubDatasetFileUrl(host, datasetId, 'refs/convert/parquet', `${config}/${split}/0000.parquet`)];
}
