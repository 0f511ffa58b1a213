import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; dependencies?: Record<string, string> };
const version = pkg.version;
const define = { __RECOVERY_PBR_VERSION__: JSON.stringify(version) };

// The library's entry points (package.json `exports`; keep the three lists in step, a test checks
// it): the browser-safe core (`recovery-pbr`), its subpaths `report`, `modelling` and `generate`,
// and the Node helpers (`recovery-pbr/node`). ESM + CJS + .d.ts, with code shared between entries
// split into common chunks, so a class such as RecoveryPbrError is one class whichever entry a
// value comes from (`instanceof` holds across entries) and nothing is shipped twice.
// Then the command line and its worker thread (ESM, self-contained).
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  report: 'src/entries/report.ts',
  modelling: 'src/entries/modelling.ts',
  generate: 'src/entries/generate.ts',
  node: 'src/node/index.ts',
};

export default defineConfig([
  {
    entry: LIBRARY_ENTRIES,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: true,
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
    // The run-time dependencies bundled in too (every one package.json lists): Node's module
    // loader resolving and reading their files took 0.2-0.3 s at every start of the command and of
    // each worker thread (bench/README.md), a share of a 100k-client run worth having back. The
    // command line so carries the versions it was built with (docs/security.md).
    noExternal: Object.keys(pkg.dependencies ?? {}),
    define,
  },
]);
