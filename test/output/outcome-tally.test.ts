/**
 * The outcome tally (src/output/outcome-tally.ts): counts by outcome, band and substance group,
 * decision by decision, and tallies of parts of the clients merged (partition invariance).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTCOME_STATUSES } from '../../src/schema/codes.js';
import { OutcomeTally } from '../../src/output/outcome-tally.js';

type D = { outcome_id: string; tariff_band: string | undefined; substance_group: string; status: (typeof OUTCOME_STATUSES)[number] };

/** Decisions of a few outcome ids, bands (some blank), groups and every status, in runs as a journey's come. */
const decisionsArb = fc.array(
  fc.record({
    outcome_id: fc.constantFrom('free-from-dependence', 'reduced-offending', 'a', 'é', ''),
    tariff_band: fc.constantFrom(undefined, '1', '2', '3', ''),
    substance_group: fc.constantFrom('opiate', 'non_opiate', 'alcohol'),
    status: fc.constantFrom(...OUTCOME_STATUSES),
  }),
  { maxLength: 120 },
);

/** Counts by outcome and key, worked out plainly. */
function reference(ds: readonly D[], key: (d: D) => string): Record<string, Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const d of ds) {
    const c = ((out[d.outcome_id] ??= {})[key(d)] ??= { met: 0, not_met: 0, not_eligible: 0, pending: 0 });
    c[d.status]! += 1;
  }
  return out;
}

describe('OutcomeTally', () => {
  it('counts each decision once, by outcome and band and by outcome and substance group', () => {
    fc.assert(
      fc.property(decisionsArb, (ds) => {
        const t = new OutcomeTally();
        for (const d of ds) t.add(d);
        const b = t.breakdown();
        expect(b.by_band).toEqual(reference(ds, (d) => d.tariff_band ?? ''));
        expect(b.by_substance_group).toEqual(reference(ds, (d) => d.substance_group));
        expect(t.summary().by_outcome_and_band).toEqual(reference(ds, (d) => d.tariff_band ?? ''));
      }),
      { numRuns: 200 },
    );
  });

  it('counts the same when the decisions are cut into parts, tallied apart and merged, whatever was added before and after', () => {
    fc.assert(
      fc.property(decisionsArb, decisionsArb, decisionsArb, (before, part, after) => {
        const whole = new OutcomeTally();
        for (const d of [...before, ...part, ...after]) whole.add(d);
        const merged = new OutcomeTally();
        for (const d of before) merged.add(d);
        const other = new OutcomeTally();
        for (const d of part) other.add(d);
        merged.merge(structuredClone(other.toJSON()));
        for (const d of after) merged.add(d);
        expect(merged.breakdown()).toEqual(whole.breakdown());
        expect(merged.summary()).toEqual(whole.summary());
      }),
      { numRuns: 200 },
    );
  });
});
