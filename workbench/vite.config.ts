/**
 * Builds the workbench page (issue #14) into dist/workbench: static files any web server (or
 * `recovery-pbr workbench`) can serve with no server logic. The demo cohort (examples/demo) is
 * copied in as static assets, so "Load the demo cohort" fetches it from the page's own origin.
 * Paths are relative (base './'), so the folder works wherever it is hosted.
 * RECOVERY_PBR_WORKBENCH_OUT builds elsewhere (the browser test builds into a temporary folder).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));
const version = (JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { version: string }).version;
const demoDir = `${repo}examples/demo/`;

/** The demo files as assets of the page (demo/episodes.csv, …). */
function demoFiles(): Plugin {
  return {
    name: 'recovery-pbr-demo-files',
    generateBundle() {
      for (const name of readdirSync(demoDir).filter((n) => n.endsWith('.csv')).sort()) {
        this.emitFile({ type: 'asset', fileName: `demo/${name}`, source: readFileSync(`${demoDir}${name}`) });
      }
    },
  };
}

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  define: { __RECOVERY_PBR_VERSION__: JSON.stringify(version) },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [demoFiles()],
  worker: { format: 'es' },
  build: {
    outDir: process.env['RECOVERY_PBR_WORKBENCH_OUT'] ?? `${repo}dist/workbench`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
  },
});
