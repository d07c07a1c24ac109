import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Opt-in checks, outside `npm test`: they need an environment this project's CI cannot install
 * (optimum-onnx is not on its package index). `npm run test:export` runs them, and there a missing
 * environment is a failure, not a skip.
 */
const OPT_IN = ['tests/bundle/optimum-export.test.ts'];

/** Unit tests: Node, no browser. Browser tests are Playwright's (tests/e2e). */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: process.env.PLURALSCOPE_OPT_IN === '1' ? configDefaults.exclude : [...configDefaults.exclude, ...OPT_IN],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
