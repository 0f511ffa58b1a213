/**
 * Rejection codes (R-VAL-1, R-VAL-2, R-VAL-3; issue #10 point 3): every rejected row carries a code
 * from the closed list REJECTION_CODES, whichever reader made it; every code of the list is
 * produced by a fixture here (through the files, and through rows given in memory where rows can
 * say it); a messy generated cohort yields only listed codes, in rejections.csv too; the
 * documentation lists the codes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { checkFolder, readDataset } from '../../src/node/run-folder.js';
import { generateRows } from '../../src/generate/index.js';
import { presetScheme } from '../../src/presets/index.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import type { Rejection } from '../../src/schema/dataset.js';
import { Invalid, parseDate, parseId } from '../../src/schema/fields.js';
import { RECORD_SCHEMAS, columnsOf } from '../../src/schema/records.js';
import { REJECTION_CODES, REJECTION_CODE_RULE, REJECTION_CODE_TEXT, RejectionCodeSchema, isRejectionCode, type RejectionCode } from '../../src/schema/rejection-codes.js';
import { validateDataset, type RawDataset } from '../../src/validate/index.js';
import { closedEpisode, dataDir, employmentSpell, episode, review, tempDir, type Row } from '../io/helpers.js';

type Files = Parameters<typeof dataDir>[0];

/** A fixture: the files of a data folder, and the rejection (file and field) that must carry the code. */
interface Fixture {
  files: Files;
  file: InputFile;
  field: string;
}

const COLS = columnsOf('episodes').join(',');
const NOT_UTF8 = Buffer.concat([Buffer.from(`${COLS}\nE1,C1,P1,Caf`), Buffer.from([0xe9]), Buffer.from(',opiates,2023-01-10,,,,,,\n')]);
const ndjson = (rows: object[]) => ({ text: rows.map((r) => JSON.stringify(r)).join('\n') + '\n', ext: 'ndjson' as const });

/** One fixture per code: the compiler refuses a code without one. */
const FIXTURES: Record<RejectionCode, Fixture> = {
  wrong_width: { files: { episodes: { text: `${COLS}\nE1,C1,P1\n` } }, file: 'episodes', field: '' },
  not_utf8: { files: { episodes: { text: NOT_UTF8 } }, file: 'episodes', field: 'area_code' },
  not_json: { files: { episodes: { text: '{"episode_id": oops}\n', ext: 'ndjson' } }, file: 'episodes', field: '' },
  not_json_object: { files: { episodes: { text: '["E1", "C1"]\n', ext: 'ndjson' } }, file: 'episodes', field: '' },
  blank_required: { files: { episodes: [episode({ provider_id: ' ' })] }, file: 'episodes', field: 'provider_id' },
  not_a_single_value: { files: { episodes: ndjson([{ ...episode(), provider_id: ['P1', 'P2'] }]) }, file: 'episodes', field: 'provider_id' },
  too_long: { files: { episodes: [episode({ provider_id: 'P'.repeat(65) })] }, file: 'episodes', field: 'provider_id' },
  reserved_name: { files: { episodes: [episode({ area_code: '__proto__' })] }, file: 'episodes', field: 'area_code' },
  bad_character: { files: { episodes: [episode({ client_id: 'C\u200b1' })] }, file: 'episodes', field: 'client_id' },
  nhs_number: { files: { episodes: [episode({ client_id: '943 476 5919' })] }, file: 'episodes', field: 'client_id' },
  not_a_date: { files: { episodes: [episode({ start_date: '2023-02-30' })] }, file: 'episodes', field: 'start_date' },
  date_format: { files: { episodes: [episode({ start_date: '10/01/2023' })] }, file: 'episodes', field: 'start_date' },
  date_out_of_range: { files: { episodes: [episode({ start_date: '1899-12-31' })] }, file: 'episodes', field: 'start_date' },
  not_true_or_false: { files: { episodes: [episode({ injecting_at_start: 'yes' })] }, file: 'episodes', field: 'injecting_at_start' },
  not_a_number: { files: { episodes: [episode()], employment: [employmentSpell({ hours_per_week: 'full time' })] }, file: 'employment', field: 'hours_per_week' },
  out_of_range: { files: { episodes: [episode()], reviews: [review({ days_opiates: '29' })] }, file: 'reviews', field: 'days_opiates' },
  unknown_code: { files: { episodes: [episode()], reviews: [review({ stage: 'halfway' })] }, file: 'reviews', field: 'stage' },
  date_order: { files: { episodes: [closedEpisode({ start_date: '2023-05-01', discharge_date: '2023-04-30' })] }, file: 'episodes', field: 'discharge_date' },
  discharge_without_exit_reason: { files: { episodes: [episode({ discharge_date: '2023-03-01' })] }, file: 'episodes', field: 'exit_reason' },
  exit_reason_without_discharge: { files: { episodes: [episode({ exit_reason: 'dropped_out' })] }, file: 'episodes', field: 'discharge_date' },
  duplicate_row: { files: { episodes: [episode(), episode()] }, file: 'episodes', field: 'episode_id' },
  conflicting_rows: { files: { episodes: [episode(), episode({ provider_id: 'P2' })] }, file: 'episodes', field: 'episode_id' },
  unknown_episode: { files: { episodes: [episode()], reviews: [review({ episode_id: 'E9' })] }, file: 'reviews', field: 'episode_id' },
  episode_rejected: { files: { episodes: [episode({ start_date: '2023-02-30' })], reviews: [review()] }, file: 'reviews', field: 'episode_id' },
  episode_of_another_client: { files: { episodes: [episode()], reviews: [review({ client_id: 'C2' })] }, file: 'reviews', field: 'client_id' },
  review_before_episode: { files: { episodes: [episode()], reviews: [review({ date: '2023-01-09' })] }, file: 'reviews', field: 'date' },
  review_after_discharge: {
    files: { episodes: [closedEpisode({ discharge_date: '2023-06-30' })], reviews: [review({ date: '2023-07-29', stage: 'post_exit' })] },
    file: 'reviews',
    field: 'date',
  },
};

/** The fixture's rows as rows given in memory, when every file is rows (not raw text). */
function inMemory(files: Files): RawDataset | undefined {
  const out: RawDataset = {};
  for (const [file, spec] of Object.entries(files) as [InputFile, Files[InputFile]][]) {
    if (!Array.isArray(spec)) return undefined;
    out[file] = (spec as Row[]).map((values, i) => ({ row: i + 2, values }));
  }
  return out;
}

const codesOf = (rs: readonly Rejection[]) => rs.map((r) => `${r.file}:${r.row}:${r.field}:${r.code}`);

describe('the closed list of rejection codes', () => {
  it('has a meaning and a rule for every code, and nothing else', () => {
    expect(new Set(REJECTION_CODES).size).toBe(REJECTION_CODES.length);
    expect(Object.keys(REJECTION_CODE_TEXT).sort()).toEqual([...REJECTION_CODES].sort());
    expect(Object.keys(REJECTION_CODE_RULE).sort()).toEqual([...REJECTION_CODES].sort());
    for (const c of REJECTION_CODES) {
      expect(c).toMatch(/^[a-z0-9_]+$/);
      expect(REJECTION_CODE_TEXT[c].length, c).toBeGreaterThan(10);
      expect(isRejectionCode(c)).toBe(true);
      expect(RejectionCodeSchema.parse(c)).toBe(c);
    }
    expect(isRejectionCode('constructor')).toBe(false);
    expect(RejectionCodeSchema.safeParse('in_treatment').success).toBe(false);
  });

  it('has a fixture for every code', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual([...REJECTION_CODES].sort());
  });

  it('field parsers answer with a code as well as a reason', () => {
    expect(parseDate('2023-02-30')).toEqual(new Invalid('not_a_date', 'is not a real calendar date'));
    expect((parseId('943 476 5919') as Invalid).code).toBe('nhs_number');
  });

  it("the records' zod schemas give the code with each issue (params.rejection)", () => {
    const bad = RECORD_SCHEMAS.employment.safeParse({ client_id: 'C1', start_date: '2023-02-01', end_date: '2023-01-01', hours_per_week: '' });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path.join('.'), (i as { params?: { rejection?: string } }).params?.rejection])).toEqual([['end_date', 'date_order']]);
    const blank = RECORD_SCHEMAS.offences.safeParse({ client_id: ' ', offence_date: '2023-02-30' });
    expect(blank.success ? [] : blank.error.issues.map((i) => (i as { params?: { rejection?: string } }).params?.rejection)).toEqual(['blank_required', 'not_a_date']);
  });
});

describe('each code is produced by its fixture (files; and rows in memory where rows can say it)', () => {
  it.each(REJECTION_CODES.map((c) => [c, FIXTURES[c]] as const))('%s', async (code, fx) => {
    const read = await readDataset(dataDir(fx.files));
    expect(read.rejections).toContainEqual(expect.objectContaining({ file: fx.file, field: fx.field, code }));
    for (const r of read.rejections) expect(REJECTION_CODES).toContain(r.code);
    const rows = inMemory(fx.files);
    if (rows) {
      // The library's in-memory call judges the same rows alike.
      const memory = validateDataset(rows);
      expect(codesOf(memory.rejections)).toEqual(codesOf(read.rejections));
    }
  });
});

describe('a messy generated cohort: every rejection has a listed code (R-VAL-1)', () => {
  const options = { clients: 300, seed: 2012, errorRate: 0.2 };
  /** The codes the generator's corruptions must produce (src/generate/errors.ts). */
  const expected: RejectionCode[] = [
    'not_a_date',
    'date_format',
    'date_order',
    'unknown_code',
    'blank_required',
    'out_of_range',
    'not_a_number',
    'duplicate_row',
    'conflicting_rows',
    'exit_reason_without_discharge',
    'discharge_without_exit_reason',
    'episode_of_another_client',
    'review_before_episode',
  ];

  const tally = (rs: readonly Rejection[]) => {
    const t: Record<string, number> = {};
    for (const r of rs) t[r.code] = (t[r.code] ?? 0) + 1;
    return t;
  };

  it('read from CSV, from NDJSON and given in memory, with the same codes; rejections.csv ends with the code', async () => {
    const csvDir = tempDir();
    await writeGeneratedDataset(options, csvDir);
    const ndjsonDir = tempDir();
    await writeGeneratedDataset(options, ndjsonDir, { format: 'ndjson' });
    const fromCsv = await readDataset(csvDir);
    const fromNdjson = await readDataset(ndjsonDir);
    const raw: RawDataset = {};
    for (const f of INPUT_FILES) raw[f] = [...generateRows(options, f)].map((values, i) => ({ row: i + 2, values }));
    const memory = validateDataset(raw);

    expect(fromCsv.rejections.length).toBeGreaterThan(100);
    for (const r of [...fromCsv.rejections, ...fromNdjson.rejections, ...memory.rejections]) {
      expect(REJECTION_CODES, `${r.file} row ${r.row} ${r.field}: ${r.reason}`).toContain(r.code);
      expect(r.reason).not.toBe('');
    }
    const codes = tally(fromCsv.rejections);
    for (const c of expected) expect(codes[c], c).toBeGreaterThan(0);
    expect(tally(fromNdjson.rejections)).toEqual(codes);
    expect(codesOf(memory.rejections)).toEqual(codesOf(fromCsv.rejections));

    // The national-scale writer of rejections.csv, several partitions: the same codes, last column.
    const check = await checkFolder(csvDir, presetScheme('national-model-2012'), { partitions: 3, workers: 0 });
    try {
      const lines = [...check.rejectionsCsv()].join('').trimEnd().split('\n');
      expect(lines[0]).toBe('file,row,field,value,reason,code');
      expect(lines.slice(1).map((l) => l.slice(l.lastIndexOf(',') + 1))).toEqual(fromCsv.rejections.map((r) => r.code));
    } finally {
      await check.dispose();
    }
  });
});

describe('the documentation lists every rejection code', () => {
  it('docs/outputs.md: each code with its rule, where rejections.csv is described', () => {
    const doc = readFileSync(new URL('../../docs/outputs.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## rejections.csv'), doc.indexOf('## summary.json'));
    for (const c of REJECTION_CODES) expect(section, c).toMatch(new RegExp(`\\| \`${c}\` \\| ${REJECTION_CODE_RULE[c]} \\|`));
  });
});
