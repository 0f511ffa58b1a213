/**
 * Output folders are replaced as a whole (SPEC §5: no partial output files; issue #13): checked at
 * once, written complete into a staging folder beside them, swapped in; a failure leaves the
 * earlier folder as it was, or no folder, and says which.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecoveryPbrError, isRecoveryPbrError } from '../../src/errors.js';
import { ensureOutDir, openOutputFolder, writeFully, writeOutputFiles } from '../../src/io/write.js';
import { STALE_AFTER_MS } from '../../src/node/temp.js';
import { tempDir } from './helpers.js';

const REPORT = '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="recovery-pbr 0.1.0">\n</head></html>\n';
const DEAD_PID = 99_999_999;

/** Everything in a folder: name → content (folders as '<dir>'). */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => {
    const p = join(dir, n);
    try {
      return [n, readFileSync(p, 'utf8')];
    } catch {
      return [n, '<dir>'];
    }
  }));
}

async function failure(p: Promise<unknown>): Promise<RecoveryPbrError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(isRecoveryPbrError(e), String(e)).toBe(true);
  return e as RecoveryPbrError;
}

describe('writeOutputFiles: all files or none (SPEC §5: no partial output files)', () => {
  it('creates a missing --out folder (with parents) and writes text, bytes and pieces', async () => {
    const out = join(tempDir(), 'a', 'b');
    const paths = await writeOutputFiles(out, [
      { name: 'one.csv', content: 'x,y\n' },
      { name: 'two.bin', content: new Uint8Array([1, 2, 3]) },
      { name: 'three.csv', content: (function* () { yield 'a\n'; yield 'b\n'; })() },
      { name: 'four.csv', content: (async function* () { yield 'c\n'; })() },
      // Text and bytes mixed, a UTF-8 character cut between two byte pieces (outcomes.csv from temporary files).
      { name: 'five.csv', content: (function* () { yield 'h\n'; yield Uint8Array.of(0x61, 0xc3); yield Uint8Array.of(0xa9, 0x0a); yield 'z\n'; })() },
    ]);
    expect(paths).toEqual(['one.csv', 'two.bin', 'three.csv', 'four.csv', 'five.csv'].map((n) => join(out, n)));
    expect(readFileSync(join(out, 'five.csv'), 'utf8')).toBe('h\naé\nz\n');
    expect(readFileSync(join(out, 'one.csv'), 'utf8')).toBe('x,y\n');
    expect([...readFileSync(join(out, 'two.bin'))]).toEqual([1, 2, 3]);
    expect(readFileSync(join(out, 'three.csv'), 'utf8')).toBe('a\nb\n');
    expect(readFileSync(join(out, 'four.csv'), 'utf8')).toBe('c\n');
    expect(readdirSync(out).sort()).toEqual(['five.csv', 'four.csv', 'one.csv', 'three.csv', 'two.bin']);
    // Nothing is left beside the folder either (no staging folder).
    expect(readdirSync(dirname(out))).toEqual(['b']);
  });

  it('when one file fails, none is written and earlier outputs stay as they were; the error says so', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'one.csv'), 'old\n');
    const failing = (function* () {
      yield 'partial\n';
      throw new RecoveryPbrError('input_file', 'the data cannot be used');
    })();
    const e = await failure(
      writeOutputFiles(out, [
        { name: 'one.csv', content: 'new\n' },
        { name: 'two.csv', content: failing },
      ]),
    );
    expect(e.code).toBe('input_file');
    expect(e.message).toBe(`the data cannot be used\n${out} was left as it was (the outputs of the earlier run are untouched).`);
    expect(contents(out)).toEqual({ 'one.csv': 'old\n' });
    expect(readdirSync(dirname(out)).filter((n) => n.startsWith(`.${basename(out)}.recovery-pbr`))).toEqual([]);
  });

  it('a failure in a folder that did not exist says nothing was written, and creates nothing (not even its parents)', async () => {
    const base = tempDir();
    const out = join(base, 'x', 'y');
    const e = await failure(writeOutputFiles(out, [{ name: 'a.csv', content: (function* () { throw new RecoveryPbrError('input_file', 'bad data'); })() }]));
    expect(e.message).toBe(`bad data\nNothing was written (${out} was not created).`);
    expect(readdirSync(base)).toEqual([]);
  });

  it('replaces existing files when all succeed', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'one.csv'), 'old\n');
    await writeOutputFiles(out, [{ name: 'one.csv', content: 'new\n' }]);
    expect(contents(out)).toEqual({ 'one.csv': 'new\n' });
  });

  it('--out naming a file is a RecoveryPbrError', async () => {
    const f = join(tempDir(), 'file.txt');
    writeFileSync(f, '');
    await expect(ensureOutDir(f)).rejects.toThrow(/is a file; give a folder/);
    await expect(writeOutputFiles(join(f, 'sub'), [{ name: 'x.csv', content: '' }])).rejects.toBeInstanceOf(RecoveryPbrError);
  });

  it('refuses names that are not plain file names', async () => {
    await expect(writeOutputFiles(tempDir(), [{ name: '../escape.csv', content: '' }])).rejects.toThrow(/plain file name/);
  });
});

describe('the output folder is replaced as a whole (issue #13)', () => {
  it('files of an earlier run never stand beside new ones: an old report goes when the rerun has none', async () => {
    const out = tempDir();
    await writeOutputFiles(out, [
      { name: 'outcomes.csv', content: 'run 1\n' },
      { name: 'summary.json', content: '{"run":1}\n' },
      { name: 'report.html', content: REPORT },
    ]);
    await writeOutputFiles(out, [
      { name: 'outcomes.csv', content: 'run 2\n' },
      { name: 'summary.json', content: '{"run":2}\n' },
    ]);
    expect(contents(out)).toEqual({ 'outcomes.csv': 'run 2\n', 'summary.json': '{"run":2}\n' });
  });

  it('a file written as the run goes (openFile): writes begun together land in order, and restart takes back every byte', async () => {
    const out = tempDir();
    const folder = await openOutputFolder(out);
    await folder.replace(async (staging) => {
      const { sink, path } = await staging.openFile('outcomes.csv');
      await sink.write('first attempt, half written\n');
      await sink.restart();
      expect(sink.bytes).toBe(0);
      // Not awaited one by one: each takes its place when it is begun.
      await Promise.all([sink.write('header\n'), sink.write(Buffer.from('line 1\n')), sink.write('line 2\n')]);
      expect(sink.bytes).toBe(21);
      await sink.close();
      return [path];
    });
    expect(contents(out)).toEqual({ 'outcomes.csv': 'header\nline 1\nline 2\n' });
  });

  it('hidden files (e.g. .gitattributes) are kept; leftovers of killed runs go', async () => {
    const out = tempDir();
    writeFileSync(join(out, '.gitattributes'), '*.csv text eol=lf\n');
    writeFileSync(join(out, `.outcomes.csv.${DEAD_PID}-0a1b2c3d.tmp`), 'half');
    writeFileSync(join(out, 'outcomes.csv'), 'old\n');
    await writeOutputFiles(out, [{ name: 'outcomes.csv', content: 'new\n' }]);
    expect(contents(out)).toEqual({ '.gitattributes': '*.csv text eol=lf\n', 'outcomes.csv': 'new\n' });
  });

  it('a folder holding anything recovery-pbr did not write is refused at once, and left untouched', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'outcomes.csv'), 'old\n');
    writeFileSync(join(out, 'my notes.txt'), 'mine\n');
    writeFileSync(join(out, 'page.html'), '<html>not a report</html>');
    const e = await failure(openOutputFolder(out));
    expect(e.code).toBe('output');
    expect(e.message).toMatch(/holds things recovery-pbr did not write: 'my notes.txt', 'page.html'\. .*replaces its output folder as a whole.*give a new or empty folder/);
    expect(contents(out)).toEqual({ 'my notes.txt': 'mine\n', 'outcomes.csv': 'old\n', 'page.html': '<html>not a report</html>' });
  });

  it('a folder where an output file must go (OUT/summary.json a directory) is refused before anything is written', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'outcomes.csv'), 'old\n');
    mkdirSync(join(out, 'summary.json'));
    const e = await failure(writeOutputFiles(out, [{ name: 'outcomes.csv', content: 'new\n' }, { name: 'summary.json', content: '{}' }]));
    expect(e.message).toMatch(/did not write: 'summary.json'/);
    expect(contents(out)).toEqual({ 'outcomes.csv': 'old\n', 'summary.json': '<dir>' });
  });

  it('a file added meanwhile that recovery-pbr did not write stops the swap: the folder is left as it was', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'outcomes.csv'), 'old\n');
    const folder = await openOutputFolder(out);
    const e = await failure(
      folder.replace(async (s) => {
        await s.writeFile('outcomes.csv', 'new\n');
        writeFileSync(join(out, 'arrived.txt'), 'someone else');
      }),
    );
    expect(e.message).toMatch(/did not write: 'arrived.txt'[\s\S]*was left as it was/);
    expect(contents(out)).toEqual({ 'arrived.txt': 'someone else', 'outcomes.csv': 'old\n' });
  });

  it.each(['/proc/self/x', '/proc', '/sys/kernel/x', '/dev/null', '/dev/shm/out'])('refuses %s at once (no hang)', async (dir) => {
    const t0 = Date.now();
    const e = await failure(openOutputFolder(dir));
    expect(e.message).toMatch(/is under \/(proc|sys|dev), which holds no files/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refuses a link that leads under /proc', async () => {
    const link = join(tempDir(), 'sneaky');
    symlinkSync('/proc/self', link);
    const e = await failure(openOutputFolder(join(link, 'out')));
    expect(e.message).toMatch(/leads to \/proc\/\d+\/out, under \/proc/);
  });

  it('through a link to a folder, the folder the link leads to is replaced and the link kept', async () => {
    const base = tempDir();
    mkdirSync(join(base, 'real'));
    writeFileSync(join(base, 'real', 'outcomes.csv'), 'old\n');
    symlinkSync(join(base, 'real'), join(base, 'link'));
    await writeOutputFiles(join(base, 'link'), [{ name: 'outcomes.csv', content: 'new\n' }]);
    expect(contents(join(base, 'link'))).toEqual({ 'outcomes.csv': 'new\n' });
    expect(readdirSync(base).sort()).toEqual(['link', 'real']);
  });

  it('keeps the permissions of the folder it replaces', async () => {
    const out = tempDir();
    const { chmodSync, statSync } = await import('node:fs');
    chmodSync(out, 0o750);
    await writeOutputFiles(out, [{ name: 'a.csv', content: 'x' }]);
    expect(statSync(out).mode & 0o777).toBe(0o750);
  });

  it('a fill that writes nothing leaves the folder as it was', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'outcomes.csv'), 'old\n');
    const folder = await openOutputFolder(out);
    expect(await folder.replace(async () => 42)).toBe(42);
    expect(contents(out)).toEqual({ 'outcomes.csv': 'old\n' });
  });
});

describe('staging folders left by a SIGKILL', () => {
  it('a stale staging folder beside --out is removed by the next run', async () => {
    const base = tempDir();
    const out = join(base, 'out');
    const stale = join(base, `.out.recovery-pbr-${DEAD_PID}-0a1b2c3d.new`);
    mkdirSync(stale);
    writeFileSync(join(stale, 'outcomes.csv'), 'half');
    const t = Date.now() / 1000 - STALE_AFTER_MS / 1000 - 60;
    utimesSync(stale, t, t);
    await writeOutputFiles(out, [{ name: 'outcomes.csv', content: 'new\n' }]);
    expect(readdirSync(base)).toEqual(['out']);
  });

  it('a run killed between its two renames left the earlier folder aside: the next run puts it back first', async () => {
    const base = tempDir();
    const out = join(base, 'out');
    const aside = join(base, `.out.recovery-pbr-${DEAD_PID}-0a1b2c3d.old`);
    mkdirSync(aside);
    writeFileSync(join(aside, 'outcomes.csv'), 'earlier\n');
    const t = Date.now() / 1000 - STALE_AFTER_MS / 1000 - 60;
    utimesSync(aside, t, t);
    const folder = await openOutputFolder(out);
    expect(folder.hadOutputs).toBe(false); // checked before the sweep…
    expect(contents(out)).toEqual({ 'outcomes.csv': 'earlier\n' }); // …which restored it
    expect(readdirSync(base)).toEqual(['out']);
  });
});

describe('writeFully: every byte is written', () => {
  it('follows short writes with the rest', async () => {
    const got: number[] = [];
    const handle = {
      write: async (buf: Uint8Array, off?: number | null, len?: number | null) => {
        const n = Math.min(2, len ?? 0);
        got.push(...buf.subarray(off ?? 0, (off ?? 0) + n));
        return { bytesWritten: n, buffer: buf };
      },
    };
    await writeFully(handle as never, Buffer.from('a short write is not an error'));
    expect(Buffer.from(got).toString()).toBe('a short write is not an error');
  });

  it('at a position: each short write goes on where the one before ended', async () => {
    const file = Buffer.alloc(40, '.');
    const handle = {
      write: async (buf: Uint8Array, off: number, len: number, position: number) => {
        const n = Math.min(3, len);
        file.set(buf.subarray(off, off + n), position);
        return { bytesWritten: n, buffer: buf };
      },
    };
    await writeFully(handle as never, Buffer.from('at ten, in short writes'), 10);
    expect(file.toString()).toBe('..........at ten, in short writes.......');
  });

  it('a write that makes no progress is an error, never a loop', async () => {
    const handle = { write: async (buf: Uint8Array) => ({ bytesWritten: 0, buffer: buf }) };
    await expect(writeFully(handle as never, Buffer.from('x'))).rejects.toThrow(/no bytes could be written/);
  });
});

describe('a signal while the outputs are written (child process)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s: the earlier outputs are untouched, no staging folder or hidden file is left, and it says so', async (signal) => {
    const base = tempDir();
    const out = join(base, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.json'), '{"earlier":true}\n');
    writeFileSync(join(out, 'report.html'), REPORT);
    const proc = spawn(process.execPath, ['--import', 'tsx', new URL('../node/signal-child.ts', import.meta.url).pathname, 'write', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => proc.stdout.on('data', (d) => String(d).includes('writing') && resolve()));
    // The staging folder is there, beside --out, while the outputs are written.
    expect(readdirSync(base).filter((n) => n.startsWith('.out.recovery-pbr-'))).toHaveLength(1);
    proc.kill(signal);
    expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(readdirSync(base)).toEqual(['out']);
    expect(contents(out)).toEqual({ 'report.html': REPORT, 'summary.json': '{"earlier":true}\n' });
    expect(stderr).toContain(`stopped by ${signal}. ${out} was left as it was (the outputs of the earlier run are untouched).`);
  });
});

describe('names', () => {
  it('a staging folder is named after --out, hidden, with the pid', async () => {
    const base = tempDir();
    const out = join(base, 'results');
    const folder = await openOutputFolder(out);
    await folder.replace(async (s) => {
      const names = readdirSync(base);
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(new RegExp(`^\\.results\\.recovery-pbr-${process.pid}-[0-9a-f]{8}\\.new$`));
      await s.writeFile('a.csv', 'x');
    });
    expect(basename(out)).toBe('results');
    expect(readdirSync(base)).toEqual(['results']);
  });
});
