/**
 * The one small interface every model backend implements: transformers.js (browser and
 * Node), an OpenAI-compatible HTTP endpoint, and the null baselines. The engine speaks only
 * to this interface, so a new backend is one new folder.
 */

export interface ChatPrompt {
  system?: string;
  user: string;
}

export interface LabelScoringRequest {
  prompt: ChatPrompt;
  /** Labels shown for the options, in display order ("A", "B", ...). */
  labels: string[];
}

export interface LabelScore {
  /** Probability of each label, renormalised over the labels (display order). */
  probs: number[];
  /** Probability mass on the labels before renormalising (low = not answering in format). */
  labelMass: number;
}

export interface GenerationRequest {
  prompt: ChatPrompt;
  /** Number of completions; 1 with temperature 0 is greedy decoding. */
  samples: number;
  temperature: number;
  maxNewTokens: number;
  seed: number;
}

export interface ScoreOptions {
  /** Reuse the key/value cache of a prefix that requests share (persona, instructions). */
  prefixReuse: boolean;
  /** Most requests in one forward pass. */
  batchSize: number;
  signal?: AbortSignal;
}

export interface BackendInfo {
  kind: 'hub' | 'folder' | 'synthetic' | 'endpoint' | 'baseline';
  /** The reference as the user gave it. */
  ref: string;
  id: string;
  revision?: string;
  dtype?: string;
  device: string;
  deviceReason?: string;
  adapter?: string;
  /** Which positions' logits the model computes when scoring (see logits-to-keep.ts). */
  logits?: string;
  libraries: Record<string, string>;
  /** How system prompts reach the model. */
  systemRole: 'system' | 'merged-into-user';
  supportsLikelihood: boolean;
  supportsGeneration: boolean;
}

export interface ModelBackend {
  readonly info: BackendInfo;
  scoreLabels(requests: LabelScoringRequest[], options: ScoreOptions): Promise<LabelScore[]>;
  generate(requests: GenerationRequest[], options: { signal?: AbortSignal }): Promise<string[][]>;
  dispose(): Promise<void>;
}

/**
 * A model that answers items directly, without prompts: the null baselines (uniform, the
 * majority answer of the training population, ...). Order-invariant by construction.
 */
export interface ItemPredictor {
  readonly info: BackendInfo;
  /** Distribution over the item's options in the source's order, or null when undefined (reported as N/A). */
  predict(item: import('../items/item.ts').Item): number[] | null;
  dispose(): Promise<void>;
}

export function isItemPredictor(model: ModelBackend | ItemPredictor): model is ItemPredictor {
  return 'predict' in model;
}

/** Raised when a run is cancelled through its AbortSignal. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'the run was cancelled') {
    super(message);
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}
