/**
 * The command line under hostile input (issue #13), as properties: whatever the bytes of an input
 * file, the header, or the scheme JSON, `run` and `validate` exit 0 or 1 (never a crash), print no
 * stack trace and no "internal error", echo nothing raw to the terminal, pollute no prototype, and
 * leave the output folder either exactly as it was or holding exactly the new set of outputs —
 * never a partial or mixed folder, never a staging folder beside it.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { presetDocument } from '../../src/presets/index.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import { columnsOf } from '../../src/schema/records.js';
import { csvText, episode, tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';

const REPORT = '<!DOCTYPE html>\n<meta name="generator" content="recovery-pbr 0.0.0">\n';
/** An output folder holding an earlier run's outputs (and its report). */
function earlierOutputs(): { out: string; before: Record<string, string> } {
  const base = tempDir('rpbr-prop-');
  const out = join(base, 'out');
  mkdirSync(out);
  const before = { 'outcomes.csv': 'earlier\n', 'rejections.csv': 'earlier\n', 'summary.json': '{"earlier":true}\n', 'report.html': REPORT };
  for (const [n, t] of Object.entries(before)) writeFileSync(join(out, n), t);
  return { out, before };
}

function contents(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

/** The laws of one command run on one output folder. */
function checkRun(command: 'run' | 'validate', r: { code: number; stdout: string; stderr: string }, out: string, before: Record<string, string>): void {
  expect([0, 1], r.stderr).toContain(r.code);
  expect(r.stderr).not.toMatch(/internal error|This is a bug|\n\s+at \S+ \(|\.ts:\d+:\d+/);
  // Nothing from a file reaches the terminal raw: no control character but line breaks.
  expect(r.stderr + r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e\u2066-\u2069]/);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  // Never a staging folder (or anything else) left beside --out.
  expect(readdirSync(join(out, '..'))).toEqual(['out']);
  const now = contents(out);
  const names = Object.keys(now).sort();
  const rejectedRows = /(rows were|row was) rejected/.test(r.stderr);
  if (command === 'run' && r.code === 0) {
    expect(names.filter((n) => n !== 'payments.csv')).toEqual(['outcomes.csv', 'rejections.csv', 'summary.json']);
    const summary = JSON.parse(now['summary.json']!) as { rejected_total: number };
    expect(now['rejections.csv']!.split('\n').length - 2).toBeGreaterThanOrEqual(summary.rejected_total > 0 ? 1 : 0);
  } else if (command === 'validate' && (r.code === 0 || rejectedRows)) {
    expect(names).toEqual(['rejections.csv']);
  } else {
    // A failed run: the earlier outputs exactly as they were, and the message says so.
    expect(now).toEqual(before);
    expect(r.stderr).toContain('was left as it was');
  }
}

let cohort = '';
beforeAll(async () => {
  cohort = join(tempDir('rpbr-prop-'), 'cohort');
  await writeGeneratedDataset({ clients: 12, seed: 3, errorRate: 0.05 }, cohort);
});

/** A data folder: the small cohort with one file replaced by `text`. */
function folderWith(file: InputFile, name: string, text: string | Uint8Array): string {
  const dir = tempDir('rpbr-prop-');
  for (const f of readdirSync(cohort)) if (!f.startsWith(`${file}.`)) writeFileSync(join(dir, f), readFileSync(join(cohort, f)));
  writeFileSync(join(dir, name), text);
  return dir;
}

const cli = (command: 'run' | 'validate', data: string, out: string, scheme = 'national-model-2012') =>
  runCli(
    command === 'run'
      ? ['run', '--scheme', scheme, '--data', data, '--as-of', '2015-03-31', '--out', out, '--quiet', '--workers', '0']
      : ['validate', '--scheme', scheme, '--data', data, '--out', out, '--quiet', '--workers', '0'],
  );

const file = fc.constantFrom(...INPUT_FILES);
// Cells that exercise the parsers: good values, near misses, identifiers, and junk.
const cell = fc.oneof(
  fc.constantFrom('C1', 'C2', 'E1', 'P1', 'A1', '2014-01-10', '2015-02-30', '1', '28', '29', '-1', 'true', 'opiates;crack', 'completed_drug_free', 'toString', '__proto__', 'constructor', '943 476 5919', '9.434765919E9', 'C1\u202e', '=cmd|', '"', ''),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const column = fc.oneof(
  fc.constantFrom(...INPUT_FILES.flatMap((f) => columnsOf(f))),
  fc.constantFrom('end_dt', 'date_of_deth', 'Client Name', 'Post Code', 'nhs_number', 'email', '__proto__', 'constructor', 'End Date', ' client_id ', 'notes', '\u001b[31mred', '\u0000'),
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
);

describe('hostile inputs: exit 0 or 1, no crash, nothing partial or mixed (issue #13)', () => {
  it('random bytes as an input file (CSV or NDJSON)', async () => {
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.constantFrom('csv', 'ndjson'),
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          // A real header, then random bytes: the rows are read.
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([Buffer.from(csvText(columnsOf('episodes'), [episode()])), b])),
          fc.array(fc.dictionary(fc.constantFrom(...columnsOf('episodes'), 'x'), cell, { maxKeys: 6 }), { maxLength: 4 }).map((rows) => Buffer.from(rows.map((o) => JSON.stringify(o)).join('\n'))),
        ),
        fc.constantFrom('run', 'validate'),
        async (f, ext, bytes, command) => {
          const data = folderWith(f, `${f}.${ext}`, bytes);
          const { out, before } = earlierOutputs();
          checkRun(command, await cli(command, data, out), out, before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('random headers and cells', async () => {
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.array(column, { minLength: 1, maxLength: 8 }),
        fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 4 }),
        fc.constantFrom('run', 'validate'),
        async (f, columns, rows, command) => {
          const text = [columns, ...rows].map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';
          const data = folderWith(f, `${f}.csv`, text);
          const { out, before } = earlierOutputs();
          checkRun(command, await cli(command, data, out), out, before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('random scheme JSON: random documents and presets with a value changed or a key added', async () => {
    const preset = presetDocument('national-model-2012') as Record<string, unknown>;
    // Every path of the preset (objects by key, arrays by index), to change one of them.
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(preset, []);
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(1e300, -1, 0, 0.5, 1e-7, 2 ** 53, '9'.repeat(80), '0.1234567890123', '', '__proto__', 'toString', { __proto__: null, polluted: 1 }),
      fc.constantFrom('national-model-2012', 'toString', '__proto__', 'constructor', '/dev/zero', '/proc/self/status', '.', '', 'nowhere.json').map((e) => ({ extends: e })),
    );
    const setAt = (doc: unknown, path: (string | number)[], v: unknown): unknown => {
      if (path.length === 0) return v;
      const copy = (Array.isArray(doc) ? [...doc] : { ...(doc as object) }) as Record<string | number, unknown>;
      copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), v);
      return copy;
    };
    const leaf = (p: (string | number)[]) => p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], preset);
    const numberPaths = paths.filter((p) => typeof leaf(p) === 'number');
    const decimalPaths = paths.filter((p) => typeof leaf(p) === 'string' && /^\d+\.\d+$/.test(leaf(p) as string));
    const schemeText = fc.oneof(
      // Valid changes: another count, another price or share (these run to the end).
      fc.tuple(fc.constantFrom(...numberPaths), fc.integer({ min: 0, max: 60 })).map(([p, v]) => JSON.stringify(setAt(preset, p, v))),
      fc.tuple(fc.constantFrom(...decimalPaths), fc.integer({ min: 0, max: 99_999_999_999 })).map(([p, v]) => JSON.stringify(setAt(preset, p, (v / 100).toFixed(2)))),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      // A scheme that extends something: a preset, a name of Object.prototype, a device, nothing.
      fc
        .tuple(fc.constantFrom('national-model-2012', 'drug-strategy-2017', 'toString', '__proto__', 'constructor', 'valueOf', '/dev/zero', '/dev/stdin', '/proc/self/status', '.', '', 'nowhere.json'), fc.dictionary(fc.constantFrom('id', 'title', 'calendar', '__proto__', 'tariff'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }))
        .map(([e, rest]) => JSON.stringify({ extends: e, ...rest })),
      fc.tuple(fc.constantFrom(...paths), value).map(([p, v]) => JSON.stringify(setAt(preset, p, v))),
      fc.tuple(fc.constantFrom(...paths.filter((p) => p.length > 0 && typeof p.at(-1) === 'string')), fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted'), value).map(([p, key, v]) => {
        // A key added where another one is: JSON text, so `__proto__` stays a key.
        const last = p.at(-1) as string;
        return JSON.stringify(preset).replace(`"${last}":`, `${JSON.stringify(key)}:${JSON.stringify(v) ?? 'null'},"${last}":`);
      }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.integer({ min: 30, max: 3000 }).map((n) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`),
    );
    // Or --scheme itself: a name of Object.prototype, a device, a folder.
    const schemeArg = fc.option(fc.constantFrom('toString', '__proto__', 'constructor', 'hasOwnProperty', '/dev/zero', '/proc/self/status', '/', '.', 'national-model-2012'), { freq: 4 });
    await fc.assert(
      fc.asyncProperty(schemeText, schemeArg, fc.constantFrom('run', 'validate'), async (text, arg, command) => {
        const dir = tempDir('rpbr-prop-');
        writeFileSync(join(dir, 'scheme.json'), text);
        const { out, before } = earlierOutputs();
        checkRun(command, await cli(command, cohort, out, arg ?? join(dir, 'scheme.json')), out, before);
      }),
      { numRuns: 60 },
    );
  });
});
