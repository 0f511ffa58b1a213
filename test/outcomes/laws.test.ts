/**
 * Laws of the outcome rules (R-CAL-3, R-OUT-3, R-OUT-4, R-OUT-10, R-PAY-7) over random client
 * histories and a scheme that uses every primitive.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateDataset } from '../../src/engine/index.js';
import { buildJourneys } from '../../src/journeys/index.js';
import type { OutcomeDecision } from '../../src/outcomes/types.js';
import { NO_EVIDENCE, NO_WINDOWS } from '../../src/outcomes/context.js';
import { presetScheme } from '../../src/presets/index.js';
import { addDays, addMonths } from '../../src/calendar/index.js';
import type { Dataset } from '../../src/schema/dataset.js';
import { schemeOf } from '../support/builders.js';
import { asKnownOn, asOfArb, asOfNearArb, datasetArb, shuffledArb } from '../support/arbitraries.js';

/** More runs when hunting: PROPERTY_RUNS_FACTOR=20 npx vitest run … */
const runs = (n: number) => n * Number(process.env['PROPERTY_RUNS_FACTOR'] ?? 1);
const national = presetScheme('national-model-2012');
const everything = schemeOf([
  { id: 'completion', title: 'c', primitives: [{ type: 'successful_completion' }, { type: 'no_representation', months: 6 }] },
  { id: 'completion-12', title: 'c12', primitives: [{ type: 'successful_completion' }, { type: 'no_representation', months: 12, scope: 'same_area' }] },
  { id: 'abstinent-exit', title: 'a', primitives: [{ type: 'abstinence', at: 'exit' }] },
  { id: 'abstinent-confirmed', title: 'ac', primitives: [{ type: 'abstinence', at: 'any_review', confirmTest: { substances: ['opiates', 'crack'], withinDays: 7 } }] },
  { id: 'offending', title: 'o', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 6 }], require: { anyOf: ['completion', 'abstinent-confirmed'] } },
  { id: 'offending-freq', title: 'of', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 12, mode: 'frequency', minReduction: '0.5' }] },
  { id: 'work', title: 'w', primitives: [{ type: 'sustained_employment', weeks: 13, minHoursPerWeek: 16, withinMonths: 12, sustainment: { everyWeeks: 4, maxPayments: 5 } }] },
  { id: 'work-sum', title: 'ws', primitives: [{ type: 'sustained_employment', weeks: 8, minHoursPerWeek: 16, withinMonths: 6, continuous: false }] },
  { id: 'qol', title: 'q', primitives: [{ type: 'score_improvement', measure: 'quality_of_life', minPoints: 4 }], require: { allOf: ['completion', 'offending'] } },
  { id: 'injecting', title: 'i', primitives: [{ type: 'injecting_cessation' }] },
  { id: 'opiate-only', title: 'oo', population: { substanceGroups: ['opiate'], bands: ['2', '3'] }, primitives: [{ type: 'successful_completion' }] },
]);
const schemes = [national, everything];

const run = (data: Dataset, asOf: string, s = everything) => evaluateDataset(data, s, { asOf }).clients.flatMap((c) => c.decisions);
/** A dataset with an asOf that is often near one of its edges (a discharge, a settle date, a review…). */
const dataAndAsOf = datasetArb.chain((d) => fc.tuple(fc.constant(d), asOfNearArb(d)));
const key = (d: OutcomeDecision) => `${d.client_id}|${d.journey_id}|${d.outcome_id}`;
const row = (d: OutcomeDecision) => [key(d), d.provider_id, d.area_code, d.substance_group, d.tariff_band, d.status, d.achieved_on, d.due_on, d.reason, d.sustainment.join(';')].join(',');

describe('outcome laws (property)', () => {
  it('outcomes do not depend on input order (R-PAY-7)', () => {
    fc.assert(
      fc.property(
        datasetArb.chain((d) => fc.tuple(fc.constant(d), shuffledArb(d))),
        asOfArb,
        fc.constantFrom(...schemes),
        ([data, shuffled], asOf, s) => {
          expect(run(shuffled, asOf, s).map(row)).toEqual(run(data, asOf, s).map(row));
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it('every journey gets exactly one status per outcome (R-OUT-10)', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, fc.constantFrom(...schemes), (data, asOf, s) => {
        const res = evaluateDataset(data, s, { asOf });
        for (const c of res.clients) {
          const keys = c.decisions.map(key);
          expect(new Set(keys).size).toBe(keys.length);
          expect(keys.length).toBe(c.journeys.length * s.outcomes.length);
          for (const d of c.decisions) {
            expect(['met', 'not_met', 'not_eligible', 'pending']).toContain(d.status);
            expect(d.status === 'met').toBe(d.achieved_on !== undefined);
            if (d.status === 'met') expect(d.reason).toBeUndefined();
            else expect(d.reason).toBeDefined();
            // R-CAL-2: an outcome is pending iff its due date is after asOf (or unknown).
            if (d.due_on !== undefined) expect(d.due_on > asOf).toBe(true);
            if (d.status === 'met') expect(d.achieved_on! <= asOf).toBe(true);
          }
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it('a decided status, achieved_on and reason never change when asOf moves later (R-CAL-3, R-CAL-5)', () => {
    fc.assert(
      fc.property(dataAndAsOf, fc.integer({ min: 1, max: 700 }), fc.constantFrom(...schemes), ([data, asOf], step, s) => {
        const later = addDays(asOf, step);
        const after = new Map(run(data, later, s).map((d) => [key(d), d]));
        for (const d of run(data, asOf, s)) {
          if (d.status === 'pending') continue;
          const e = after.get(key(d));
          expect(e, `${key(d)} disappeared`).toBeDefined();
          expect([e!.status, e!.achieved_on, e!.reason], `${key(d)} at ${asOf} → ${later}`).toEqual([d.status, d.achieved_on, d.reason]);
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('a pending outcome with a due_on is decided on that date if no further record arrives (R-CAL-2, R-CAL-4, R-OUT-8)', () => {
    fc.assert(
      fc.property(dataAndAsOf, fc.constantFrom(...schemes), ([data, asOf], s) => {
        // The world as known on asOf, seen again on each due date: nothing new has arrived.
        const known = asKnownOn(data, asOf);
        const now = run(known, asOf, s);
        const byDue = new Map<string, OutcomeDecision[]>();
        for (const d of now) {
          if (d.status !== 'pending' || d.due_on === undefined) continue;
          byDue.set(d.due_on, [...(byDue.get(d.due_on) ?? []), d]);
        }
        for (const [due, pending] of byDue) {
          const then = new Map(run(known, due, s).map((d) => [key(d), d]));
          for (const d of pending) {
            const e = then.get(key(d))!;
            if (e.status !== 'pending') continue;
            // The one exception, by SPEC: R-OUT-3 (v3) makes an open confirmation window due on
            // review + withinDays even before any negative test has arrived. If none arrives the review
            // is not confirmed on that date, and the outcome waits on — for the journey to end or settle.
            const confirmationClosed = now.some(
              (x) => x.journey_id === d.journey_id && x.steps.some((st) => st.type === 'abstinence' && st.status === 'pending' && st.due_on === due && st.windows.some((w) => w.to === due && w.label.startsWith('confirmation'))),
            );
            expect(confirmationClosed, `${key(d)} pending at ${asOf} (${d.reason}), due ${due}, still pending then (${e.reason} ${e.due_on ?? ''})`).toBe(true);
          }
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('adding a negative test never turns met into something else (R-OUT-3)', () => {
    fc.assert(
      fc.property(
        datasetArb,
        asOfArb,
        fc.integer({ min: 0, max: 1400 }),
        fc.constantFrom('opiates', 'crack' as const),
        (data, asOf, d, substance) => {
          const client = data.episodes[0]!.client_id;
          const more = { ...data, drug_tests: [...data.drug_tests!, { client_id: client, date: addDays('2020-01-01', d), substance, result: 'negative' as const, row: 9999 }] };
          const after = new Map(run(more, asOf).map((x) => [key(x), x]));
          for (const x of run(data, asOf)) if (x.status === 'met') expect(after.get(key(x))!.status).toBe('met');
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it('adding an offence inside the after-window never makes reduced_offending met (R-OUT-4)', () => {
    fc.assert(
      fc.property(datasetArb, asOfArb, fc.integer({ min: 1, max: 183 }), (data, asOf, offset) => {
        const client = data.episodes[0]!.client_id;
        const journeys = buildJourneys(data.episodes.filter((e) => e.client_id === client), { asOf });
        for (const j of journeys) {
          const date = addDays(j.start_date, offset);
          if (date > addMonths(j.start_date, 6) || date > asOf) continue;
          const more = { ...data, offences: [...data.offences!, { client_id: client, offence_date: date, category: 'violent' as const, row: 9999 }] };
          const d = run(more, asOf).find((x) => x.journey_id === j.journey_id && x.outcome_id === 'offending')!;
          expect(d.status).not.toBe('met');
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it('decisions made without their explanation are the same decisions, steps and dates (OutcomeContext.explain)', () => {
    // A run that writes only statuses, dates and reasons decides with explain: false; nothing but the
    // notes, evidence and windows may differ from the explained decisions.
    const bare = (d: OutcomeDecision) => ({ ...d, steps: d.steps.map((s) => ({ ...s, note: '', evidence: [], windows: [] })) });
    fc.assert(
      fc.property(dataAndAsOf, fc.constantFrom(...schemes), ([data, asOf], s) => {
        const full = evaluateDataset(data, s, { asOf }).clients;
        const lean = evaluateDataset(data, s, { asOf, explain: false }).clients;
        expect(lean.map((c) => ({ ...c, decisions: c.decisions.map(bare) }))).toEqual(full.map((c) => ({ ...c, decisions: c.decisions.map(bare) })));
        for (const c of lean) {
          for (const d of c.decisions) for (const step of d.steps) expect([step.note, step.evidence.length, step.windows.length]).toEqual(['', 0, 0]);
        }
        // Those empty lists are shared and frozen (docs/library.md): an edit throws rather than
        // changing every other decision.
        for (const c of lean) {
          for (const d of c.decisions) {
            for (const step of d.steps) expect([step.evidence, step.windows]).toSatisfy(([e, w]: unknown[]) => e === NO_EVIDENCE && w === NO_WINDOWS);
            expect(() => d.sustainment.push('2020-01-01')).toThrow(TypeError);
          }
        }
      }),
      { numRuns: runs(200) },
    );
  });
});
