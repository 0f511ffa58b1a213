/**
 * The rejection summary (R-VAL-1): rejections counted by file, field and kind of reason, with the
 * first rows as examples, whatever order they are fed in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPUT_FILES } from '../../src/schema/codes.js';
import { compareRejections, reasonPattern, rejectionTally } from '../../src/report/rejections.js';
import { rejection } from './support.js';

describe('reasonPattern: reasons that differ only in row-specific details are one kind', () => {
  it.each([
    ['duplicate: the same row already appears at row 184', 'duplicate: the same row already appears at row …'],
    ['appears in rows 12, 14 and 19 with different values; keep one correct row', 'appears in rows … with different values; keep one correct row'],
    ["'spice' is not a known substance; use ;-separated codes from: opiates", "'…' is not a known substance; use ;-separated codes from: opiates"],
    ['its episode was rejected (episodes row 1179); fix that row first', 'its episode was rejected (episodes row …); fix that row first'],
    ['episode E0000181-01 belongs to another client', 'episode … belongs to another client'],
    ['is before the start of episode E0000965-01 (2011-08-26)', 'is before the start of episode … (…)'],
    ['is before start_date 2012-01-01', 'is before start_date …'],
    ['is 80 characters long; identifiers are at most 64', 'is … characters long; identifiers are at most 64'],
  ])('%s', (reason, pattern) => expect(reasonPattern(reason)).toBe(pattern));

  it.each(['is outside 0–20 points', 'is outside 0–28 days (of the previous 28)', 'contains bytes that are not UTF-8; save the file as UTF-8', 'is outside 1900-01-01 to 2199-12-31'])(
    'keeps fixed wording: %s',
    (reason) => expect(reasonPattern(reason)).toBe(reason),
  );
});

describe('rejectionTally', () => {
  it('counts by file (SPEC order), field and kind of reason, most rows first, with the first row as example', () => {
    const t = rejectionTally({ examples: 2 });
    t.add(rejection({ file: 'reviews', row: 9, field: 'stage', value: 'mid', reason: 'is not a known code' }));
    t.add(rejection({ file: 'episodes', row: 7, field: 'episode_id', value: 'E2', reason: 'duplicate: the same row already appears at row 6' }));
    t.add(rejection({ file: 'episodes', row: 4, field: 'episode_id', value: 'E1', reason: 'duplicate: the same row already appears at row 3' }));
    t.add(rejection({ file: 'episodes', row: 2, field: 'start_date', value: '2023-02-30' }));
    const d = t.result();
    expect(d.total).toBe(4);
    expect(d.files.map((f) => [f.file, f.rows])).toEqual([['episodes', 3], ['reviews', 1]]);
    expect(d.files[0]!.reasons[0]).toEqual({
      field: 'episode_id',
      reason: 'duplicate: the same row already appears at row …',
      rows: 2,
      example: { row: 4, value: 'E1', reason: 'duplicate: the same row already appears at row 3' },
    });
    expect(d.examples.map((e) => `${e.file}:${e.row}`)).toEqual(['episodes:2', 'episodes:4']);
  });

  const arbRejection = fc.record({
    file: fc.constantFrom(...INPUT_FILES),
    row: fc.integer({ min: 2, max: 40 }),
    field: fc.constantFrom('a', 'b'),
    value: fc.constantFrom('', 'x', 'y'),
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
