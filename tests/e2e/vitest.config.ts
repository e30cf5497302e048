import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time (each drives Chromium with several contexts against an
// in-process platform).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['tests/e2e/support/build-web.ts'],
  },
});
