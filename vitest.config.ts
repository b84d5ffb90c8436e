import { defineConfig } from 'vitest/config';

// Tests import the built package from dist/ (npm test builds first), so they check what users get.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
