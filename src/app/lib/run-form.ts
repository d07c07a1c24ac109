/**
 * The New run form's logic that is not layout: why "Start the run" is disabled, and the
 * last-used settings per suite (kept in sessionStorage, so Back after a failed start, or a
 * return to the form, finds them again). Picked files cannot be kept: the browser gives a page
 * no way to hold on to a file once it is left.
 */
import type { OptionValue, SuiteInput } from '../../suites/suite.ts';

/** "Your WVS Wave 7 CSV (from the WVS website…)" → "your WVS Wave 7 CSV". */
export function inputName(input: Pick<SuiteInput, 'label'>): string {
  const name = input.label.replace(/\s*\(.*$/s, '').trim();
  return /^[A-Z][a-z]/.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}

export interface StartBlockers {
  refBlank: string | null;
  refError: string | null;
  optionError: string | null;
  missingInput: Pick<SuiteInput, 'label'> | undefined;
  memoryProblem: string | null;
  deviceError: string | null;
}

/** Why the run cannot start yet (shown next to the button), or null when it can. */
export function startBlockedReason(b: StartBlockers): string | null {
  if (b.missingInput) return `Choose ${inputName(b.missingInput)} first.`;
  if (b.refBlank) return b.refBlank;
  if (b.refError) return `Fix the model: ${b.refError}`;
  if (b.optionError) return `Fix the suite options: ${b.optionError}`;
  if (b.memoryProblem) return 'This model does not fit this device (see above).';
  if (b.deviceError) return `The device cannot run it: ${b.deviceError}`;
  return null;
}

/** Everything on the form but files and secrets. */
export interface RunFormValues {
  options: Record<string, OptionValue>;
  sourceKind: string;
  catalogueId: string;
  hubId: string;
  siteFolder: string;
  syntheticPreset: string;
  endpointUrl: string;
  endpointModel: string;
  baselineName: string;
  dtypeChoice: string;
  device: string;
  mode: string;
  order: string;
  limit: number | null;
  strategy: string;
  seed: number;
  batchSize: number;
  prefixReuse: boolean;
  samples: number;
  temperature: number;
  maxNewTokens: number | null;
}

const key = (suiteId: string) => `pluralscope:run-form:${suiteId}`;

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

function session(): KeyValueStore | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

export function saveRunForm(suiteId: string, values: RunFormValues, store: KeyValueStore | null = session()): void {
  try {
    store?.setItem(key(suiteId), JSON.stringify(values));
  } catch {
    // Full or disabled storage: the form simply starts from the defaults next time.
  }
}

/** The suite's last-used values, or null (none, or unreadable). */
export function loadRunForm(suiteId: string, store: KeyValueStore | null = session()): Partial<RunFormValues> | null {
  try {
    const text = store?.getItem(key(suiteId));
    const value: unknown = text ? JSON.parse(text) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<RunFormValues>) : null;
  } catch {
    return null;
  }
}
