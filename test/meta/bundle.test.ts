/**
 * The browser-safe entries bundle for the browser (issue #10, item 6): esbuild, platform `browser`,
 * bundles the root entry and the `report`, `modelling` and `generate` subpaths with every
 * dependency, and the bundles import nothing (no `node:` module, no Node built-in: esbuild fails on
 * one it cannot resolve for a browser). zod is imported as a namespace (`import * as z`), so only
 * what is used is bundled: of its ~40 locales only English, the one whose messages the library
 * shows. The root bundle stays within a size budget (measured: about 348 KB minified, 108.1 KB
 * gzip, after the speed steps of issue #11's twenty-second session).
 */
import { build, type Metafile } from 'esbuild';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BROWSER_ENTRIES = { 'recovery-pbr': 'src/index.ts', 'recovery-pbr/report': 'src/entries/report.ts', 'recovery-pbr/modelling': 'src/entries/modelling.ts', 'recovery-pbr/generate': 'src/entries/generate.ts' };
/**
 * gzip budget of the root entry's minified browser bundle, in bytes. 100 KB until the third speed
 * step of issue #11 (fewer objects per client, rows passed over unsplit), which added 0.9 KB gzip
 * of code to the core and took it to 100.3 KB: raised to 104 KB. The later speed steps took it to
 * 103.5 KB, and the twelfth session's (the tokenizer's plain path four bytes at a time, runs of
 * one date sorted, columns reserved) to 104.1 KB (+0.6 KB): raised to 108 KB, again so that the
 * budget still catches a new dependency or a large table pulled into the page by mistake (either
 * is tens of KB). Later speed steps took it to 107.4 KB, and the twenty-second session's (lists
 * made at their length, evidence and journeys without copies, abstinence's answers kept per shared
 * substance list) to 108.1 KB (+0.7 KB): raised to 112 KB on the same terms.
 */
const ROOT_GZIP_BUDGET = 112 * 1024;

async function bundle(entry: string): Promise<{ code: string; metafile: Metafile }> {
  const r = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: r.outputFiles[0]!.text, metafile: r.metafile };
}

describe('browser bundles of the core', () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

  it.each(Object.entries(BROWSER_ENTRIES))('%s bundles for the browser and imports nothing', async (_name, entry) => {
    const { code, metafile } = await bundle(entry);
    const out = Object.values(metafile.outputs)[0]!;
    expect(out.imports).toEqual([]);
    expect(code).not.toMatch(/["']node:[a-z_/]+["']/);
    // Modules with code in the bundle (esbuild lists every module it read, shaken off or not).
    const bundled = Object.entries(out.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([i]) => i);
    expect(bundled.filter((i) => builtins.has(i))).toEqual([]);
    const locales = bundled.filter((i) => i.includes('zod/v4/locales/'));
    expect(locales.map((l) => l.split('/').pop())).toEqual(locales.length ? ['en.js'] : []);
  }, 60_000);

  it(`keeps the root entry within ${ROOT_GZIP_BUDGET / 1024} KB gzip`, async () => {
    const { code } = await bundle(BROWSER_ENTRIES['recovery-pbr']);
    const gzip = gzipSync(code, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(ROOT_GZIP_BUDGET);
  }, 60_000);
});
