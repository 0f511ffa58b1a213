import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      // Examples import the package by its public name, as users do; tests run them on the sources.
      'recovery-pbr/node': fileURLToPath(new URL('./src/node/index.ts', import.meta.url)),
      'recovery-pbr': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
