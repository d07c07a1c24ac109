import { defineConfig } from 'vitest/config';

/** Unit tests: Node, no browser. Browser tests are Playwright's (tests/e2e). */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
