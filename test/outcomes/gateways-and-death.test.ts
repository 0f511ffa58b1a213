import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CombinedStatus } from '../../src/outcomes/combine.js';
import { gatewayState } from '../../src/outcomes/gateways.js';
import type { Gateway } from '../../src/schema/scheme/outcomes.js';
import { presetScheme } from '../../src/presets/index.js';
import { brief, dataset, decide, decisions, died, episode, offence, opiateEpisode, review, schemeOf } from '../support/builders.js';

const scheme = (kind: 'anyOf' | 'allOf') =>
  schemeOf([
    { id: 'completion', title: 'c', primitives: [{ type: 'successful_completion' }, { type: 'no_representation', months: 6 }] },
    { id: 'offending', title: 'r', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 6 }] },
    { id: 'gated', title: 'g', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 3 }], require: { [kind]: ['completion', 'offending'] } },
  ]);

describe('R-OUT-8 gateways', () => {
  const base = { offences: [offence('2023-10-01')] };

  it('own met + gateway met: met on the later of the two dates', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01')], ...base });
    // completion met 2024-08-01, offending met 2024-07-01, own met 2024-04-01.
    expect(brief(decide(data, scheme('anyOf'), '2025-01-01', 'gated'))).toEqual({ status: 'met', achieved_on: '2024-07-01' });
    expect(brief(decide(data, scheme('allOf'), '2025-01-01', 'gated'))).toEqual({ status: 'met', achieved_on: '2024-08-01' });
  });

  it('own met + gateway pending: pending/gateway_pending with the gateway due date', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01')], ...base });
    expect(brief(decide(data, scheme('allOf'), '2024-07-15', 'gated'))).toEqual({ status: 'pending', due_on: '2024-08-01', reason: 'gateway_pending' });
  });

  it('gateway not met: not_met/gateway_not_met; own not_eligible stands', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01', { exit_reason: 'dropped_out' })], offences: [offence('2023-10-01'), offence('2024-06-01')] });
    expect(brief(decide(data, scheme('anyOf'), '2025-01-01', 'gated'))).toEqual({ status: 'met', achieved_on: '2024-04-01' }.status === 'x' ? {} as never : { status: 'not_met', reason: 'gateway_not_met' });
    const noPrior = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01')], offences: [] });
    expect(brief(decide(noPrior, scheme('anyOf'), '2025-01-01', 'gated'))).toEqual({ status: 'not_eligible', reason: 'no_prior_offence' });
  });

  it('own pending + gateway not met: not_met at once', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01', { exit_reason: 'dropped_out' })], offences: [offence('2023-10-01'), offence('2024-01-20')] });
    expect(brief(decide(data, scheme('allOf'), '2024-02-25', 'gated'))).toEqual({ status: 'not_met', reason: 'reoffended' });
    const clean = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01', { exit_reason: 'dropped_out' })], offences: [offence('2023-10-01')] });
    expect(brief(decide(clean, scheme('allOf'), '2024-02-25', 'gated'))).toEqual({ status: 'not_met', reason: 'gateway_not_met' });
  });

  it('own pending + gateway pending: pending with the later due date', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01')], ...base });
    expect(brief(decide(data, scheme('allOf'), '2024-03-15', 'gated'))).toEqual({ status: 'pending', due_on: '2024-08-01', reason: 'window_open' });
  });
});

describe('R-OUT-8 gateways decided after their members, whatever the scheme\'s order', () => {
  it('a gated outcome listed before its members is decided as when listed after them, each decision kept with its own outcome', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01')], offences: [offence('2023-10-01')] });
    for (const kind of ['anyOf', 'allOf'] as const) {
      const membersFirst = scheme(kind);
      const gatedFirst = { ...membersFirst, outcomes: [membersFirst.outcomes[2]!, ...membersFirst.outcomes.slice(0, 2)] };
      for (const asOf of ['2024-03-15', '2024-07-15', '2025-01-01']) {
        for (const id of ['completion', 'offending', 'gated']) {
          expect(brief(decide(data, gatedFirst, asOf, id))).toEqual(brief(decide(data, membersFirst, asOf, id)));
        }
      }
    }
    // The gate matters here: alone, the gated outcome is met on 2024-04-01; gated (allOf), on 2024-08-01.
    const s = scheme('allOf');
    expect(brief(decide(data, { ...s, outcomes: [s.outcomes[2]!, ...s.outcomes.slice(0, 2)] }, '2025-01-01', 'gated'))).toEqual({ status: 'met', achieved_on: '2024-08-01' });
  });
});

describe('R-OUT-8 a scheme\'s outcome list changed in place between runs', () => {
  it('reordered, grown or shrunk: each outcome keeps its own decision, as for a fresh scheme of that list', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01')], offences: [offence('2023-10-01')] });
    const ids = ['completion', 'offending', 'gated'];
    const briefs = (s: ReturnType<typeof scheme>) => s.outcomes.map((o) => [o.id, brief(decide(data, s, '2025-01-01', o.id))]);
    const s = scheme('allOf');
    const fresh = () => scheme('allOf');
    const before = briefs(s);
    // Reversed in place: the same outcomes, in another order.
    s.outcomes.reverse();
    expect(briefs(s)).toEqual([...before].reverse());
    // Two of these outcomes have the same status and date here: the whole decisions (their steps
    // differ) are compared with those of a fresh copy of the list, so a plan kept from before the
    // reversal, which would swap them, is seen.
    expect(decisions(data, s, '2025-01-01')).toEqual(decisions(data, { ...s, outcomes: [...s.outcomes] }, '2025-01-01'));
    // One taken off, then put back at the end: the decisions follow the ids.
    const [gated] = s.outcomes.splice(0, 1);
    expect(s.outcomes.map((o) => o.id)).toEqual(['offending', 'completion']);
    expect(briefs(s)).toEqual(before.filter(([id]) => id !== 'gated').reverse());
    s.outcomes.push(gated!);
    expect(Object.fromEntries(briefs(s))).toEqual(Object.fromEntries(briefs(fresh())));
    expect(new Set(s.outcomes.map((o) => o.id))).toEqual(new Set(ids));
  });
});

describe('R-OUT-9 death', () => {
  const s = scheme('anyOf');
  const data = (dod: string) => dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01')], offences: [offence('2023-10-01')], clients: [died(dod)] });

  it('death strictly before achieved_on: not_met/died; on the day: met', () => {
    expect(brief(decide(data('2024-07-31'), s, '2025-01-01', 'completion'))).toEqual({ status: 'not_met', reason: 'died' });
    expect(decide(data('2024-08-01'), s, '2025-01-01', 'completion').status).toBe('met');
  });

  it('a pending outcome of a client known to have died is not_met/died', () => {
    expect(brief(decide(data('2024-03-01'), s, '2024-03-10', 'offending'))).toEqual({ status: 'not_met', reason: 'died' });
  });

  it('a death after asOf is not yet known', () => {
    expect(decide(data('2024-03-20'), s, '2024-03-10', 'offending').status).toBe('pending');
  });

  it("the scheme may ignore deaths", () => {
    const ignore = { ...s, death: { rule: 'ignore' as const } };
    expect(decide(data('2024-03-01'), ignore, '2025-01-01', 'completion').status).toBe('met');
  });
});

describe('R-OUT-9 (v3) death on the day the journey ends', () => {
  const national = presetScheme('national-model-2012');
  // Offence before the start, none after: reduced offending itself is met on 2014-07-01.
  const history = (ep: ReturnType<typeof episode>) =>
    dataset({ episodes: [ep], reviews: [review('E1', '2014-07-15', 'review', { days_alcohol: 4, days_opiates: 4 })], offences: [offence('2013-11-01')], clients: [died('2014-08-01')] });
  const statuses = (data: ReturnType<typeof dataset>) =>
    Object.fromEntries(national.outcomes.map((o) => [o.id, brief(decide(data, national, '2015-06-01', o.id))]));

  it('R-OUT-9 (v3): a failure certain on the day of death keeps its own reason, and so do outcomes gated on it', () => {
    // Non-opiate journey, discharged (dropped out) on the day the client died: the journey settles
    // that day (R-CAL-4) and abstinence needs no test, so every failure is certain on the death day.
    const data = history(episode('E1', '2014-01-01', '2014-08-01', { exit_reason: 'dropped_out' }));
    expect(statuses(data)).toEqual({
      'free-from-dependence': { status: 'not_met', reason: 'unsuccessful_exit' },
      'abstinent-confirmed': { status: 'not_met', reason: 'not_abstinent' },
      'reduced-offending': { status: 'not_met', reason: 'gateway_not_met' },
      'quality-of-life': { status: 'not_eligible', reason: 'no_start_review' },
      'stopped-injecting': { status: 'not_eligible', reason: 'not_injecting_at_start' },
    });
  });

  it('R-OUT-9 (v3): a failure that would only have been certain later is died', () => {
    // Opiate journey: a review at its end could still have been confirmed by a test up to end + 7
    // days (R-OUT-3), so abstinence was undecided when the client died — and so was the gateway.
    const data = history(opiateEpisode('E1', '2014-01-01', '2014-08-01', { exit_reason: 'dropped_out' }));
    expect(statuses(data)).toMatchObject({
      'free-from-dependence': { status: 'not_met', reason: 'unsuccessful_exit' },
      'abstinent-confirmed': { status: 'not_met', reason: 'died' },
      'reduced-offending': { status: 'not_met', reason: 'died' },
    });
    // A completion on the day of death: the re-presentation window was still open, so died.
    const completed = history(episode('E1', '2014-01-01', '2014-08-01'));
    expect(statuses(completed)['free-from-dependence']).toEqual({ status: 'not_met', reason: 'died' });
  });
});

describe('SPEC v3 readings: gateway due dates, dated failures', () => {
  const members = schemeOf([
    { id: 'six', title: '6', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 6 }] },
    { id: 'nine', title: '9', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 9 }] },
    { id: 'gated-any', title: 'a', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 3 }], require: { anyOf: ['six', 'nine'] } },
    { id: 'gated-all', title: 'b', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 3 }], require: { allOf: ['six', 'nine'] } },
  ]);
  const data = dataset({ episodes: [episode('E1', '2024-01-01')], offences: [offence('2023-10-01')] });

  it('R-OUT-8 (v3): a pending gateway is due on the latest due_on of its pending members, for anyOf and allOf alike', () => {
    // Own met on 2024-04-01; members pending until 2024-07-01 and 2024-10-01.
    for (const id of ['gated-any', 'gated-all']) {
      expect(brief(decide(data, members, '2024-05-01', id))).toEqual({ status: 'pending', due_on: '2024-10-01', reason: 'gateway_pending' });
    }
    // On 2024-07-01 'six' is met: anyOf is met then; allOf still waits for 'nine'.
    expect(brief(decide(data, members, '2024-07-01', 'gated-any'))).toEqual({ status: 'met', achieved_on: '2024-07-01' });
    expect(brief(decide(data, members, '2024-07-01', 'gated-all'))).toEqual({ status: 'pending', due_on: '2024-10-01', reason: 'gateway_pending' });
  });

  it('R-CAL-5 (v3): the failure certain first gives the reason, and a gateway that failed first gives gateway_not_met', () => {
    const two = schemeOf([
      { id: 'completion', title: 'c', primitives: [{ type: 'successful_completion' }] },
      // Reoffending on 2024-02-10 is certain before the unsuccessful exit is (settled 2024-03-22).
      { id: 'both', title: 'b', primitives: [{ type: 'successful_completion' }, { type: 'reduced_offending', beforeMonths: 12, afterMonths: 6 }] },
      // Own failure (reoffending, 2024-05-01) comes after the gateway's (2024-03-22): gateway_not_met.
      { id: 'gated', title: 'g', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 6 }], require: { allOf: ['completion'] } },
    ]);
    const dropped = (offenceOn: string) =>
      dataset({ episodes: [episode('E1', '2024-01-01', '2024-03-01', { exit_reason: 'dropped_out' })], offences: [offence('2023-10-01'), offence(offenceOn)] });
    expect(brief(decide(dropped('2024-02-10'), two, '2025-01-01', 'both'))).toEqual({ status: 'not_met', reason: 'reoffended' });
    expect(brief(decide(dropped('2024-05-01'), two, '2025-01-01', 'both'))).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
    expect(brief(decide(dropped('2024-05-01'), two, '2025-01-01', 'gated'))).toEqual({ status: 'not_met', reason: 'gateway_not_met' });
    // …and the reasons are the same at every later asOf.
    expect(brief(decide(dropped('2024-05-01'), two, '2024-05-01', 'gated'))).toEqual({ status: 'not_met', reason: 'gateway_not_met' });
    // Same day (both certain at the start): a not_eligible precondition before a not_met, whatever the order.
    const sameDay = schemeOf([{ id: 'o', title: 'o', primitives: [{ type: 'abstinence', at: 'any_review' }, { type: 'reduced_offending', beforeMonths: 12, afterMonths: 6 }] }]);
    const noReviewsNoPrior = { ...dataset({ episodes: [episode('E1', '2024-01-01', '2024-03-01')], offences: [] }), reviews: undefined };
    expect(brief(decide(noReviewsNoPrior, sameDay, '2025-01-01'))).toEqual({ status: 'not_eligible', reason: 'no_prior_offence' });
  });
});

describe('R-OUT-8 gateway state: one pass over the members', () => {
  // The reading before the one-pass version: members sorted into lists, dates taken from the ends of
  // sorted lists (where a missing date sorts last). The one pass must agree on every mix of members.
  const bySortedLists = (req: Gateway, statuses: ReadonlyMap<string, CombinedStatus>) => {
    const all = 'allOf' in req;
    const members = (all ? req.allOf : req.anyOf).map((id) => statuses.get(id)!);
    const met = members.filter((m) => m.status === 'met');
    const failed = members.filter((m) => m.status === 'not_met' || m.status === 'not_eligible');
    const pending = members.filter((m) => m.status === 'pending');
    const latestDue = () => {
      let due: string | undefined = '';
      for (const m of pending) {
        if (m.due_on === undefined) return undefined;
        if (m.due_on > due!) due = m.due_on;
      }
      return due;
    };
    const dates = met.map((m) => m.achieved_on!).sort();
    const failDates = failed.map((m) => m.decided_on!).sort();
    if (all) {
      if (failed.length > 0) return { status: 'not_met', achieved_on: undefined, due_on: undefined, decided_on: failDates[0] };
      if (pending.length > 0) return { status: 'pending', achieved_on: undefined, due_on: latestDue(), decided_on: undefined };
      return { status: 'met', achieved_on: dates[dates.length - 1], due_on: undefined, decided_on: dates[dates.length - 1] };
    }
    if (met.length > 0) return { status: 'met', achieved_on: dates[0], due_on: undefined, decided_on: dates[0] };
    if (pending.length > 0) return { status: 'pending', achieved_on: undefined, due_on: latestDue(), decided_on: undefined };
    return { status: 'not_met', achieved_on: undefined, due_on: undefined, decided_on: failDates[failDates.length - 1] };
  };
  const date = fc.option(fc.constantFrom('2024-01-01', '2024-03-15', '2024-03-16', '2025-12-31'), { nil: undefined });
  const member = fc.record({ status: fc.constantFrom('met', 'not_met', 'not_eligible', 'pending'), achieved_on: date, due_on: date, decided_on: date, reason: fc.constant(undefined) }) as fc.Arbitrary<CombinedStatus>;

  it('agrees with the sorted-list reading for allOf and anyOf, members in any order', () => {
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 5 }), fc.boolean(), (members, all) => {
        const ids = members.map((_, i) => `o${i}`);
        const statuses = new Map(members.map((m, i) => [ids[i]!, m]));
        const req: Gateway = all ? { allOf: ids } : { anyOf: ids };
        expect(gatewayState(req, statuses)).toEqual(bySortedLists(req, statuses));
      }),
      { numRuns: 500 },
    );
  });
});
