import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeIndicators, followUpClosesOn, indicatorNames, nationalIndicatorName, periodLastDay, type IndicatorCount } from '../../src/health-premium/indicators.js';
import type { Dataset } from '../../src/schema/dataset.js';
import type { Episode, Located } from '../../src/schema/records.js';
import { asOfArb, datasetArb, shuffledArb } from '../support/arbitraries.js';
import { dataset, died, episode, opiateEpisode } from '../support/builders.js';
import { AS_OF, BASELINE, CURRENT, hpScheme } from './support.js';

const scheme = hpScheme();
type Over = Partial<Located<Episode>>;
const opiate = (id: string, client: string, start: string, end?: string, over: Over = {}) => opiateEpisode(id, start, end, { client_id: client, ...over });
const cannabis = (id: string, client: string, start: string, end?: string, over: Over = {}) =>
  episode(id, start, end, { client_id: client, substances: ['cannabis'], exit_reason: end ? 'completed_drug_free' : undefined, ...over });

function current(data: Dataset, asOf = AS_OF, s = scheme) {
  return computeIndicators(data, s as Parameters<typeof computeIndicators>[1], { baseline: BASELINE, current: CURRENT, asOf });
}
const row = (rows: IndicatorCount[], area: string, indicator: string) => {
  const r = rows.find((x) => x.area_code === area && x.indicator === indicator);
  if (!r) throw new Error(`no ${area} ${indicator}`);
  return { n: r.numerator, d: r.denominator, pending: r.pending, status: r.status };
};

describe('periods and names', () => {
  it('a 12-month period from 1 April ends on 31 March; its follow-up closes 6 months later', () => {
    expect(periodLastDay('2014-04-01', 12)).toBe('2015-03-31');
    expect(followUpClosesOn('2014-04-01', 12, 6)).toBe('2015-09-30');
    expect(followUpClosesOn('2014-09-01', 12, 6)).toBe('2016-02-29'); // 31 Aug + 6 months, clamped (R-CAL-1)
  });

  it('the national indicator of opiate + non-opiate is "combined"', () => {
    expect(nationalIndicatorName(['non_opiate', 'opiate'])).toBe('combined');
    expect(nationalIndicatorName(['alcohol', 'opiate', 'non_opiate'])).toBe('opiate+non_opiate+alcohol');
    expect(indicatorNames(['opiate'])).toEqual(['alcohol', 'combined', 'non_opiate', 'opiate']);
  });
});

describe('R-HP-1 denominator: clients in treatment on any day of the period', () => {
  it('a journey in treatment on one day only counts: ending on the first day, or starting on the last', () => {
    const data = dataset({
      episodes: [
        opiate('E1', 'C1', '2014-01-01', CURRENT, { exit_reason: 'dropped_out' }), // ends on the first day
        opiate('E2', 'C2', '2015-03-31'), // starts on the last day
        opiate('E3', 'C3', '2013-01-01', '2014-03-31', { exit_reason: 'dropped_out' }), // ends the day before
        opiate('E4', 'C4', '2015-04-01'), // starts the day after
      ],
    });
    const r = current(data);
    expect(row(r.current, 'A1', 'opiate')).toMatchObject({ n: 0, d: 2 });
    expect(r.clients.current.map((c) => c.client_id)).toEqual(['C1', 'C2']);
  });

  it('a client is counted once, in the group and area of their latest-starting journey in the period', () => {
    const data = dataset({
      episodes: [
        opiate('E1', 'C1', '2014-01-01', '2014-05-01', { area_code: 'A1', exit_reason: 'dropped_out' }),
        cannabis('E2', 'C1', '2014-09-01', '2014-12-01', { area_code: 'A2', exit_reason: 'dropped_out' }),
      ],
    });
    const r = current(data);
    expect(r.clients.current).toHaveLength(1);
    expect(r.clients.current[0]).toMatchObject({ area_code: 'A2', group: 'non_opiate', journey_id: 'E2' });
    expect(row(r.current, 'A2', 'non_opiate').d).toBe(1);
    expect(row(r.current, 'A1', 'opiate').d).toBe(0);
  });

  it('R-HP-1 / R-JNY-4 (v3): a journey counts in the area of its latest episode while open, even one starting after the period', () => {
    const data = dataset({
      episodes: [
        opiate('E1', 'C1', '2014-06-01', '2015-04-10', { area_code: 'A1', exit_reason: 'transferred_not_in_custody' }),
        opiate('E2', 'C1', '2015-04-10', undefined, { area_code: 'A9' }), // continues the journey after the period, in A9
      ],
    });
    expect(current(data).clients.current[0]!.area_code).toBe('A9');
    expect(row(current(data).current, 'A9', 'opiate').d).toBe(1);
    expect(current(data).current.map((x) => x.area_code)).not.toContain('A1');
  });

  it('R-HP-1 / R-JNY-4 (v3): a closed journey counts in the area of its exit episode, not of the episode in charge on the last day', () => {
    const data = dataset({
      episodes: [
        // E1 (A1) runs past the period and is discharged last: it is the exit episode.
        opiate('E1', 'C1', '2014-06-01', '2015-06-01', { area_code: 'A1', exit_reason: 'dropped_out' }),
        // E2 (A9) started later, so it was the latest episode on the period's last day, but ended first.
        opiate('E2', 'C1', '2014-09-01', '2015-01-15', { area_code: 'A9', exit_reason: 'transferred_not_in_custody' }),
      ],
    });
    const r = current(data);
    expect(r.clients.current[0]).toMatchObject({ area_code: 'A1', journey_id: 'E1' });
    expect(row(r.current, 'A1', 'opiate').d).toBe(1);
    expect(r.current.map((x) => x.area_code)).not.toContain('A9');
  });

  it('R-HP-1 / R-JNY-4 (v3): a client who moved area is counted where their latest-starting journey ended', () => {
    const data = dataset({
      episodes: [
        opiate('E1', 'C1', '2014-05-01', '2014-07-01', { area_code: 'A1', exit_reason: 'moved_away' }),
        // A new journey (more than 21 days later) begun in A2 and completed in A3.
        opiate('E2', 'C1', '2014-09-01', '2014-11-01', { area_code: 'A2', exit_reason: 'transferred_not_in_custody' }),
        opiate('E3', 'C1', '2014-11-10', '2015-02-01', { area_code: 'A3' }),
      ],
    });
    const r = current(data);
    expect(r.clients.current).toHaveLength(1);
    expect(r.clients.current[0]).toMatchObject({ area_code: 'A3', journey_id: 'E2', completion: 'met' });
    expect(row(r.current, 'A3', 'opiate')).toMatchObject({ n: 1, d: 1 });
    expect(new Set(r.current.map((x) => x.area_code))).toEqual(new Set(['A3']));
  });

  it('both non-opiate groups are non_opiate; combined sums opiate and non-opiate, not alcohol', () => {
    const data = dataset({
      episodes: [
        opiate('E1', 'C1', '2014-05-01'),
        cannabis('E2', 'C2', '2014-05-01'),
        episode('E3', '2014-05-01', undefined, { client_id: 'C3', substances: ['alcohol', 'cocaine'] }),
        episode('E4', '2014-05-01', undefined, { client_id: 'C4', substances: ['alcohol'] }),
      ],
    });
    const r = current(data);
    expect(row(r.current, 'A1', 'opiate').d).toBe(1);
    expect(row(r.current, 'A1', 'non_opiate').d).toBe(2);
    expect(row(r.current, 'A1', 'alcohol').d).toBe(1);
    expect(row(r.current, 'A1', 'combined').d).toBe(3);
  });
});

describe('R-HP-1 numerator: successful completion in the period, no re-presentation within 6 months', () => {
  it('a completion inside the period with no return is in the numerator', () => {
    const r = current(dataset({ episodes: [opiate('E1', 'C1', '2014-01-01', '2014-06-01')] }));
    expect(row(r.current, 'A1', 'opiate')).toEqual({ n: 1, d: 1, pending: 0, status: 'final' });
    // …and the baseline period saw the same client in treatment, not completing.
    expect(row(r.baseline, 'A1', 'opiate')).toEqual({ n: 0, d: 1, pending: 0, status: 'final' });
  });

  it('a return within 6 months takes the client out of the numerator (R-OUT-2)', () => {
    const data = dataset({ episodes: [opiate('E1', 'C1', '2014-01-01', '2014-06-01'), opiate('E2', 'C1', '2014-11-30')] });
    expect(row(current(data).current, 'A1', 'opiate')).toMatchObject({ n: 0, d: 1 });
  });

  it('an earlier completion counts even when a later journey (a return after 6 months) sets the group', () => {
    const data = dataset({ episodes: [opiate('E1', 'C1', '2014-01-01', '2014-05-01'), cannabis('E2', 'C1', '2014-12-01')] });
    const r = current(data);
    expect(r.clients.current[0]).toMatchObject({ group: 'non_opiate', completion: 'met', completion_journey_id: 'E1' });
    expect(row(r.current, 'A1', 'non_opiate')).toMatchObject({ n: 1, d: 1 });
  });

  it('a completion before the period is not counted in it (R-HP-1: ended inside the period)', () => {
    const data = dataset({ episodes: [opiate('E1', 'C1', '2013-06-01', CURRENT), opiate('E2', 'C2', '2013-06-01', '2014-03-31')] });
    const r = current(data);
    expect(row(r.current, 'A1', 'opiate')).toMatchObject({ n: 1, d: 1 }); // C1 ended on the first day
    expect(row(r.baseline, 'A1', 'opiate')).toMatchObject({ n: 1, d: 2 }); // C2 ended on the baseline's last day
  });

  it('opiate clients leaving on substitute medication are not in the numerator (R-OUT-1)', () => {
    const data = dataset({ episodes: [opiate('E1', 'C1', '2014-01-01', '2014-06-01', { substitute_medication_at_exit: true })] });
    expect(row(current(data).current, 'A1', 'opiate')).toMatchObject({ n: 0, d: 1 });
  });

  it('R-HP-1 (v3): death during the follow-up: out of the numerator, still in the denominator (R-OUT-9, preset death rule)', () => {
    const data = dataset({ episodes: [opiate('E1', 'C1', '2014-01-01', '2014-06-01')], clients: [died('2014-08-01')] });
    expect(row(current(data).current, 'A1', 'opiate')).toMatchObject({ n: 0, d: 1 });
    // With death.rule = ignore the completion counts.
    const ignoring = hpScheme({}, { death: { rule: 'ignore' } });
    expect(row(current(data, AS_OF, ignoring).current, 'A1', 'opiate')).toMatchObject({ n: 1, d: 1 });
    // The death rule is the scheme's, also when schemes share one Health Premium block (whose
    // completion outcome is made once per block), in turn.
    const sharing = { ...scheme, death: { rule: 'ignore' } } as typeof scheme;
    expect(row(current(data, AS_OF, sharing).current, 'A1', 'opiate')).toMatchObject({ n: 1, d: 1 });
    expect(row(current(data).current, 'A1', 'opiate')).toMatchObject({ n: 0, d: 1 });
    // Death after the follow-up closed changes nothing.
    const later = dataset({ episodes: [opiate('E1', 'C1', '2014-01-01', '2014-06-01')], clients: [died('2014-12-02')] });
    expect(row(current(later).current, 'A1', 'opiate')).toMatchObject({ n: 1, d: 1 });
  });
});

describe('R-HP-1 provisional figures', () => {
  const late = dataset({ episodes: [opiate('E1', 'C1', '2014-09-01', '2015-03-01'), opiate('E2', 'C2', '2014-09-01', '2014-10-01')] });

  it('is provisional while a completion in the period is still in its follow-up (not yet in the numerator)', () => {
    expect(row(current(late, '2015-06-30').current, 'A1', 'opiate')).toEqual({ n: 1, d: 2, pending: 1, status: 'provisional' });
    expect(current(late, '2015-06-30').clients.current.find((c) => c.client_id === 'C1')).toMatchObject({ completion: 'pending', due_on: '2015-09-01' });
  });

  it('is final once every follow-up has closed', () => {
    expect(row(current(late, '2015-09-01').current, 'A1', 'opiate')).toEqual({ n: 2, d: 2, pending: 0, status: 'final' });
  });

  it('a completion whose journey could still be continued (within 21 days, R-JNY-1) is pending', () => {
    const data = dataset({ episodes: [opiate('E1', 'C1', '2014-09-01', '2015-03-20')] });
    const asOf = '2015-04-05'; // period over; a new episode by 2015-04-10 would continue the journey
    expect(row(current(data, asOf).current, 'A1', 'opiate')).toMatchObject({ n: 0, d: 1, pending: 1, status: 'provisional' });
  });

  it('is provisional while the period itself is not over, even with nothing pending', () => {
    const data = dataset({ episodes: [opiate('E1', 'C1', '2014-09-01')] });
    expect(row(current(data, '2015-01-31').current, 'A1', 'opiate')).toMatchObject({ pending: 0, status: 'provisional' });
  });

  it('the baseline period stays final when only the current period has pending completions', () => {
    expect(row(current(late, '2015-06-30').baseline, 'A1', 'opiate')).toMatchObject({ status: 'final' });
  });
});

describe('R-HP-1 laws (property)', () => {
  const periodScheme = scheme as Parameters<typeof computeIndicators>[1];
  const compute = (data: Dataset, asOf: string) => computeIndicators(data, periodScheme, { baseline: '2020-04-01', current: '2021-04-01', asOf });

  it('indicators do not depend on the order of the input rows (R-PAY-7)', () => {
    fc.assert(
      fc.property(datasetArb.chain((d) => fc.tuple(fc.constant(d), shuffledArb(d))), asOfArb, ([data, shuffled], asOf) => {
        const a = compute(data, asOf);
        const b = compute(shuffled, asOf);
        expect(b.baseline).toEqual(a.baseline);
        expect(b.current).toEqual(a.current);
        expect(b.clients).toEqual(a.clients);
      }),
      { numRuns: 150 },
    );
  });

  it('numerator + pending ≤ denominator; combined = opiate + non-opiate; one row per area and indicator', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, (data, asOf) => {
        const r = compute(data, asOf);
        for (const rows of [r.baseline, r.current]) {
          for (const x of rows) expect(x.numerator + x.pending).toBeLessThanOrEqual(x.denominator);
          const areas = [...new Set(rows.map((x) => x.area_code))];
          expect(rows).toHaveLength(areas.length * 4);
          for (const a of areas) {
            const c = row(rows, a, 'combined');
            const o = row(rows, a, 'opiate');
            const n = row(rows, a, 'non_opiate');
            expect([c.n, c.d, c.pending]).toEqual([o.n + n.n, o.d + n.d, o.pending + n.pending]);
          }
        }
        // Every client counted once per period.
        const total = (rows: IndicatorCount[]) => rows.filter((x) => x.indicator !== 'combined').reduce((s, x) => s + x.denominator, 0);
        expect(total(r.current)).toBe(r.clients.current.length);
        expect(new Set(r.clients.current.map((c) => c.client_id)).size).toBe(r.clients.current.length);
      }),
      { numRuns: 150 },
    );
  });
});
