import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const define = { __RECOVERY_PBR_VERSION__: JSON.stringify(version) };

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
    define,
  },
  {
    entry: { cli: 'src/cli/main.ts', worker: 'src/node/worker.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    splitting: false,
    define,
  },
]);
