/**
 * A really full disk (issue #13): a 64 KiB tmpfs as the output folder's disk and as the temporary
 * folder. Needs `mount` (root); where mounting is not permitted the tests are skipped and say so.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { writeOutputFiles } from '../../src/io/write.js';
import { runCli } from '../support/cli.js';
import { tempDir } from './helpers.js';

const mounted: string[] = [];
/** A fresh tmpfs of `size` mounted on a new folder, or undefined where mounting is not permitted. */
function tmpfs(size: string): string | undefined {
  const dir = tempDir('rpbr-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounted.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of mounted.reverse()) {
    try {
      execFileSync('umount', [d], { stdio: 'ignore' });
    } catch {
      // left for the machine
    }
  }
});

const small = tmpfs('64k');
const reason = small ? '' : ' (skipped: mounting a tmpfs is not permitted here; run as root to check a real full disk)';
// A cohort whose outputs (and temporary files) are several times 64 KiB.
let DEMO = '';
beforeAll(async () => {
  DEMO = join(tempDir(), 'cohort');
  await writeGeneratedDataset({ clients: 400, seed: 13 }, DEMO);
});

describe.skipIf(!small)(`a full disk: exit 1 with a plain message, nothing partial left${reason}`, () => {
  it('generate onto a full disk: "the disk is full", no file and no staging folder left', async () => {
    const out = join(small!, 'cohort');
    const r = await runCli(['generate', '--clients', '300', '--seed', '1', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*cohort\/\w+\.csv: the disk is full\nNothing was written \(.*cohort was not created\)\./);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(readdirSync(small!)).toEqual([]);
  });

  it('run with its outputs on a full disk: exit 1, the disk is full, nothing left', async () => {
    const out = join(small!, 'out');
    const r = await runCli(['run', '--scheme', 'national-model-2012', '--data', DEMO, '--as-of', '2015-03-31', '--out', out, '--quiet', '--workers', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the disk is full/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(readdirSync(small!)).toEqual([]);
  });

  it('run with its temporary files on a full disk: exit 1 with a temp message naming --temp-dir, not "internal error"', async () => {
    const out = tempDir();
    // --strict keeps outcomes.csv's lines until the end (in temporary files, when in partitions).
    const r = await runCli(['run', '--scheme', 'national-model-2012', '--data', DEMO, '--as-of', '2015-03-31', '--out', out, '--quiet', '--workers', '2', '--strict', '--temp-dir', small!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write temporary files in .*: the disk is full\. Free some space there, or choose another folder with --temp-dir\./);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(readdirSync(small!)).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('run in threads writing outcomes.csv as it goes needs no temporary files: a full --temp-dir is no obstacle', async () => {
    const out = tempDir();
    const r = await runCli(['run', '--scheme', 'national-model-2012', '--data', DEMO, '--as-of', '2015-03-31', '--out', out, '--quiet', '--workers', '2', '--temp-dir', small!]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(small!)).toEqual([]);
    expect(readdirSync(out)).toContain('outcomes.csv');
  });
});

const mountPoint = tmpfs('1m');
describe.skipIf(!mountPoint)(`--out that is a mount point (it cannot be renamed): staged inside, moved into place at once${reason}`, () => {
  it('replaces the files as a whole and leaves nothing hidden behind', async () => {
    await writeOutputFiles(mountPoint!, [
      { name: 'outcomes.csv', content: 'run 1\n' },
      { name: 'report.html', content: '<meta name="generator" content="recovery-pbr 0.1.0">' },
    ]);
    await writeOutputFiles(mountPoint!, [{ name: 'outcomes.csv', content: 'run 2\n' }]);
    expect(readdirSync(mountPoint!)).toEqual(['outcomes.csv']);
    expect(readFileSync(join(mountPoint!, 'outcomes.csv'), 'utf8')).toBe('run 2\n');
  });

  it('a failure there leaves the folder as it was', async () => {
    await expect(
      writeOutputFiles(mountPoint!, [{ name: 'outcomes.csv', content: (function* () { yield 'half'; throw new Error('boom'); })() }]),
    ).rejects.toThrow('boom');
    expect(readdirSync(mountPoint!)).toEqual(['outcomes.csv']);
    expect(readFileSync(join(mountPoint!, 'outcomes.csv'), 'utf8')).toBe('run 2\n');
  });
});
