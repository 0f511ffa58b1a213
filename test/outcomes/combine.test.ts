import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combine } from '../../src/outcomes/combine.js';
import { decision } from '../../src/outcomes/context.js';
import type { PrimitiveDecision } from '../../src/outcomes/types.js';
import type { ReasonCode } from '../../src/schema/codes.js';

// Few dates and reasons, so that ties are common.
const date = fc.constantFrom('2020-01-01', '2020-02-01', '2020-03-01');
const reason = fc.constantFrom('in_treatment', 'window_open', 'relapse') as fc.Arbitrary<ReasonCode>;
const step: fc.Arbitrary<PrimitiveDecision> = fc.oneof(
  date.map((d) => decision('abstinence', 'R-OUT-3', 'met', { achieved_on: d, note: '' })),
  fc.tuple(fc.constantFrom('not_met', 'not_eligible') as fc.Arbitrary<'not_met' | 'not_eligible'>, date, reason).map(([s, d, r]) => decision('abstinence', 'R-OUT-3', s, { decided_on: d, reason: r, note: '' })),
  fc
    .tuple(fc.option(date, { nil: undefined, freq: 2 }), fc.constantFrom(undefined, undefined, 'not_met', 'not_eligible') as fc.Arbitrary<'not_met' | 'not_eligible' | undefined>, reason)
    .map(([due, settles, r]) => decision('abstinence', 'R-OUT-3', 'pending', { due_on: due, settles_as: settles, reason: r, note: '' })),
);

/** The first item of `list` whose key is least under `before` (ties: the first). */
const first = <T>(list: T[], before: (a: T, b: T) => boolean): T | undefined => list.reduce<T | undefined>((m, x) => (m === undefined || before(x, m) ? x : m), undefined);

describe('combine (R-OUT-10, R-CAL-4)', () => {
  it('of the first n steps reads those alone (a list made with room for a gateway step still to come)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 6 }), fc.nat(), (steps, k) => {
        const n = 1 + (k % (steps.length - 1));
        expect(combine(steps, n)).toEqual(combine(steps.slice(0, n)));
      }),
    );
  });

  it('a failure decides first (the earliest, not_eligible on a tie); then a pending failure awaiting its settle date, a pending step with no known date, the latest due date; else met on the latest achievement', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const c = combine(steps);
        const failed = steps.filter((s) => s.status === 'not_met' || s.status === 'not_eligible');
        const pending = steps.filter((s) => s.status === 'pending');
        if (failed.length > 0) {
          const f = first(failed, (a, b) => a.decided_on! < b.decided_on! || (a.decided_on === b.decided_on && a.status === 'not_eligible' && b.status === 'not_met'))!;
          expect(c).toEqual({ status: f.status, achieved_on: undefined, due_on: undefined, decided_on: f.decided_on, reason: f.reason });
        } else if (pending.length > 0) {
          const settling = first(pending.filter((s) => s.settles_as !== undefined && s.due_on !== undefined), (a, b) => a.due_on! < b.due_on!);
          const unknown = pending.find((s) => s.due_on === undefined);
          const latest = first(pending, (a, b) => a.due_on! > b.due_on!)!;
          const chosen = settling ?? unknown ?? latest;
          expect(c).toEqual({ status: 'pending', achieved_on: undefined, due_on: settling ? settling.due_on : unknown ? undefined : latest.due_on, decided_on: undefined, reason: chosen.reason });
        } else {
          const on = steps.map((s) => s.achieved_on!).sort().at(-1);
          expect(c).toEqual({ status: 'met', achieved_on: on, due_on: undefined, decided_on: on, reason: undefined });
        }
      }),
      { numRuns: 1000 },
    );
  });
});
