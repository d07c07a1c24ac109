/** Which results view shows which suite; suites without one get the headline table. */
import type { Component } from 'svelte';

type Loader = () => Promise<{ default: Component<any> }>;

export const RESULT_VIEWS: Record<string, Loader> = {
  'fair-pp': () => import('./FairPpResults.svelte'),
  'fair-pp-local': () => import('./FairPpResults.svelte'),
  dvmap: () => import('./DvmapResults.svelte'),
  'global-opinions': () => import('./GlobalOpinionsResults.svelte'),
  'wvs-microdata': () => import('./WvsMicrodataResults.svelte'),
};
