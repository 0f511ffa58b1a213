import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildJourneys } from '../../src/journeys/index.js';
import { addClientJourneys, emptyJourneyTally, mergeJourneyTallies, type JourneyTally } from '../../src/journeys/tally.js';
import type { Episode, Located } from '../../src/schema/records.js';
import { episode, opiateEpisode } from '../support/builders.js';

/** Tally of clients' episodes, one client at a time, in the order given. */
function tallyOf(clients: readonly (readonly Located<Episode>[])[], asOf?: string): JourneyTally {
  const t = emptyJourneyTally();
  for (const eps of clients) addClientJourneys(t, eps, buildJourneys(eps, { asOf }), asOf);
  return t;
}

describe('journey counts for validate (R-JNY-2, R-JNY-3, SPEC §2.1)', () => {
  it('counts journeys by substance group: open, closed, closed by exit class', () => {
    const a = [episode('E1', '2024-01-01', '2024-02-01'), episode('E2', '2024-06-01')]; // one closed (successful), one open
    const b = [opiateEpisode('E3', '2024-01-01', '2024-03-01', { client_id: 'C2', exit_reason: 'dropped_out' })];
    const t = tallyOf([a, b]);
    expect(t.clients).toBe(2);
    //                       journeys open closed successful transfer unplanned died unknown
    expect(t.groups.alcohol).toEqual([2, 1, 1, 1, 0, 0, 0, 0]);
    expect(t.groups.opiate).toEqual([1, 0, 1, 0, 0, 1, 0, 0]);
    expect(t.latest).toBe('2024-06-01');
    expect(t.later).toBe(0);
  });

  it('as of a date: later episodes are counted apart and later discharges are unseen (R-CAL-2)', () => {
    const eps = [episode('E1', '2024-01-01', '2024-02-01'), episode('E2', '2024-06-01', '2024-07-01')];
    const t = tallyOf([eps], '2024-01-15');
    expect(t.groups.alcohol).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(t.later).toBe(1);
    expect(t.latest).toBe('2024-07-01'); // the latest date in the data, whatever asOf
  });

  it('a client whose episodes all start after asOf is not counted as a client', () => {
    const t = tallyOf([[episode('E1', '2024-06-01')]], '2024-01-01');
    expect(t.clients).toBe(0);
    expect(t.groups).toEqual({});
  });

  it('merging the tallies of any split of the clients gives the tally of all (law)', () => {
    const clientArb = fc
      .array(fc.record({ start: fc.integer({ min: 0, max: 700 }), len: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }), opiate: fc.boolean() }), {
        minLength: 1,
        maxLength: 5,
      });
    fc.assert(
      fc.property(fc.array(clientArb, { maxLength: 12 }), fc.integer({ min: 0, max: 12 }), fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }), (raw, cut, asOfDay) => {
        const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
        const clients = raw.map((xs, c) =>
          xs.map((x, i) => {
            const end = x.len === undefined ? undefined : day(x.start + x.len);
            return x.opiate
              ? opiateEpisode(`E${c}-${i}`, day(x.start), end, { client_id: `C${c}` })
              : episode(`E${c}-${i}`, day(x.start), end, { client_id: `C${c}` });
          }),
        );
        const asOf = asOfDay === undefined ? undefined : day(asOfDay);
        const whole = tallyOf(clients, asOf);
        const merged = tallyOf(clients.slice(cut), asOf);
        mergeJourneyTallies(merged, tallyOf(clients.slice(0, cut), asOf));
        expect(merged).toEqual(whole);
        // Every episode seen at asOf is in exactly one counted journey's group total, or later.
        const journeys = Object.values(whole.groups).reduce((n, g) => n + g![0]!, 0);
        expect(journeys).toBe(clients.reduce((n, eps) => n + buildJourneys(eps, { asOf }).length, 0));
      }),
    );
  });
});
