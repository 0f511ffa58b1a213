import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.js';
import {
  generateClient,
  generateClients,
  generateRows,
  resolveGenerateOptions,
  type GenerateOptions,
} from '../../src/generate/index.js';
import { INPUT_FILES } from '../../src/schema/codes.js';
import { isNhsNumber } from '../../src/schema/fields.js';
import { cohort, DATE_COLUMNS, validate } from './helpers.js';

const rowsOf = (options: GenerateOptions, from?: number, to?: number) => JSON.stringify([...generateClients(options, from, to)]);

/** A random observation window: from, to (0–4 years later), extract (0–2 years after to). */
const windowArb = fc
  .record({
    year: fc.integer({ min: 2004, max: 2022 }),
    day: fc.integer({ min: 0, max: 364 }),
    span: fc.integer({ min: 0, max: 1460 }),
    lag: fc.integer({ min: 0, max: 730 }),
  })
  .map(({ year, day, span, lag }) => {
    const from = addDays(`${year}-01-01`, day);
    const to = addDays(from, span);
    return { from, to, extractDate: addDays(to, lag) };
  });

describe('determinism', () => {
  it('same seed and options ⇒ identical rows; another seed ⇒ different rows', () => {
    const a = rowsOf({ clients: 200, seed: 2012 });
    expect(rowsOf({ clients: 200, seed: 2012 })).toBe(a);
    expect(rowsOf({ clients: 200, seed: 2013 })).not.toBe(a);
  });

  it('a client does not depend on the cohort size or on which other clients are generated', () => {
    const small = [...generateClients({ clients: 10, seed: 5 })];
    const big = [...generateClients({ clients: 5000, seed: 5 }, 0, 10)];
    expect(JSON.stringify(big)).toBe(JSON.stringify(small));
    expect(JSON.stringify(generateClient({ clients: 10, seed: 5 }, 7))).toBe(JSON.stringify(small[7]));
  });

  it('chunked generation equals one run, for any chunk boundaries (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }),
        fc.constantFrom(0, 0.05),
        (seed, clients, cuts, errorRate) => {
          const options = { clients, seed, errorRate };
          const bounds = [0, ...cuts.map((c) => c % (clients + 1)).sort((x, y) => x - y), clients];
          const chunked: unknown[] = [];
          for (let i = 0; i + 1 < bounds.length; i++) chunked.push(...generateClients(options, bounds[i], bounds[i + 1]));
          expect(JSON.stringify(chunked)).toBe(rowsOf(options));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the error rate corrupts rows but never changes the clean data underneath', () => {
    const clean = [...generateClients({ clients: 300, seed: 11 })];
    const dirty = [...generateClients({ clients: 300, seed: 11, errorRate: 0.02 })];
    let untouched = 0;
    for (let i = 0; i < clean.length; i++) {
      if (dirty[i]!.corruptions.length === 0) {
        expect(dirty[i]!.rows).toEqual(clean[i]!.rows);
        untouched++;
      }
    }
    expect(untouched).toBeGreaterThan(100);
    expect(dirty.some((c) => c.corruptions.length > 0)).toBe(true);
  });

  it('generateRows streams one file in cohort order', () => {
    const options = { clients: 30, seed: 3 };
    const all = [...generateClients(options)];
    for (const f of INPUT_FILES) expect([...generateRows(options, f)]).toEqual(all.flatMap((c) => c.rows[f]));
  });
});

describe('validity (R-VAL-1, R-VAL-2)', () => {
  it('errorRate 0 ⇒ every row passes validation, for random seeds and observation windows (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), windowArb, (seed, window) => {
        const c = cohort({ clients: 120, seed, ...window });
        const v = validate(c);
        expect(v.rejections).toEqual([]);
        for (const f of INPUT_FILES) expect(v.counts[f]).toEqual({ read: c.raw[f].length, used: c.raw[f].length, rejected: 0 });
      }),
      { numRuns: 6 },
    );
  });

  it('nothing is dated after the extract date, and every episode starts inside [from, to] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), windowArb, (seed, window) => {
        const c = cohort({ clients: 80, seed, ...window });
        for (const f of INPUT_FILES) {
          for (const r of c.raw[f]) {
            for (const col of DATE_COLUMNS[f]) {
              const d = r.values[col];
              if (d !== undefined) expect(String(d) <= window.extractDate).toBe(true);
            }
          }
        }
        for (const r of c.raw.episodes) {
          expect(String(r.values['start_date']) >= window.from && String(r.values['start_date']) <= window.to).toBe(true);
        }
      }),
      { numRuns: 6 },
    );
  });

  it('every row corrupted on purpose is rejected; other rejections are only reviews of rejected episodes', () => {
    const c = cohort({ clients: 1500, seed: 77, errorRate: 0.01 });
    const v = validate(c);
    const rejected = new Map<string, Set<number>>();
    for (const r of v.rejections) {
      if (!rejected.has(r.file)) rejected.set(r.file, new Set());
      rejected.get(r.file)!.add(r.row);
    }
    let corrupted = 0;
    for (const f of INPUT_FILES) {
      for (const row of c.corruptedRows[f]) {
        corrupted++;
        expect(rejected.get(f)?.has(row), `${f} row ${row} was corrupted but not rejected`).toBe(true);
      }
    }
    expect(corrupted).toBeGreaterThan(100);
    // Rejected rows that were not corrupted are reviews of a rejected (corrupted) episode.
    const rejectedEpisodeIds = new Set(
      v.rejections.filter((r) => r.file === 'episodes').map((r) => String(c.raw.episodes[r.row - 2]!.values['episode_id'])),
    );
    for (const r of v.rejections) {
      if (c.corruptedRows[r.file].has(r.row)) continue;
      expect(r.file).toBe('reviews');
      expect(r.field).toBe('episode_id');
      expect(rejectedEpisodeIds.has(r.value), `${r.value}: ${r.reason}`).toBe(true);
    }
    // Every file gets some errors, and every kind of error appears.
    for (const f of INPUT_FILES) expect(c.corruptedRows[f].size, f).toBeGreaterThan(0);
    const kinds = new Set(c.clients.flatMap((x) => x.corruptions.map((k) => `${k.file}:${k.kind}`)));
    for (const k of [
      'episodes:impossible_start_date',
      'episodes:discharge_before_start',
      'episodes:duplicate_episode_id',
      'episodes:unknown_substance',
      'episodes:blank_provider',
      'reviews:day_count_over_28',
      'reviews:foreign_episode',
      'reviews:before_episode_start',
      'drug_tests:unknown_result',
      'offences:unknown_category',
    ]) {
      expect(kinds.has(k), k).toBe(true);
    }
  });

  it('client ids are pseudonymous (C + 7 digits), never NHS numbers, one clients row each (R-VAL-3)', () => {
    const c = cohort({ clients: 500, seed: 1 });
    const ids = c.raw.clients.map((r) => String(r.values['client_id']));
    expect(new Set(ids).size).toBe(500);
    for (const id of ids) {
      expect(id).toMatch(/^C\d{7}$/);
      expect(isNhsNumber(id)).toBe(false);
    }
    expect(ids[0]).toBe('C0000001');
  });
});

describe('options', () => {
  it('fills in the documented defaults', () => {
    expect(resolveGenerateOptions({ clients: 1, seed: 0 })).toEqual({
      clients: 1,
      seed: 0,
      from: '2011-04-01',
      to: '2014-03-31',
      extractDate: '2015-03-31',
      errorRate: 0,
    });
  });

  it.each([
    [{ clients: 0, seed: 1 }, /clients must be at least 1/],
    [{ clients: 1.5, seed: 1 }, /clients must be a whole number/],
    [{ clients: 10, seed: -1 }, /seed must be 0 or more/],
    [{ clients: 10, seed: 2 ** 32 }, /seed must be at most/],
    [{ clients: 10, seed: 1, from: '2013-02-30' }, /from must be a real date/],
    [{ clients: 10, seed: 1, from: '2014-01-01', to: '2013-01-01' }, /to \(2013-01-01\) is before from/],
    [{ clients: 10, seed: 1, extractDate: '2014-01-01' }, /extractDate \(2014-01-01\) is before to/],
    [{ clients: 10, seed: 1, errorRate: 0.9 }, /errorRate must be at most 0.5/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveGenerateOptions(options as GenerateOptions)).toThrow(expect.objectContaining({ code: 'generate_options' }));
    expect(() => resolveGenerateOptions(options as GenerateOptions)).toThrow(message);
  });

  it('rejects client ranges outside the cohort', () => {
    expect(() => [...generateClients({ clients: 5, seed: 1 }, 3, 6)]).toThrow(RangeError);
    expect(() => generateClient({ clients: 5, seed: 1 }, 5)).toThrow(RangeError);
  });
});
