import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecoveryPbrError } from '../../src/errors.js';
import { lineColumn, parseJsonText, readScheme, readSchemeDocument } from '../../src/io/scheme.js';
import { tempDir } from './helpers.js';

function writeJson(dir: string, name: string, value: unknown): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return p;
}

describe('readScheme (SPEC §6, R-VAL-4)', () => {
  it('reads a preset by id', async () => {
    const s = await readScheme('national-model-2012', '/');
    expect(s.id).toBe('national-model-2012');
    expect(s.calendar.journeyGapDays).toBe(21);
  });

  it('reads a scheme file relative to cwd that extends a preset', async () => {
    const dir = tempDir();
    writeJson(dir, 'local.json', { extends: 'national-model-2012', id: 'local', exitReasons: { pbr_drug_free: 'completed_drug_free' } });
    const s = await readScheme('local.json', dir);
    expect(s.id).toBe('local');
    expect(s.exitReasons).toEqual({ pbr_drug_free: 'completed_drug_free' });
    expect(s.outcomes.map((o) => o.id)).toContain('free-from-dependence');
  });

  it('resolves `extends` of a file relative to the file that names it, along a chain', async () => {
    const dir = tempDir();
    writeJson(dir, 'schemes/base/base.json', { extends: 'national-model-2012', id: 'base', calendar: { journeyGapDays: 14 } });
    writeJson(dir, 'schemes/mid.json', { extends: './base/base.json', id: 'mid', calendar: { reviewToleranceDays: 14 } });
    writeJson(dir, 'top.json', { extends: 'schemes/mid.json', id: 'top' });
    const s = await readScheme('top.json', dir);
    expect(s.id).toBe('top');
    expect(s.calendar).toEqual({ journeyGapDays: 14, reviewToleranceDays: 14 });
    const d = await readSchemeDocument(join(dir, 'top.json'), '/');
    expect(d).toMatchObject({ kind: 'file', source: join(dir, 'top.json') });
  });

  it('a JSON syntax error gives the line and column', async () => {
    const dir = tempDir();
    writeJson(dir, 'bad.json', '{\n  "extends": "national-model-2012",\n  "id": "x",,\n}\n');
    const err = await readScheme('bad.json', dir).catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect(err.message).toMatch(/^bad.json line 3, column 13: not valid JSON/);
  });

  it('a syntax error in an extended file names that file', async () => {
    const dir = tempDir();
    writeJson(dir, 'base.json', '{ "id": }');
    writeJson(dir, 'top.json', { extends: './base.json' });
    await expect(readScheme('top.json', dir)).rejects.toThrow(/base.json line 1, column 9: not valid JSON/);
  });

  it('an invalid scheme is refused as a whole, every problem listed by path', async () => {
    const dir = tempDir();
    writeJson(dir, 'invalid.json', { extends: 'national-model-2012', calendar: { journeyGapDays: -1 }, exitReasons: { Bad: 'completed_drug_free', ok_code: 'nonsense' }, colour: 'blue' });
    const err = await readScheme('invalid.json', dir).catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect((err as RecoveryPbrError).code).toBe('scheme');
    const paths = (err as RecoveryPbrError).problems.map((p) => p.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['', 'calendar.journeyGapDays', 'exitReasons.Bad', 'exitReasons.ok_code']));
    expect(err.message).toMatch(/^The scheme file invalid.json cannot be used \(\d+ problems\):/);
    expect(err.message).toMatch(/unknown key 'colour'/);
  });

  it('neither a preset nor a file: says what was looked for and lists the presets', async () => {
    await expect(readScheme('no-such-scheme', '/tmp')).rejects.toThrow(/--scheme 'no-such-scheme' is neither a preset nor an existing file \(looked for \/tmp\/no-such-scheme\)\. Presets: national-model-2012/);
  });

  it('an extends that names nothing is a scheme problem at path extends; a cycle is caught', async () => {
    const dir = tempDir();
    writeJson(dir, 'a.json', { extends: './missing.json' });
    await expect(readScheme('a.json', dir)).rejects.toThrow(/scheme file not found: .*missing.json/);
    writeJson(dir, 'c1.json', { extends: './c2.json' });
    writeJson(dir, 'c2.json', { extends: './c1.json' });
    const err = await readScheme('c1.json', dir).catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect((err as RecoveryPbrError).code).toBe('scheme');
    expect(err.problems[0]).toMatchObject({ path: 'extends', message: expect.stringMatching(/goes round in a circle: .*c1\.json → .*c2\.json → .*c1\.json/) });
  });
});

describe('parseJsonText / lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('finds the line and column of an error deep inside a long file', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `  "k${i}": ${i},`);
    lines[29] = '  "k29": tru,';
    const text = `{\n${lines.join('\n')}\n  "end": 0\n}`;
    expect(() => parseJsonText(text, 'long.json')).toThrow(/^long.json line 31, column 13: not valid JSON \(Unexpected token ','\)\. Fix/);
    const err = (() => {
      try {
        parseJsonText('{ "id": }', 'x.json');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toBe("x.json line 1, column 9: not valid JSON (Unexpected token '}'). Fix the JSON syntax there (a missing comma or quote, or a trailing comma, is the usual cause).");
  });

  it('strips a BOM and reports unexpected end of input at the end', () => {
    expect(parseJsonText('\ufeff{"a":1}', 'x.json')).toEqual({ a: 1 });
    expect(() => parseJsonText('{"a":\n', 'x.json')).toThrow(/x.json line 2, column 1/);
  });
});
