/**
 * The rejection summary (R-VAL-1): rejections counted by file, field and rejection code, with the
 * first rows as examples, whatever order they are fed in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPUT_FILES } from '../../src/schema/codes.js';
import { compareRejections, rejectionTally } from '../../src/report/rejections.js';
import { rejection } from './support.js';

describe('rejectionTally', () => {
  it('counts by file (SPEC order), field and rejection code, most rows first, with the first row as example', () => {
    const t = rejectionTally({ examples: 2 });
    t.add(rejection({ file: 'reviews', row: 9, field: 'stage', value: 'mid', code: 'unknown_code', reason: 'is not a known code' }));
    t.add(rejection({ file: 'episodes', row: 7, field: 'episode_id', value: 'E2', code: 'duplicate_row', reason: 'duplicate: the same row already appears at row 6' }));
    t.add(rejection({ file: 'episodes', row: 4, field: 'episode_id', value: 'E1', code: 'duplicate_row', reason: 'duplicate: the same row already appears at row 3' }));
    t.add(rejection({ file: 'episodes', row: 2, field: 'start_date', value: '2023-02-30' }));
    // Same field, different codes: two lines, however alike their wording.
    t.add(rejection({ file: 'episodes', row: 12, field: 'start_date', value: '12/03/2023', code: 'date_format', reason: 'is not an ISO date' }));
    const d = t.result();
    expect(d.total).toBe(5);
    expect(d.files.map((f) => [f.file, f.rows])).toEqual([['episodes', 4], ['reviews', 1]]);
    expect(d.files[0]!.reasons[0]).toEqual({
      field: 'episode_id',
      code: 'duplicate_row',
      rows: 2,
      example: { row: 4, value: 'E1', reason: 'duplicate: the same row already appears at row 3' },
    });
    expect(d.files[0]!.reasons.slice(1).map((r) => [r.field, r.code, r.rows])).toEqual([
      ['start_date', 'date_format', 1],
      ['start_date', 'not_a_date', 1],
    ]);
    expect(d.examples.map((e) => `${e.file}:${e.row}`)).toEqual(['episodes:2', 'episodes:4']);
  });

  const arbRejection = fc.record({
    file: fc.constantFrom(...INPUT_FILES),
    row: fc.integer({ min: 2, max: 40 }),
    field: fc.constantFrom('a', 'b'),
    value: fc.constantFrom('', 'x', 'y'),
    code: fc.constantFrom('blank_required' as const, 'duplicate_row' as const),
    reason: fc.constantFrom('is required but blank', 'duplicate: the same row already appears at row 3', 'duplicate: the same row already appears at row 9'),
  });

  it('gives the same digest whatever the order of rejections; examples are the first in rejections.csv order', () => {
    fc.assert(
      fc.property(fc.array(arbRejection, { maxLength: 40 }), fc.func(fc.integer()), fc.nat(6), (rs, key, keep) => {
        const a = rejectionTally({ examples: keep });
        rs.forEach((r) => a.add(r));
        const b = rejectionTally({ examples: keep });
        [...rs].sort((x, y) => key(x) - key(y)).forEach((r) => b.add(r));
        const da = a.result();
        expect(JSON.stringify(b.result())).toBe(JSON.stringify(da));
        expect(da.examples).toEqual([...rs].sort(compareRejections).slice(0, keep));
        expect(da.files.reduce((s, f) => s + f.rows, 0)).toBe(rs.length);
      }),
    );
  });
});
