import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    include: ['test/**/*.test.ts'],
    // Test files share their worker's module cache: importing the sources once per worker instead
    // of once per file halves the suite's time on a 2-core machine (no test relies on a fresh
    // module state; the ones that need a clean process spawn one).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
