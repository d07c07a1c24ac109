/**
 * Null baselines as models, so every chart can show what "no information" scores:
 *  - `baseline:uniform`: every option equally likely;
 *  - suite-defined ones (`baseline:majority`, `baseline:population`): the suite supplies a
 *    distribution per item from its training data, or null where it is not defined.
 */
import type { BackendInfo, ItemPredictor } from '../backend.ts';
import type { Item } from '../../items/item.ts';

const baseInfo = (name: string): BackendInfo => ({
  kind: 'baseline',
  ref: `baseline:${name}`,
  id: name,
  device: 'none',
  libraries: {},
  systemRole: 'system',
  supportsLikelihood: true,
  supportsGeneration: false,
});

export function uniformBaseline(): ItemPredictor {
  return {
    info: baseInfo('uniform'),
    predict: (item) => item.options.map(() => 1 / item.options.length),
    dispose: async () => {},
  };
}

/** A baseline whose answers the suite computes (from training data). */
export function suiteBaseline(name: string, predict: (item: Item) => number[] | null): ItemPredictor {
  return { info: baseInfo(name), predict, dispose: async () => {} };
}
