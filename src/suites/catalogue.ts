/**
 * What the app shows about each suite before any suite code loads (names, options, inputs,
 * licences). The full definitions are in registry.ts; each suite folder's meta.ts feeds both.
 */
import { fairPpMeta } from './fair-pp/meta.ts';
import { fairPpLocalMeta } from './fair-pp-local/meta.ts';
import { dvmapMeta } from './dvmap/meta.ts';
import { globalOpinionsMeta } from './global-opinions/meta.ts';
import { wvsMicrodataMeta } from './wvs-microdata/meta.ts';
import type { SuiteMeta } from './suite.ts';

export const SUITE_CATALOGUE: SuiteMeta[] = [fairPpMeta, fairPpLocalMeta, dvmapMeta, globalOpinionsMeta, wvsMicrodataMeta];
