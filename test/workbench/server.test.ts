/**
 * `recovery-pbr workbench`: the server hands out the page's own files on 127.0.0.1 only — GET and
 * HEAD, nothing outside the page's folder, the content security policy on every answer — and
 * takes no data (issue #14: client data is never sent anywhere, not even to the local server).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKBENCH_CSP, serveWorkbench, workbenchDir } from '../../src/cli/commands/workbench.js';
import { tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';

const REPO = join(import.meta.dirname, '../..');

describe('the workbench server', () => {
  const dir = tempDir('rpbr-wb-server-');
  const page = join(dir, 'page');
  mkdirSync(join(page, 'assets'), { recursive: true });
  writeFileSync(join(page, 'index.html'), '<!doctype html><title>wb</title>');
  writeFileSync(join(page, 'assets/app.js'), 'export {};');
  writeFileSync(join(dir, 'secret.txt'), 'not part of the page');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the page on 127.0.0.1 with its content security policy, GET and HEAD only, nothing outside its folder', async () => {
    const s = await serveWorkbench(page, { port: 0 });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(s.url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(index.headers.get('content-security-policy')).toBe(WORKBENCH_CSP);
      expect(await index.text()).toContain('<title>wb</title>');
      expect((await fetch(`${s.url}assets/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await fetch(`${s.url}assets/app.js`, { method: 'HEAD' })).status).toBe(200);
      expect((await fetch(`${s.url}nothing.js`)).status).toBe(404);
      expect((await fetch(`${s.url}..%2fsecret.txt`)).status).toBe(404);
      expect((await fetch(`${s.url}%2e%2e/secret.txt`)).status).toBe(404);
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const r = await fetch(s.url, { method, body: 'client data' });
        expect(r.status, method).toBe(405);
        expect(r.headers.get('allow')).toBe('GET, HEAD');
      }
    } finally {
      await s.close();
    }
  });

  it('says what to do when the page is not built, and when the port is taken', async () => {
    await expect(serveWorkbench(join(dir, 'none'), { port: 0 })).rejects.toThrow(/not built .*npm run build/);
    const a = await serveWorkbench(page, { port: 0 });
    try {
      await expect(serveWorkbench(page, { port: a.port })).rejects.toThrow(new RegExp(`port ${a.port} on 127\\.0\\.0\\.1 is in use: choose another with --port`));
    } finally {
      await a.close();
    }
  });

  it('recovery-pbr workbench --help; a bad --port is a usage error (exit 2)', async () => {
    const help = await runCli(['workbench', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: recovery-pbr workbench \[--port <n>\] \[--no-open\]/);
    expect((await runCli(['workbench', '--port', 'abc', '--no-open'])).code).toBe(2);
    expect((await runCli(['workbench', '--port', '70000', '--no-open'])).code).toBe(2);
  });

  it('recovery-pbr workbench --port 0 --no-open prints the URL of the package\'s page and serves it until stopped', async () => {
    const built = existsSync(join(workbenchDir(), 'index.html'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'workbench', '--port', '0', '--no-open'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    try {
      if (!built) {
        // (npm ci builds the page; without it the command says how to build it.)
        expect(await exited).toBe(1);
        expect(err).toMatch(/workbench page is not built/);
        return;
      }
      await expect.poll(() => out, { timeout: 30_000 }).toMatch(/^recovery-pbr workbench: http:\/\/127\.0\.0\.1:\d+\/\n/);
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)![0];
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('recovery-pbr workbench');
      expect((await fetch(`${url}demo/episodes.csv`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
