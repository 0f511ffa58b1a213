import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import { Invalid } from '../../src/schema/fields.js';
import { RECORD_FIELDS, RECORD_SCHEMAS, parseRow, rowCheck, type FieldSpec } from '../../src/schema/records.js';

// Values that exercise every parser: valid and invalid ids, dates, counts, scores, codes, lists.
const POOL: unknown[] = [
  '', ' ', '  E1 ', 'E1', 'C1', 'C2', 'P1', 'A1', '1', '2', '9434765919', '943 476 5918', 'x'.repeat(70), 'Caf\ufffd', 'a\u0001',
  '2023-01-10', '2023-06-30', '2022-12-31', '2023-02-30', '01/02/2023', '2023-01-10T00:00', '1899-01-01',
  'opiates', 'alcohol;crack', 'Cannabis; alcohol', 'heroin', ';', 'start', 'Exit', 'post_exit', 'halfway',
  'negative', 'positive', 'refused', 'acquisitive', 'violent', 'true', 'FALSE', 'yes',
  '0', '20', '21', '28', '29', '-1', '2.5', '37.5', '168', '169', 'completed_drug_free', 'Dropped_Out', 'constructor',
  0, 28, 29, 16.5, true, false, null, undefined, ['opiates', 'alcohol'], ['x'], {},
];

const validFor = (f: FieldSpec) => POOL.filter((v) => {
  const p = f.parse(v);
  return !(p instanceof Invalid) && p !== undefined;
});

/** A raw row for `file`: each field mostly valid, sometimes anything from the pool, sometimes absent. */
function rawRow(file: InputFile): fc.Arbitrary<Record<string, unknown>> {
  const fields = RECORD_FIELDS[file] as readonly FieldSpec[];
  const parts = fields.map((f) => {
    const valid = validFor(f);
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...valid) },
      { weight: 2, arbitrary: fc.constantFrom(...POOL) },
      { weight: 1, arbitrary: fc.string() },
      { weight: 1, arbitrary: fc.constant(Symbol.for('absent')) },
    );
  });
  return fc.tuple(...parts, fc.option(fc.string(), { nil: undefined })).map((vals) => {
    const row: Record<string, unknown> = {};
    fields.forEach((f, i) => {
      const v = vals[i];
      if (v !== Symbol.for('absent')) row[f.name] = v;
    });
    const extra = vals[fields.length];
    if (extra !== undefined) row['unknown_column'] = extra;
    return row;
  });
}

describe('RECORD_SCHEMAS (zod) and parseRow are built from one field table', () => {
  it('accept exactly the same rows, produce the same records, and report the same first problem (property)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...INPUT_FILES).chain((file) => rawRow(file).map((row) => ({ file, row }))),
        ({ file, row }) => {
          const z = RECORD_SCHEMAS[file].safeParse(row);
          const p = parseRow(file, row);
          expect(z.success).toBe(p.ok);
          if (p.ok && z.success) {
            accepted++;
            expect(z.data).toStrictEqual(p.record);
            expect(Object.keys(z.data)).toEqual(Object.keys(p.record));
          } else if (!p.ok && !z.success) {
            refused++;
            const first = z.error.issues[0]!;
            expect(first.path[0]).toBe(p.problem.field);
            expect(first.message).toBe(p.problem.reason);
          }
        },
      ),
      { numRuns: 3000 },
    );
    // Both branches must be exercised for the law to mean anything.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('a row with only the required fields is accepted, optional fields undefined', () => {
    const row = { client_id: 'C1', offence_date: '2020-01-05' };
    expect(RECORD_SCHEMAS.offences.parse(row)).toStrictEqual({ client_id: 'C1', offence_date: '2020-01-05', category: undefined });
    expect(parseRow('offences', row)).toStrictEqual({ ok: true, record: { client_id: 'C1', offence_date: '2020-01-05', category: undefined } });
  });

  it('unknown columns are not copied into records (R-VAL-3)', () => {
    const r = parseRow('clients', { client_id: 'C1', name: 'Ann' });
    expect(r.ok && Object.keys(r.record)).toEqual(['client_id', 'date_of_death']);
  });

  it('an exit reason without a discharge date is rejected on discharge_date', () => {
    const r = parseRow('episodes', {
      episode_id: 'E1', client_id: 'C1', provider_id: 'P1', area_code: 'A1', substances: 'alcohol', start_date: '2023-01-01', exit_reason: 'dropped_out',
    });
    expect(r).toMatchObject({ ok: false, problem: { field: 'discharge_date', reason: expect.stringMatching(/exit_reason 'dropped_out' says the episode ended/) } });
  });
});

describe('rowCheck (R-VAL-2, checks across a row’s fields): it reads only the fields it names', () => {
  // The columnar reader hands a check an object holding only the fields in `reads`.
  const values = fc.constantFrom(undefined, '2020-01-01', '2020-02-01', 'completed_drug_free', 'x', 3);
  const checked = INPUT_FILES.filter((f) => rowCheck(f) !== undefined);

  it('episodes and employment have one', () => {
    expect(checked).toEqual(['episodes', 'employment']);
  });

  it('on any row, reads no field outside `reads`, and says the same of the row cut down to them', () => {
    for (const file of checked) {
      const { reads, check } = rowCheck(file)!;
      const names = (RECORD_FIELDS[file] as readonly FieldSpec[]).map((f) => f.name);
      fc.assert(
        fc.property(fc.tuple(...names.map(() => values)), (vs) => {
          const row = Object.fromEntries(names.map((n, i) => [n, vs[i]]));
          const touched = new Set<string>();
          const watched = new Proxy(row, { get: (t, k) => (typeof k === 'string' && touched.add(k), t[k as string]) });
          const whole = check(watched);
          for (const k of touched) expect(reads).toContain(k);
          expect(check(Object.fromEntries(reads.map((n) => [n, row[n]])))).toEqual(whole);
        }),
        { numRuns: 300 },
      );
    }
  });
});
