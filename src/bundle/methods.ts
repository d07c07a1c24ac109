/** Training methods a bundle can carry, and which suites offer which. */

export const METHODS = ['sft', 'dpo', 'wsft', 'wdpo', 'lora-sft', 'grpo'] as const;
export type Method = (typeof METHODS)[number];

export const METHOD_DESCRIPTIONS: Record<Method, string> = {
  sft: 'supervised fine-tuning on the target\'s answers (LoRA)',
  dpo: 'direct preference optimisation: the target\'s answer preferred over the other option',
  wsft: 'SFT with FAIR-SP frequency-tier weights (answers unique to the target weigh more)',
  wdpo: 'DPO with FAIR-SP frequency-tier weights',
  'lora-sft': 'LoRA SFT over all personas (the WVS subgroups paper)',
  grpo: 'GRPO with an exact-answer reward and a format reward (DVMap)',
};

/** Which methods and targets each suite supports. */
export const BUNDLE_SUPPORT: Record<string, { methods: readonly Method[]; targets: readonly string[] }> = {
  'fair-pp': { methods: ['sft', 'dpo', 'wsft', 'wdpo'], targets: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'] },
  'fair-pp-local': { methods: ['sft', 'dpo', 'wsft', 'wdpo'], targets: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'] },
  dvmap: { methods: ['lora-sft', 'grpo'], targets: ['all'] },
  'wvs-microdata': { methods: ['lora-sft'], targets: ['all'] },
};

export class BundleError extends Error {
  override name = 'BundleError';
}

export function checkBundleRequest(suite: string, method: string, target: string): { method: Method } {
  const support = BUNDLE_SUPPORT[suite];
  if (!support) throw new BundleError(`suite ${suite} has no training bundle; bundles exist for ${Object.keys(BUNDLE_SUPPORT).join(', ')}`);
  if (!(support.methods as readonly string[]).includes(method)) {
    throw new BundleError(`method ${method} is not offered for ${suite}; choose one of ${support.methods.join(', ')}`);
  }
  if (!support.targets.includes(target)) {
    throw new BundleError(`target ${target} is not valid for ${suite}; choose ${support.targets.length === 1 ? support.targets[0] : `one of ${support.targets.join(', ')}`}`);
  }
  return { method: method as Method };
}
