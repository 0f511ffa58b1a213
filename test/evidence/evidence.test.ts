import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareReviews, evidenceAsOf, type ClientRecords, type EvidencePresence } from '../../src/evidence/index.js';
import { drugTest, job, offence, review } from '../support/builders.js';

const ALL: EvidencePresence = { reviews: true, drug_tests: true, offences: true, employment: true, clients: true };

// Few dates, so that ties (same date) and falls are common; rows numbered as read.
const day = fc.constantFrom('2020-01-01', '2020-01-02', '2020-01-03', '2020-02-01');
function numbered<T extends { readonly row?: number }>(list: T[]): T[] {
  return list.map((x, i) => ({ ...x, row: i + 2 }));
}
const records = fc
  .record({
    reviews: fc.array(fc.tuple(fc.constantFrom('E1', 'E2'), day, fc.constantFrom('start', 'review', 'exit') as fc.Arbitrary<'start' | 'review' | 'exit'>, fc.integer({ min: 0, max: 3 }))),
    drug_tests: fc.array(fc.tuple(day, fc.constantFrom('opiates', 'cocaine') as fc.Arbitrary<'opiates' | 'cocaine'>, fc.constantFrom('positive', 'negative') as fc.Arbitrary<'positive' | 'negative'>)),
    offences: fc.array(fc.tuple(day, fc.constantFrom('acquisitive', 'violent') as fc.Arbitrary<'acquisitive' | 'violent'>)),
    employment: fc.array(fc.tuple(day, fc.option(day, { nil: undefined }))),
  })
  .map(
    (r): ClientRecords => ({
      client_id: 'C1',
      episodes: [],
      reviews: numbered(r.reviews.map(([e, d, s, days]) => review(e, d, s, { days_opiates: days }))),
      drug_tests: numbered(r.drug_tests.map(([d, s, res]) => drugTest(d, s, res))),
      offences: numbered(r.offences.map(([d, c]) => offence(d, c))),
      employment: numbered(r.employment.map(([s, e]) => job(s, e))),
      client: undefined,
    }),
  );

/** The documented order: by `date`, then field by field on the values (a blank first), never by row. */
const byValues =
  <T extends object>(date: keyof T) =>
  (a: T, b: T): number => {
    for (const k of [date, ...(Object.keys(a) as (keyof T)[])]) {
      if (k === 'row' || k === 'part') continue;
      const x = a[k] as unknown;
      const y = b[k] as unknown;
      if (x === y) continue;
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      return (x as string | number) < (y as string | number) ? -1 : 1;
    }
    return 0;
  };

describe('evidenceAsOf', () => {
  it('keeps the records dated on or before asOf, in the order of a full sort, whatever order they came in (R-CAL-2, R-PAY-7)', () => {
    fc.assert(
      fc.property(records, fc.option(day, { nil: undefined }), (recs, asOf) => {
        const seen = <T>(list: T[], date: (x: T) => string) => list.filter((x) => asOf === undefined || date(x) <= asOf);
        const ev = evidenceAsOf(recs, ALL, asOf);
        // What a filter and a full sort give (the employment spells' ends beyond asOf cleared first).
        expect(ev.reviews).toEqual(seen(recs.reviews, (r) => r.date).sort(compareReviews));
        expect(ev.drug_tests).toEqual(seen(recs.drug_tests, (t) => t.date).sort(byValues('date')));
        expect(ev.offences).toEqual(seen(recs.offences, (o) => o.offence_date).sort(byValues('offence_date')));
        const cleared = seen(recs.employment, (s) => s.start_date).map((s) => (asOf !== undefined && s.end_date !== undefined && s.end_date > asOf ? { ...s, end_date: undefined } : s));
        expect(ev.employment).toEqual(cleared.sort(byValues('start_date')));
        // Ties broken by the record's values, never by its row: the same lists in reverse give the same answer.
        const reversed = evidenceAsOf({ ...recs, reviews: [...recs.reviews].reverse(), drug_tests: [...recs.drug_tests].reverse(), offences: [...recs.offences].reverse(), employment: [...recs.employment].reverse() }, ALL, asOf);
        const values = <T extends { readonly row?: number }>(list: T[]) => list.map(({ row: _row, ...rest }) => rest);
        for (const k of ['reviews', 'drug_tests', 'offences', 'employment'] as const) {
          expect(values(reversed[k] as { row?: number }[])).toEqual(values(ev[k] as { row?: number }[]));
          const dates = (ev[k] as { date?: string; offence_date?: string; start_date?: string }[]).map((x) => x.date ?? x.offence_date ?? x.start_date!);
          expect(dates).toEqual([...dates].sort());
          if (asOf !== undefined) expect(dates.every((d) => d <= asOf)).toBe(true);
        }
        expect(ev.drug_tests.length).toBe(seen(recs.drug_tests, (t) => t.date).length);
        expect(ev.offences.length).toBe(seen(recs.offences, (o) => o.offence_date).length);
        expect(ev.employment.length).toBe(seen(recs.employment, (s) => s.start_date).length);
        // A spell still open at asOf is seen open (R-CAL-2).
        for (const s of ev.employment) if (asOf !== undefined && s.end_date !== undefined) expect(s.end_date <= asOf).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('sorts a list in date order whose records of one date are not (a day\'s tests in the extract\'s own order) as a full sort does', () => {
    // Dates in order, each day's records in the order generated: only runs of one date are out of order.
    const byDateOnly = <T>(list: T[], date: (x: T) => string) => [...list].sort((a, b) => (date(a) < date(b) ? -1 : date(a) > date(b) ? 1 : 0));
    fc.assert(
      fc.property(records, fc.option(day, { nil: undefined }), (recs, asOf) => {
        const dated: ClientRecords = { ...recs, reviews: byDateOnly(recs.reviews, (r) => r.date), drug_tests: byDateOnly(recs.drug_tests, (t) => t.date), offences: byDateOnly(recs.offences, (o) => o.offence_date) };
        const seen = <T>(list: T[], date: (x: T) => string) => list.filter((x) => asOf === undefined || date(x) <= asOf);
        const ev = evidenceAsOf(dated, ALL, asOf);
        expect(ev.reviews).toEqual(seen(dated.reviews, (r) => r.date).sort(compareReviews));
        expect(ev.drug_tests).toEqual(seen(dated.drug_tests, (t) => t.date).sort(byValues('date')));
        expect(ev.offences).toEqual(seen(dated.offences, (o) => o.offence_date).sort(byValues('offence_date')));
      }),
      { numRuns: 400 },
    );
  });

  it('R-CAL-2: takes the client\'s own list when it is every record known at asOf in order (no copy), and makes a new one when asOf drops any or the order is not the rule\'s', () => {
    const reviews = [review('E1', '2020-01-01', 'start'), review('E1', '2020-02-01', 'review')];
    const tests = [drugTest('2020-01-01', 'opiates', 'negative'), drugTest('2020-01-02', 'opiates', 'negative')];
    const recs: ClientRecords = { client_id: 'C1', episodes: [], reviews, drug_tests: tests, offences: [], employment: [], client: undefined };
    for (const asOf of [undefined, '2020-12-31']) {
      const ev = evidenceAsOf(recs, ALL, asOf);
      expect(ev.reviews).toBe(reviews);
      expect(ev.drug_tests).toBe(tests);
    }
    // asOf drops the last review and the last test: new lists, the records' own left as they were.
    const early = evidenceAsOf(recs, ALL, '2020-01-01');
    expect(early.reviews).not.toBe(reviews);
    expect(early.reviews.map((r) => r.date)).toEqual(['2020-01-01']);
    expect(early.drug_tests.map((t) => t.date)).toEqual(['2020-01-01']);
    expect(reviews).toHaveLength(2);
    // Out of order, or a day's records out of the rule's order (exit before start on one day): sorted copies.
    const backwards = [...reviews].reverse();
    const sameDay = [review('E1', '2020-01-01', 'exit'), review('E1', '2020-01-01', 'start')];
    for (const list of [backwards, sameDay]) {
      const given = [...list];
      const ev = evidenceAsOf({ ...recs, reviews: list }, ALL, undefined);
      expect(ev.reviews).not.toBe(list);
      expect(ev.reviews.map((r) => `${r.date} ${r.stage}`)).toEqual([...list].sort(compareReviews).map((r) => `${r.date} ${r.stage}`));
      expect(list).toEqual(given);
    }
  });

  it('R-CAL-2: sorts a list whose first record has an empty date (records not validated) rather than failing on it', () => {
    const reviews = [review('E1', '', 'review'), review('E1', '2024-05-01', 'review'), review('E1', '', 'start')];
    const recs: ClientRecords = { client_id: 'C1', episodes: [], reviews, drug_tests: [], offences: [], employment: [], client: undefined };
    const ev = evidenceAsOf(recs, ALL, undefined);
    expect(ev.reviews.map((r) => `${r.date} ${r.stage}`)).toEqual([...reviews].sort(compareReviews).map((r) => `${r.date} ${r.stage}`));
    // The first record kept comes after one asOf drops.
    const later = evidenceAsOf({ ...recs, reviews: [review('E1', '2030-01-01', 'review'), review('E1', '', 'start')] }, ALL, '2025-01-01');
    expect(later.reviews.map((r) => r.date)).toEqual(['']);
  });

  it('reads the client\'s drug tests only when its own drug_tests is first read, as known at asOf (R-CAL-2), then keeps the list', () => {
    const tests = [drugTest('2020-01-02', 'opiates', 'negative'), drugTest('2020-01-01', 'opiates', 'positive'), drugTest('2021-01-01', 'crack', 'negative')];
    let reads = 0;
    const recs: ClientRecords = {
      client_id: 'C1',
      episodes: [],
      reviews: [review('E1', '2020-01-01', 'start')],
      get drug_tests() {
        reads++;
        return tests;
      },
      offences: [],
      employment: [],
      client: undefined,
    };
    const ev = evidenceAsOf(recs, ALL, '2020-12-31');
    expect(ev.reviews).toHaveLength(1);
    expect(reads).toBe(0);
    expect(ev.drug_tests.map((t) => t.date)).toEqual(['2020-01-01', '2020-01-02']);
    expect(ev.drug_tests).toBe(ev.drug_tests);
    expect(reads).toBe(1);
  });

  it('returns new lists: the records handed in keep their order', () => {
    const recs: ClientRecords = { client_id: 'C1', episodes: [], reviews: [review('E1', '2020-01-02', 'review'), review('E1', '2020-01-01', 'start')], drug_tests: [], offences: [], employment: [], client: undefined };
    const before = [...recs.reviews];
    const ev = evidenceAsOf(recs, ALL, undefined);
    expect(ev.reviews.map((r) => r.date)).toEqual(['2020-01-01', '2020-01-02']);
    expect(ev.reviews).not.toBe(recs.reviews);
    expect(recs.reviews).toEqual(before);
  });
});
