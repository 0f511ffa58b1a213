/**
 * Outcome rates of the report: counts by band and substance group fed decision by decision, and
 * the rate met ÷ (met + not met) with its 95% Wilson interval (reusing the Health Premium stats).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/health-premium/stats.js';
import { SUBSTANCE_GROUPS } from '../../src/schema/codes.js';
import { formatPercent, orderBands, orderOutcomes, outcomeBreakdownCounter, outcomeRates, rateLine } from '../../src/report/outcome-rates.js';
import { Dec } from '../../src/money/amount.js';
import { decided } from './support.js';

describe('outcomeBreakdownCounter', () => {
  it('counts each decision once by band (blank band as "") and once by substance group', () => {
    const c = outcomeBreakdownCounter();
    c.add(decided('ffd', 'met', { band: '1', group: 'opiate' }));
    c.add(decided('ffd', 'not_met', { band: '1', group: 'alcohol' }));
    c.add(decided('ffd', 'pending', { group: 'alcohol' }));
    c.add(decided('qol', 'not_eligible', { band: '2', group: 'non_opiate' }));
    const r = c.result();
    expect(r.by_band).toEqual({
      ffd: { '': { met: 0, not_met: 0, not_eligible: 0, pending: 1 }, '1': { met: 1, not_met: 1, not_eligible: 0, pending: 0 } },
      qol: { '2': { met: 0, not_met: 0, not_eligible: 1, pending: 0 } },
    });
    expect(r.by_substance_group['ffd']).toEqual({
      alcohol: { met: 0, not_met: 1, not_eligible: 0, pending: 1 },
      opiate: { met: 1, not_met: 0, not_eligible: 0, pending: 0 },
    });
  });

  const decision = fc.record({
    outcome_id: fc.constantFrom('a', 'b', 'Z'),
    status: fc.constantFrom('met', 'not_met', 'not_eligible', 'pending' as const),
    tariff_band: fc.constantFrom(undefined, '1', '2', '10'),
    substance_group: fc.constantFrom(...SUBSTANCE_GROUPS),
  });

  it('gives the same result (same JSON bytes) whatever the order of decisions', () => {
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 60 }), fc.func(fc.integer()), (ds, key) => {
        const a = outcomeBreakdownCounter();
        ds.forEach((d) => a.add(d));
        const b = outcomeBreakdownCounter();
        [...ds].sort((x, y) => key(x) - key(y)).forEach((d) => b.add(d));
        return JSON.stringify(a.result()) === JSON.stringify(b.result());
      }),
    );
  });

  it('conserves decisions: every breakdown of an outcome adds up to the same counts', () => {
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 60 }), (ds) => {
        const c = outcomeBreakdownCounter();
        ds.forEach((d) => c.add(d));
        for (const r of outcomeRates(c.result())) {
          const all = r.lines[0]!;
          const sum = (kind: string) => r.lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.counts.met + l.counts.not_met + l.counts.not_eligible + l.counts.pending, 0);
          const n = ds.filter((d) => d.outcome_id === r.outcome_id).length;
          expect(all.counts.met + all.counts.not_met + all.counts.not_eligible + all.counts.pending).toBe(n);
          expect(sum('band')).toBe(n);
          expect(sum('substance_group')).toBe(n);
        }
      }),
    );
  });
});

describe('rate = met ÷ (met + not met), with the 95% Wilson interval', () => {
  it('leaves not eligible and pending out of the rate', () => {
    const l = rateLine('all', '', 'All journeys', { met: 30, not_met: 70, not_eligible: 500, pending: 40 });
    expect(l.decided).toBe(100);
    expect(l.rate!.toString()).toBe('0.3');
    const w = wilsonInterval(30, 100)!;
    expect(l.lower!.toString()).toBe(new Dec(w.lower).toString());
    expect(l.upper!.toString()).toBe(new Dec(w.upper).toString());
    expect(formatPercent(l.lower)).toBe('21.9%');
    expect(formatPercent(l.upper)).toBe('39.6%');
  });

  it('has no rate and no interval when nothing is decided (all pending)', () => {
    const l = rateLine('band', '1', 'Band 1', { met: 0, not_met: 0, not_eligible: 3, pending: 5 });
    expect(l.rate).toBeUndefined();
    expect(l.lower).toBeUndefined();
    expect(formatPercent(l.rate)).toBe('–');
  });

  it('keeps the interval inside [0, 1] at 0% and 100%', () => {
    expect(rateLine('all', '', '', { met: 0, not_met: 12, not_eligible: 0, pending: 0 }).lower!.toString()).toBe('0');
    expect(rateLine('all', '', '', { met: 12, not_met: 0, not_eligible: 0, pending: 0 }).upper!.toString()).toBe('1');
  });

  it('the interval contains the rate', () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), (met, notMet) => {
        fc.pre(met + notMet > 0);
        const l = rateLine('all', '', '', { met, not_met: notMet, not_eligible: 0, pending: 0 });
        return l.lower!.lte(l.rate!) && l.rate!.lte(l.upper!);
      }),
      { numRuns: 50 },
    );
  });

  it('prints percentages with one decimal, half-up', () => {
    expect(formatPercent(new Dec('0.12345'))).toBe('12.3%');
    expect(formatPercent(new Dec('0.00125'))).toBe('0.1%');
    expect(formatPercent(new Dec('1'))).toBe('100.0%');
  });
});

describe('orders', () => {
  it('outcomes in scheme order, then others by code point', () => {
    expect(orderOutcomes(['z', 'b', 'B', 'a'], ['b', 'a'])).toEqual(['b', 'a', 'B', 'z']);
  });
  it('bands in tariff order, then others by code point, no band last', () => {
    expect(orderBands(['', '10', '2', '1', 'x'], ['1', '2', '3'])).toEqual(['1', '2', '10', 'x', '']);
  });
  it('lines: all journeys, bands, then substance groups in SPEC precedence order (R-JNY-3)', () => {
    const c = outcomeBreakdownCounter();
    for (const g of ['alcohol', 'opiate', 'non_opiate'] as const) c.add(decided('ffd', 'met', { band: '2', group: g }));
    c.add(decided('ffd', 'met', { band: '1', group: 'alcohol' }));
    expect(outcomeRates(c.result(), { bands: ['1', '2'] })[0]!.lines.map((l) => l.label)).toEqual(['All journeys', 'Band 1', 'Band 2', 'Opiate', 'Non-opiate', 'Alcohol']);
  });
});
