/**
 * An OpenAI-compatible chat-completions endpoint as a backend: hosted models, or a server on
 * the user's own machine (vLLM, llama.cpp's llama-server, Ollama).
 *
 * Likelihood mode asks for one token with `logprobs` and `top_logprobs` and reads each
 * label's probability from the first token's top alternatives (the label's spellings with and
 * without a leading space are summed, as in the local backend); labels outside the top list
 * count as 0, and the label mass says how much the list covered.
 *
 * The API key lives in this object only: never in `info`, records, logs or errors.
 */
import { CancelledError, throwIfAborted, type BackendInfo, type GenerationRequest, type LabelScore, type LabelScoringRequest, type ModelBackend, type ScoreOptions } from '../backend.ts';

export interface EndpointOptions {
  /** Base URL up to and including /v1, e.g. http://localhost:11434/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Attempts for a request that failed with 429 / 5xx / a network error. */
  maxAttempts?: number;
  topLogprobs?: number;
  fetch?: typeof fetch;
  /** Waits (tests pass a fake clock). */
  sleep?: (ms: number) => Promise<void>;
  /** The page's origin, for the CORS advice in errors; absent outside a browser (no page, no CORS). */
  origin?: string;
}

export class EndpointError extends Error {
  override name = 'EndpointError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

interface ChatResponse {
  choices?: Array<{
    message?: { content?: string | null };
    logprobs?: { content?: Array<{ token: string; logprob: number; top_logprobs?: Array<{ token: string; logprob: number }> }> | null } | null;
  }>;
}

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/;

export function corsAdvice(baseUrl: string, origin: string): string {
  let host = '';
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return `"${baseUrl}" is not a valid URL`;
  }
  const local = LOCAL_HOST.test(host);
  return (
    `Could not reach ${baseUrl}.` +
    (local
      ? ` A server on your own machine must allow requests from this page (${origin}): ` +
        `Ollama: start it with OLLAMA_ORIGINS="${origin}"; llama.cpp: llama-server answers cross-origin requests by default (check --host/--port and that it is running); ` +
        `vLLM: add --allowed-origins '["${origin}"]' to vllm serve.`
      : ' Check the URL, your connection, and that the server allows cross-origin requests (CORS) from this page.')
  );
}

/**
 * Why a server could not be reached from Node (the command line): no page, so no CORS; the
 * usual causes are a server that is not running or a wrong URL. `cause` is the network error
 * ("ECONNREFUSED"), when known.
 */
export function unreachableAdvice(baseUrl: string, cause?: string): string {
  try {
    new URL(baseUrl);
  } catch {
    return `"${baseUrl}" is not a valid URL`;
  }
  return (
    `Could not reach the server at ${baseUrl}${cause ? ` (${cause})` : ''}. ` +
    'Check the URL (it usually ends in /v1) and that the server is running and listening there (ollama serve, llama-server --port, vllm serve).'
  );
}

/** Why a fetch failed, from the error's cause (Node puts it there): a system code such as ECONNREFUSED, else its message ("bad port"). */
function networkFailure(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
}

export class EndpointBackend implements ModelBackend {
  readonly info: BackendInfo;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Calls made, for the cost estimate's accounting and tests. */
  readonly stats = { requests: 0, retries: 0 };

  constructor(private readonly options: EndpointOptions) {
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.info = {
      kind: 'endpoint',
      ref: `endpoint:${options.baseUrl}#${options.model}`,
      id: options.model,
      device: 'remote',
      libraries: {},
      systemRole: 'system',
      supportsLikelihood: true,
      supportsGeneration: true,
    };
  }

  private messages(prompt: LabelScoringRequest['prompt']) {
    return [...(prompt.system ? [{ role: 'system', content: prompt.system }] : []), { role: 'user', content: prompt.user }];
  }

  private async post(body: Record<string, unknown>, signal?: AbortSignal): Promise<ChatResponse> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const attempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      this.stats.requests++;
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: this.options.model, ...body }),
          signal,
        });
      } catch (error) {
        if (signal?.aborted) throw new CancelledError();
        if (attempt >= attempts) {
          const origin = this.options.origin;
          throw new EndpointError(origin ? corsAdvice(this.options.baseUrl, origin) : unreachableAdvice(this.options.baseUrl, networkFailure(error)));
        }
        await this.backoff(attempt, null);
        continue;
      }
      if (response.ok) return (await response.json()) as ChatResponse;
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < attempts) {
        await this.backoff(attempt, response.headers.get('retry-after'));
        continue;
      }
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      if (response.status === 401 || response.status === 403) {
        throw new EndpointError(`the endpoint refused the request (HTTP ${response.status}): check the API key. ${detail}`, response.status);
      }
      if (response.status === 404) {
        throw new EndpointError(`HTTP 404 from ${url}: is the base URL right (it usually ends in /v1) and is the model "${this.options.model}" served there? ${detail}`, 404);
      }
      throw new EndpointError(`HTTP ${response.status} from ${url}: ${detail}`, response.status);
    }
  }

  private async backoff(attempt: number, retryAfter: string | null): Promise<void> {
    this.stats.retries++;
    const seconds = retryAfter !== null && Number.isFinite(Number(retryAfter)) ? Number(retryAfter) : null;
    const ms = seconds !== null ? seconds * 1000 : Math.min(30_000, 500 * 2 ** (attempt - 1));
    await this.sleep(ms);
  }

  private async pool<T, R>(inputs: T[], task: (input: T) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
    const out = new Array<R>(inputs.length);
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        throwIfAborted(signal);
        const i = next++;
        out[i] = await task(inputs[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, inputs.length) }, worker));
    return out;
  }

  async scoreLabels(requests: LabelScoringRequest[], options: ScoreOptions): Promise<LabelScore[]> {
    return this.pool(
      requests,
      async (request) => {
        const response = await this.post(
          {
            messages: this.messages(request.prompt),
            max_tokens: 1,
            temperature: 0,
            logprobs: true,
            top_logprobs: this.options.topLogprobs ?? 20,
          },
          options.signal,
        );
        const first = response.choices?.[0]?.logprobs?.content?.[0];
        if (!first) {
          throw new EndpointError('the endpoint returned no logprobs: it may not support them; use generation mode instead');
        }
        const alternatives = first.top_logprobs?.length ? first.top_logprobs : [first];
        return labelScoreFromTopLogprobs(alternatives, request.labels);
      },
      options.signal,
    );
  }

  async generate(requests: GenerationRequest[], options: { signal?: AbortSignal }): Promise<string[][]> {
    return this.pool(
      requests,
      async (request) => {
        const texts: string[] = [];
        // Ask for n at once; servers that ignore `n` answer with one choice, so ask again.
        for (let guard = 0; texts.length < request.samples && guard < request.samples; guard++) {
          const response = await this.post(
            {
              messages: this.messages(request.prompt),
              max_tokens: request.maxNewTokens,
              temperature: request.temperature,
              n: request.samples - texts.length,
              seed: request.seed + texts.length,
            },
            options.signal,
          );
          for (const choice of response.choices ?? []) texts.push(choice.message?.content ?? '');
        }
        return texts.slice(0, request.samples);
      },
      options.signal,
    );
  }

  async dispose(): Promise<void> {}
}

/** Sums the probabilities of each label's spellings ("A", " A") among the top alternatives. */
export function labelScoreFromTopLogprobs(alternatives: Array<{ token: string; logprob: number }>, labels: string[]): LabelScore {
  const raw = labels.map(() => 0);
  for (const alt of alternatives) {
    const i = labels.findIndex((l) => alt.token === l || alt.token === ` ${l}`);
    if (i >= 0) raw[i]! += Math.exp(alt.logprob);
  }
  const mass = raw.reduce((a, b) => a + b, 0);
  return { probs: mass > 0 ? raw.map((p) => p / mass) : raw.map(() => 1 / raw.length), labelMass: Math.min(1, mass) };
}
