import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countsFromAggregates, type LocalIndicator } from '../../src/health-premium/aggregate.js';
import { assessHealthPremium, type HealthPremiumResult } from '../../src/health-premium/assess.js';
import type { Measure } from '../../src/health-premium/eligibility.js';
import { runHealthPremium } from '../../src/health-premium/index.js';
import type { IndicatorCount } from '../../src/health-premium/indicators.js';
import type { HealthPremium } from '../../src/schema/scheme/health-premium.js';
import { datasetArb } from '../support/arbitraries.js';
import { areaCounts, BASELINE, CURRENT, hpOf, hpScheme } from './support.js';

const D = Decimal.clone({ precision: 60 });
const preset = hpOf();

function assess(baseline: IndicatorCount[], current: IndicatorCount[], hp: HealthPremium = preset, extra: { local?: LocalIndicator[]; weights?: Map<string, string> } = {}) {
  return assessHealthPremium({ hp, baselineStart: BASELINE, currentStart: CURRENT, baseline, current, ...extra });
}
const national = (r: HealthPremiumResult, area: string) => r.rows.find((x) => x.area_code === area && x.role === 'national')!;
const sumAllocations = (r: HealthPremiumResult) => r.rows.reduce((s, x) => s.plus(x.allocation), new D(0)).toFixed(2);
const local = (area: string, indicator: string, b: Measure | undefined, c: Measure | undefined, direction: 'higher' | 'lower' = 'higher'): LocalIndicator => ({
  area_code: area,
  indicator,
  direction,
  baseline: b ? { measure: b, status: 'final' } : undefined,
  current: c ? { measure: c, status: 'final' } : undefined,
});
const rate = (numerator: number, denominator: number): Measure => ({ kind: 'rate', numerator, denominator });

describe('health-premium-2015-16 worked examples (R-HP-3, R-HP-4)', () => {
  // A1 exactly on the threshold: 100/400 → 102/400 (+2%), neither group falls.
  // A2 improves but its opiate rate falls. A3 had no one in the baseline period. A4 stays at 0.
  const baseline = [
    ...areaCounts('A1', [40, 200], [60, 200], BASELINE),
    ...areaCounts('A2', [50, 100], [20, 100], BASELINE),
    ...areaCounts('A3', [0, 0], [0, 0], BASELINE),
    ...areaCounts('A4', [0, 30], [0, 30], BASELINE),
  ];
  const current = [
    ...areaCounts('A1', [41, 200], [61, 200]),
    ...areaCounts('A2', [40, 100], [60, 100]),
    ...areaCounts('A3', [10, 20], [10, 20]),
    ...areaCounts('A4', [0, 30], [0, 30]),
  ];
  const r = assess(baseline, current);

  it('an area exactly on the threshold is eligible and, alone, takes the whole pot (no local data)', () => {
    expect(national(r, 'A1')).toMatchObject({ indicator: 'combined', eligible: true, allocation: '5000000.00', status: 'final' });
    expect(national(r, 'A1').reason).toContain('reaching the 0.255000 needed');
    expect(r.split).toEqual({ national: '1', local: '0' });
    expect(r.notes).toContain('No local indicator data was supplied, so the whole pot is judged on the national indicator.');
  });

  it('a fall in the opiate rate makes an improving area ineligible, and the row says so', () => {
    expect(national(r, 'A2')).toMatchObject({ eligible: false, allocation: '0.00' });
    expect(national(r, 'A2').reason).toContain('the opiate rate fell (0.500000 (50/100) to 0.400000 (40/100))');
  });

  it('a zero baseline denominator is not eligible (no rate to improve on)', () => {
    expect(national(r, 'A3')).toMatchObject({ eligible: false });
    expect(national(r, 'A3').reason).toContain('baseline period (0 out of 0)');
    expect(national(r, 'A3').baseline?.rate).toBeUndefined();
  });

  it('a baseline rate of 0 that stays 0 is not an improvement', () => {
    expect(national(r, 'A4')).toMatchObject({ eligible: false });
    expect(national(r, 'A4').reason).toContain('the baseline was 0');
  });

  it('group rows are shown but not judged: eligible blank, allocation 0', () => {
    const opiate = r.rows.find((x) => x.area_code === 'A1' && x.indicator === 'opiate')!;
    expect(opiate).toMatchObject({ role: 'group', eligible: undefined, allocation: '0.00' });
    expect(opiate.reason).toContain('the opiate rate did not fall');
  });

  it('the allocation column sums to what was paid; rows sorted by area then indicator', () => {
    expect(sumAllocations(r)).toBe(r.paid);
    expect(r.paid).toBe('5000000.00');
    expect(r.unallocated.total).toBe('0.00');
    expect(r.rows.map((x) => `${x.area_code}:${x.indicator}`).slice(0, 4)).toEqual(['A1:alcohol', 'A1:combined', 'A1:non_opiate', 'A1:opiate']);
  });

  it('a provisional indicator makes the row and the result provisional', () => {
    const cur = [...areaCounts('A1', [41, 200], [61, 200], CURRENT, 'provisional')];
    const p = assess(areaCounts('A1', [40, 200], [60, 200], BASELINE), cur);
    expect(national(p, 'A1').status).toBe('provisional');
    expect(p.provisional).toBe(true);
    expect(r.provisional).toBe(false);
  });

  it('with no eligible area the pot is unallocated', () => {
    const none = assess(areaCounts('A2', [50, 100], [20, 100], BASELINE), areaCounts('A2', [40, 100], [60, 100]));
    expect(none.paid).toBe('0.00');
    expect(none.unallocated).toEqual({ national: '5000000.00', local: '0.00', total: '5000000.00' });
  });
});

describe('sharing the pot (R-HP-4)', () => {
  const b = [...areaCounts('A1', [10, 100], [10, 100], BASELINE), ...areaCounts('A2', [10, 100], [10, 100], BASELINE), ...areaCounts('A3', [10, 100], [10, 100], BASELINE)];
  const c = [...areaCounts('A1', [20, 100], [20, 100]), ...areaCounts('A2', [30, 200], [30, 100]), ...areaCounts('A3', [20, 100], [20, 100])];

  it('by current combined denominator: 200 : 300 : 200', () => {
    const r = assess(b, c);
    expect(r.areas.map((a) => [a.area_code, a.weight, a.national_allocation])).toEqual([
      ['A1', '200', '1428571.43'],
      ['A2', '300', '2142857.14'],
      ['A3', '200', '1428571.43'],
    ]);
    expect(r.paid).toBe('5000000.00');
  });

  it('equal weights share to the penny', () => {
    const r = assess(b, c, hpOf({ weight: 'equal', pot: '100' }));
    expect(r.areas.map((a) => a.national_allocation)).toEqual(['33.34', '33.33', '33.33']);
  });

  it('supplied weights; a missing weight of an eligible area is an input error', () => {
    const hp = hpOf({ weight: 'supplied' });
    const r = assess(b, c, hp, { weights: new Map([['A1', '1'], ['A2', '1'], ['A3', '2']]) });
    expect(r.areas.map((a) => a.national_allocation)).toEqual(['1250000.00', '1250000.00', '2500000.00']);
    expect(() => assess(b, c, hp, { weights: new Map([['A1', '1']]) })).toThrow(expect.objectContaining({ code: 'health_premium_input' }));
  });

  describe('national and local indicators', () => {
    const locals = [local('A1', 'alcohol_admissions', { kind: 'value', value: '500' }, { kind: 'value', value: '480' }, 'lower'), local('A2', 'smoking_quitters', rate(10, 100), rate(10, 100))];

    it("separate: each half goes to the areas eligible on that indicator; an area without local data says so", () => {
      const r = assess(b, c, preset, { local: locals });
      expect(r.parts).toEqual({ national: '2500000.00', local: '2500000.00' });
      expect(r.rows.filter((x) => x.role === 'local').map((x) => [x.area_code, x.indicator, x.eligible, x.allocation])).toEqual([
        ['A1', 'alcohol_admissions', true, '2500000.00'],
        ['A2', 'smoking_quitters', false, '0.00'],
        ['A3', 'local', false, '0.00'],
      ]);
      expect(r.rows.find((x) => x.area_code === 'A3' && x.role === 'local')!.status).toBe('not_supplied');
      expect(r.areas.map((a) => a.total)).toEqual(['3214285.72', '1071428.57', '714285.71']);
      expect(sumAllocations(r)).toBe('5000000.00');
    });

    it('both: only areas eligible on both indicators earn (each part)', () => {
      const r = assess(b, c, hpOf({ combine: 'both' }), { local: locals });
      expect(r.areas.map((a) => [a.area_code, a.earns_national, a.earns_local, a.total])).toEqual([
        ['A1', true, true, '5000000.00'],
        ['A2', false, false, '0.00'],
        ['A3', false, false, '0.00'],
      ]);
      expect(national(r, 'A2').reason).toContain('the scheme needs both indicators to improve');
    });

    it('either: an area eligible on at least one indicator earns both parts', () => {
      const r = assess(b, c, hpOf({ combine: 'either' }), { local: locals });
      expect(r.areas.every((a) => a.earns_national && a.earns_local)).toBe(true);
      expect(sumAllocations(r)).toBe('5000000.00');
    });

    it('the national part is pot × its share rounded half-up; the local part is the rest', () => {
      const r = assess(b, c, hpOf({ pot: '1000.01' }), { local: locals });
      expect(r.parts).toEqual({ national: '500.01', local: '500.00' });
      const r2 = assess(b, c, hpOf({ pot: '1000.01', split: { national: '0.3', local: '0.7' } }), { local: locals });
      expect(r2.parts).toEqual({ national: '300.00', local: '700.01' });
    });

    it('a part with no eligible area is unallocated', () => {
      const r = assess(b, c, preset, { local: [local('A1', 'x', rate(10, 100), rate(9, 100))] });
      expect(r.unallocated).toEqual({ national: '0.00', local: '2500000.00', total: '2500000.00' });
      expect(r.paid).toBe('2500000.00');
      expect(sumAllocations(r)).toBe(r.paid);
    });
  });
});

describe('laws (property)', () => {
  const pair = fc.integer({ min: 0, max: 60 }).chain((d) => fc.tuple(fc.integer({ min: 0, max: d }), fc.constant(d)));
  const areaArb = fc.record({ bo: pair, bn: pair, co: pair, cn: pair });
  const areasArb = fc.uniqueArray(fc.tuple(fc.constantFrom('A1', 'A2', 'A3', 'B1', 'B2'), areaArb), { selector: (a) => a[0], minLength: 1, maxLength: 5 });
  const build = (areas: [string, { bo: [number, number]; bn: [number, number]; co: [number, number]; cn: [number, number] }][]) => ({
    baseline: areas.flatMap(([a, x]) => areaCounts(a, x.bo, x.bn, BASELINE)),
    current: areas.flatMap(([a, x]) => areaCounts(a, x.co, x.cn)),
  });
  const schemes = [
    preset,
    hpOf({ weight: 'equal', pot: '1000.01' }),
    hpOf({ national: { threshold: { type: 'absolute', value: '0.05' }, significance: '0.1', noFallIn: [] } }),
  ];

  it('allocations sum to the pot minus what is unallocated, and to the pot when any area earns (R-HP-4)', () => {
    fc.assert(
      fc.property(areasArb, fc.constantFrom(...schemes), (areas, hp) => {
        const { baseline, current } = build(areas);
        const r = assess(baseline, current, hp);
        expect(new D(r.paid).plus(r.unallocated.total).toFixed(2)).toBe(new D(hp.pot).toFixed(2));
        expect(sumAllocations(r)).toBe(r.paid);
        const earning = r.areas.filter((a) => a.earns_national && new D(a.weight).gt(0));
        if (earning.length > 0) expect(r.paid).toBe(new D(hp.pot).toFixed(2));
        else expect(r.paid).toBe('0.00');
      }),
      { numRuns: 200 },
    );
  });

  it('an area that improves more never loses eligibility, all else equal (R-HP-3)', () => {
    fc.assert(
      fc.property(areasArb, fc.constantFrom(...schemes), fc.boolean(), (areas, hp, opiateSide) => {
        const [area, x] = areas[0]!;
        const side = opiateSide ? 'co' : 'cn';
        const [n, d] = x[side];
        fc.pre(n < d);
        const better = areas.map(([a, y]) => [a, a === area ? { ...y, [side]: [n + 1, d] } : y] as typeof areas[number]);
        const before = assess(build(areas).baseline, build(areas).current, hp);
        const after = assess(build(better).baseline, build(better).current, hp);
        const was = before.areas.find((a) => a.area_code === area)!.national_eligible;
        const now = after.areas.find((a) => a.area_code === area)!.national_eligible;
        if (was) expect(now).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the result does not depend on the order of the indicator rows', () => {
    fc.assert(
      fc.property(
        areasArb.chain((areas) => {
          const { baseline, current } = build(areas);
          return fc.tuple(fc.constant(baseline), fc.constant(current), fc.shuffledSubarray(baseline, { minLength: baseline.length }), fc.shuffledSubarray(current, { minLength: current.length }));
        }),
        ([b, c, bs, cs]) => {
          expect(assess(bs, cs)).toEqual(assess(b, c));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('indicators computed from episodes equal the aggregate path fed with counts taken from the same data (R-HP-1 = R-HP-2)', () => {
    const scheme = hpScheme({ weight: 'equal' });
    fc.assert(
      fc.property(datasetArb, fc.integer({ min: 300, max: 1600 }), fc.boolean(), (data, days, withCombined) => {
        const asOf = new Date(Date.UTC(2020, 0, 1 + days)).toISOString().slice(0, 10);
        const periods = { baselineStart: '2020-04-01', currentStart: '2021-04-01', asOf };
        const computed = runHealthPremium({ scheme, data, ...periods });
        // Published-style rows: every group of both periods, with or without the combined row.
        const rows = [...computed.indicators.baseline, ...computed.indicators.current]
          .filter((x) => withCombined || x.indicator !== 'combined')
          .map((x) => ({ area_code: x.area_code, indicator: x.indicator as 'opiate', period_start: x.period_start, numerator: x.numerator, denominator: x.denominator, status: x.status }));
        const supplied = runHealthPremium({ scheme, counts: rows, ...periods });
        const strip = (xs: IndicatorCount[]) => xs.map(({ pending: _p, ...rest }) => rest);
        expect(strip(supplied.indicators.baseline)).toEqual(strip(countsFromAggregates(rows, '2020-04-01', ['opiate', 'non_opiate'])));
        expect(strip(supplied.indicators.current)).toEqual(strip(computed.indicators.current));
        expect(strip(supplied.indicators.baseline)).toEqual(strip(computed.indicators.baseline));
        const view = (r: HealthPremiumResult) =>
          r.rows.map((x) => [x.area_code, x.indicator, x.baseline?.rate, x.current?.rate, x.status, x.eligible, x.allocation]);
        expect(view(supplied.result)).toEqual(view(computed.result));
        expect(supplied.result.unallocated).toEqual(computed.result.unallocated);
      }),
      { numRuns: 100 },
    );
  });
});
