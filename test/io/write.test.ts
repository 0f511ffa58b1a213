import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecoveryPbrError } from '../../src/errors.js';
import { ensureOutDir, writeOutputFiles } from '../../src/io/write.js';
import { tempDir } from './helpers.js';

describe('writeOutputFiles: all files or none (SPEC §5: no partial output files)', () => {
  it('creates a missing --out folder (with parents) and writes text, bytes and pieces', async () => {
    const out = join(tempDir(), 'a', 'b');
    const paths = await writeOutputFiles(out, [
      { name: 'one.csv', content: 'x,y\n' },
      { name: 'two.bin', content: new Uint8Array([1, 2, 3]) },
      { name: 'three.csv', content: (function* () { yield 'a\n'; yield 'b\n'; })() },
      { name: 'four.csv', content: (async function* () { yield 'c\n'; })() },
    ]);
    expect(paths).toEqual(['one.csv', 'two.bin', 'three.csv', 'four.csv'].map((n) => join(out, n)));
    expect(readFileSync(join(out, 'one.csv'), 'utf8')).toBe('x,y\n');
    expect([...readFileSync(join(out, 'two.bin'))]).toEqual([1, 2, 3]);
    expect(readFileSync(join(out, 'three.csv'), 'utf8')).toBe('a\nb\n');
    expect(readFileSync(join(out, 'four.csv'), 'utf8')).toBe('c\n');
    expect(readdirSync(out).sort()).toEqual(['four.csv', 'one.csv', 'three.csv', 'two.bin']);
  });

  it('when one file fails, none is written and earlier outputs stay as they were', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'one.csv'), 'old\n');
    const failing = (function* () {
      yield 'partial\n';
      throw new RecoveryPbrError('input_file', 'the data cannot be used');
    })();
    await expect(
      writeOutputFiles(out, [
        { name: 'one.csv', content: 'new\n' },
        { name: 'two.csv', content: failing },
      ]),
    ).rejects.toThrow('the data cannot be used');
    expect(readdirSync(out)).toEqual(['one.csv']);
    expect(readFileSync(join(out, 'one.csv'), 'utf8')).toBe('old\n');
  });

  it('replaces existing files when all succeed', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'one.csv'), 'old\n');
    await writeOutputFiles(out, [{ name: 'one.csv', content: 'new\n' }]);
    expect(readFileSync(join(out, 'one.csv'), 'utf8')).toBe('new\n');
    expect(readdirSync(out)).toEqual(['one.csv']);
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
