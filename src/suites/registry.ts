/** Every suite the product knows. Adding a suite: one folder, one line here (and its meta in catalogue.ts). */
import { fairPpSuite } from './fair-pp/definition.ts';
import { fairPpLocalSuite } from './fair-pp-local/definition.ts';
import { dvmapSuite } from './dvmap/definition.ts';
import { globalOpinionsSuite } from './global-opinions/definition.ts';
import { wvsMicrodataSuite } from './wvs-microdata/definition.ts';
import type { Suite } from './suite.ts';

export const SUITES: Suite[] = [fairPpSuite, fairPpLocalSuite, dvmapSuite, globalOpinionsSuite, wvsMicrodataSuite];

export function getSuite(id: string): Suite {
  const suite = SUITES.find((s) => s.id === id);
  if (!suite) throw new Error(`unknown suite "${id}"; suites: ${SUITES.map((s) => s.id).join(', ')}`);
  return suite;
}
