import { defineConfig } from 'tsup';

// Three entry points: the browser-safe core (`recovery-pbr`), the Node file/stream helpers
// (`recovery-pbr/node`) and the command line. ESM + CJS + .d.ts for the two libraries.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/main.ts', worker: 'src/node/worker.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    splitting: false,
  },
]);
