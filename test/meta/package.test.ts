/**
 * The package as a user installs it (issue #10, items 4 and 5): the built package is packed with
 * `npm pack`, and the tarball is
 * - checked by "Are the types wrong?" (attw) in every module resolution (node10, node16 from CJS and
 *   from ESM, bundler) and by publint (strict);
 * - installed into a throwaway project whose consumer files (test/types/) are compiled by `tsc`
 *   under node16, nodenext and bundler without Node's types (nodenext WITHOUT skipLibCheck, so the shipped .d.ts are checked too), proving
 *   among other things that money values are decimal.js Decimals and not `any`;
 * - loaded by Node from ESM and from CommonJS, every entry point, with one RecoveryPbrError class
 *   across entries.
 * dist/ is rebuilt first when it is missing or older than the sources (CI's `npm ci` has just built
 * it, so there this costs nothing).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY_ENTRIES } from '../../tsup.config.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  exports: Record<string, unknown>;
};
const bin = (p: string) => join(ROOT, 'node_modules', p);
/** The public subpaths, as `exports` names them (`.` is the root). */
const SUBPATHS = Object.keys(pkg.exports).filter((k) => k !== './package.json');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** When the library part of dist/ was built, or undefined when a file is missing. */
function builtAt(): number | undefined {
  const files = Object.keys(LIBRARY_ENTRIES).flatMap((e) => ['js', 'cjs', 'd.ts', 'd.cts'].map((x) => join(ROOT, 'dist', `${e}.${x}`)));
  if (!files.every((f) => existsSync(f))) return undefined;
  return Math.min(...files.map((f) => statSync(f).mtimeMs));
}

let work: string;
let tarball: string;
let consumer: string;

beforeAll(async () => {
  const sources = Math.max(...['src', 'seeds', 'workbench', 'package.json', 'tsup.config.ts', 'tsconfig.json'].map((p) => newestMtime(join(ROOT, p))));
  const built = builtAt();
  if (built === undefined || built < sources) {
    // The whole build (as `prepare` does): tsup empties dist/, the workbench page goes back in.
    await run('npm', ['run', '--silent', 'build'], { cwd: ROOT, maxBuffer: 64 << 20 });
  }
  work = mkdtempSync(join(tmpdir(), 'rpbr-package-'));
  // --ignore-scripts: pack the dist/ just checked, without `prepare` building it again.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, maxBuffer: 64 << 20 });
  tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);

  // A throwaway ESM project with the tarball and its dependencies installed, nothing else: a type
  // the package would need from one of its devDependencies fails here.
  consumer = join(work, 'consumer');
  const installed = join(consumer, 'node_modules', 'recovery-pbr');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const dep of Object.keys(pkg.dependencies)) symlinkSync(bin(dep), join(consumer, 'node_modules', dep), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  for (const f of readdirSync(join(ROOT, 'test/types'))) copyFileSync(join(ROOT, 'test/types', f), join(consumer, f));
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// The slow checks (attw, tsc) run side by side; the generous timeouts are for a busy machine
// (each takes 5–15 s of CPU).
describe.concurrent('the packed package', () => {
  it('has no type problem in any module resolution (attw)', async ({ expect }) => {
    const r = await run(process.execPath, [bin('@arethetypeswrong/cli/dist/index.js'), tarball, '--format', 'json'], { maxBuffer: 64 << 20 }).catch(
      (e: { stdout: string }) => e,
    );
    const report = JSON.parse(r.stdout) as { analysis: { entrypoints: Record<string, unknown>; problems: unknown[] } };
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([...SUBPATHS, './package.json'].sort());
    expect(report.analysis.problems).toEqual([]);
  }, 600_000);

  it('passes publint (strict: warnings count)', async ({ expect }) => {
    const bytes = readFileSync(tarball);
    const { messages, pkg: packed } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: 'suggestion', strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, packed, { color: false }) ?? m.code}`)).toEqual([]);
  }, 300_000);

  it('holds the built entries, the command line, the workbench page and the presets, and no source or test file', async ({ expect }) => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const e of Object.keys(LIBRARY_ENTRIES)) for (const x of ['js', 'cjs', 'd.ts', 'd.cts']) expect(files).toContain(`dist/${e}.${x}`);
    expect(files).toEqual(
      expect.arrayContaining(['bin/recovery-pbr.js', 'dist/cli.js', 'dist/worker.js', 'dist/workbench/index.html', 'seeds/national-model-2012.json', 'package.json', 'README.md']),
    );
    // The demo's data ships (so `npx recovery-pbr demo` runs from an installed package); no code beside it.
    expect(files).toEqual(expect.arrayContaining(['examples/demo/episodes.csv', 'examples/README.md']));
    expect(files.filter((f) => /^(src|test|bench)\//.test(f) || (f.startsWith('examples/') && !/^examples\/(demo\/|README\.md$)/.test(f)))).toEqual([]);
  });

  // A TypeScript consumer of the packed package: tsc WITHOUT skipLibCheck, so the shipped .d.ts are checked too.
  // No @types/node: the shipped types must not need Node's (a browser project has none), and
  // checking Node's own declarations three times would only cost time.
  const common = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', lib: ['es2022'], types: [] };
  // The shipped .d.ts (and the dependencies' they reach) are checked in full once, under nodenext;
  // node16 and bundler check how the entries resolve and type, with skipLibCheck (a full check
  // of zod's declarations three times over cost ~40 s of the suite and found nothing new).
  const projects = {
    // An ESM project on Node, with a CommonJS file in it (`.cts`: imports become require).
    node16: { compilerOptions: { ...common, skipLibCheck: true, module: 'node16', moduleResolution: 'node16' }, files: ['esm.ts', 'cjs.cts'] },
    nodenext: { compilerOptions: { ...common, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['esm.ts', 'cjs.cts'] },
    // An app built by a bundler, for the browser (DOM library) or for Node.
    bundler: { compilerOptions: { ...common, skipLibCheck: true, module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'] }, files: ['esm.ts', 'browser.ts'] },
  };
  for (const [mode, project] of Object.entries(projects)) {
    it(`compiles in a TypeScript project under moduleResolution ${mode}, with money typed as Decimal (not any)`, async ({ expect }) => {
    writeFileSync(join(consumer, `tsconfig.${mode}.json`), JSON.stringify(project));
    const r = await run(process.execPath, [bin('typescript/bin/tsc'), '-p', `tsconfig.${mode}.json`], { cwd: consumer, maxBuffer: 64 << 20 }).then(
      () => ({ stdout: '' }),
      (e: { stdout: string; stderr: string }) => ({ stdout: e.stdout + e.stderr || String(e) }),
    );
    expect(r.stdout).toBe('');
  }, 600_000);
  }

  it('loads in Node: every entry point from ESM and from CommonJS, with one error class across entries', async ({ expect }) => {
    writeFileSync(
      join(consumer, 'load.mjs'),
      `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = {};
for (const sub of ${JSON.stringify(SUBPATHS)}) {
  const id = sub === '.' ? 'recovery-pbr' : 'recovery-pbr' + sub.slice(1);
  const esm = await import(id);
  const cjs = require(id);
  out[sub] = { esm: Object.keys(esm).sort(), cjs: Object.keys(cjs).filter((k) => k !== '__esModule').sort() };
}
const root = await import('recovery-pbr');
const node = await import('recovery-pbr/node');
const e = await node.readScheme('no-such-scheme.json', process.cwd()).catch((x) => x);
const croot = require('recovery-pbr');
const ce = await require('recovery-pbr/node').readScheme('no-such-scheme.json', process.cwd()).catch((x) => x);
out.errors = { esm: e instanceof root.RecoveryPbrError && e.code, cjs: ce instanceof croot.RecoveryPbrError && ce.code };
out.money = [root.money('1200.005').toFixed(2), croot.money('0.1').plus('0.2').toString(), root.presetScheme('national-model-2012').id];
console.log(JSON.stringify(out));
`,
    );
    const { stdout } = await run(process.execPath, ['load.mjs'], { cwd: consumer, maxBuffer: 64 << 20 });
    const out = JSON.parse(stdout) as Record<string, { esm: string[]; cjs: string[] }> & { errors: unknown; money: unknown };
    for (const sub of SUBPATHS) {
      expect(out[sub]!.esm.length, sub).toBeGreaterThan(0);
      expect(out[sub]!.cjs, sub).toEqual(out[sub]!.esm);
    }
    expect(out['.']!.esm).toContain('runScheme');
    expect(out['.']!.esm).not.toContain('copyLine');
    expect(out.errors).toEqual({ esm: 'scheme_file', cjs: 'scheme_file' });
    expect(out.money).toEqual(['1200.01', '0.3', 'national-model-2012']);
  }, 300_000);
});
