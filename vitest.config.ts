import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Test files that replace a module with vi.mock. */
const MOCKING = ['test/io/write-failure.test.ts', 'test/node/spare-pool.test.ts'];

export default defineConfig({
  resolve: {
    alias: {
      // Examples import the package by its public name, as users do; tests run them on the sources.
      // Subpaths first: an alias is a prefix match, so 'recovery-pbr' alone would also catch them.
      'recovery-pbr/node': fileURLToPath(new URL('./src/node/index.ts', import.meta.url)),
      'recovery-pbr/report': fileURLToPath(new URL('./src/entries/report.ts', import.meta.url)),
      'recovery-pbr/modelling': fileURLToPath(new URL('./src/entries/modelling.ts', import.meta.url)),
      'recovery-pbr/generate': fileURLToPath(new URL('./src/entries/generate.ts', import.meta.url)),
      'recovery-pbr': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    testTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: a single worker on the 2-core machines
    // this project runs on, while many files wait on child processes (the CLI, npm, Chromium) and
    // leave a core idle. Two workers there: the suite took 199 s instead of 283 s (same spell).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 120_000,
    // toThrow('text') and toThrow(/re/) fail for a thrown undefined or null (chai passes them).
    setupFiles: ['test/support/setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...MOCKING],
          // Test files share their worker's module cache: the sources are imported once per
          // worker instead of once per file (a third of the suite's time on 2 cores). No test
          // here relies on a fresh module state; those that need a clean process spawn one.
          isolate: false,
        },
      },
      // Files that mock a module must import everything afresh, so the mock is what they load.
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
});
