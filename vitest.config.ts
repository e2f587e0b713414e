import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'shared/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'test/integration/**/*.test.ts',
      'test/e2e/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default (1 s) is shorter than a step of the UI takes on a loaded two-core CI
    // machine running tests side by side: a poll only waits longer, it never passes sooner.
    expect: { poll: { timeout: 10_000 } },
  },
});
