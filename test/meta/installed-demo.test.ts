/**
 * The package as a user gets it: `npm pack`, installed in an empty folder, then
 * `npx recovery-pbr demo` must work — the demo data (examples/demo) and the docs travel in the
 * tarball (package.json `files`), and the command finds its data from where it is installed.
 *
 * The tarball is packed from a copy of the working tree, built there (without .d.ts files, which
 * the demo does not need and which take most of the build time), so the repository's own dist/ is
 * never touched while other tests run. npm itself applies `files`, as it does when publishing.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
// Never copied into the staging folder: installs, builds, outputs and VCS data.
const SKIP = new Set(['node_modules', 'dist', 'out', 'coverage', '.cache', '.git', 'tmp']);

const work = mkdtempSync(join(tmpdir(), 'recovery-pbr-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it('installs in an empty folder and `npx recovery-pbr demo` exits 0 (README quick start, SPEC §5)', async () => {
    // 1. A copy of the working tree, built as `prepare` builds it.
    const stage = join(work, 'stage');
    for (const entry of readdirSync(ROOT)) {
      if (SKIP.has(entry) || entry.endsWith('.log')) continue;
      cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
    await run('npx', ['tsup', '--silent', '--no-dts'], { cwd: stage });
    rmSync(join(stage, 'node_modules'));

    // 2. npm pack (the build is done: --ignore-scripts skips `prepare`).
    const { stdout: packed } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: stage });
    const [info] = JSON.parse(packed) as [{ filename: string; files: { path: string }[] }];
    const files = info.files.map((f) => f.path);
    for (const f of ['LICENSE', 'README.md', 'docs/README.md', 'examples/demo/episodes.csv', 'seeds/national-model-2012.json', 'bin/recovery-pbr.js', 'dist/cli.js']) {
      expect(files, `${f} is in the tarball`).toContain(f);
    }
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);

    // 3. Installed in an empty folder, as a user would.
    const user = join(work, 'user');
    mkdirSync(user);
    writeFileSync(join(user, 'package.json'), '{ "name": "trying-recovery-pbr", "private": true }\n');
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, info.filename)], { cwd: user });

    // 4. The demo, from the installed package.
    const demo = await run('npx', ['--no-install', 'recovery-pbr', 'demo'], { cwd: user });
    expect(demo.stdout).toMatch(/^Scheme national-model-2012 \S+, as of 2015-03-31: /m);
    for (const f of ['outcomes.csv', 'payments.csv', 'rejections.csv', 'summary.json']) {
      expect(existsSync(join(user, 'out', 'demo', f)), `out/demo/${f}`).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(user, 'out', 'demo', 'summary.json'), 'utf8')) as { scheme: { id: string } };
    expect(summary.scheme.id).toBe('national-model-2012');
    expect(readFileSync(join(user, 'node_modules', 'recovery-pbr', 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  }, 240_000);
});
