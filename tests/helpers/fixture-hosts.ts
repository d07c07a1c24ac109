/** The project's fixtures served where the real sources live (Hub datasets, GitHub raw). */
import { resolve } from 'node:path';
import { startFixtureServer, type FixtureServer } from './fixture-server.ts';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/data');

export async function startDatasetHost(): Promise<FixtureServer> {
  return startFixtureServer({
    datasets: {
      'tools-o/Fair-PP': `${FIXTURES}/fair-pp`,
      'tools-o/Fair-PP-simulation': `${FIXTURES}/fair-pp/simulation`,
      'Anthropic/llm_global_opinions': `${FIXTURES}/global-opinions`,
    },
    mounts: { '/EnlightenedAI/DVMap/main': `${FIXTURES}/dvmap` },
    json: {
      '/api/datasets/tools-o/Fair-PP/parquet/default/test': (base) => [`${base}/datasets/tools-o/Fair-PP/resolve/refs%2Fconvert%2Fparquet/test.parquet`],
      '/api/datasets/tools-o/Fair-PP/parquet/default/train': (base) => [`${base}/datasets/tools-o/Fair-PP/resolve/refs%2Fconvert%2Fparquet/train.parquet`],
      '/api/datasets/tools-o/Fair-PP-simulation/parquet/default/train': (base) => [
        `${base}/datasets/tools-o/Fair-PP-simulation/resolve/refs%2Fconvert%2Fparquet/train.parquet`,
      ],
    },
  });
}
