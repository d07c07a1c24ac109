/** The New run form's logic that is not layout: why "Start the run" is disabled. */
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
