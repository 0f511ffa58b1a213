import { describe, expect, it } from 'vitest';
import { formatMeasure, judgeImprovement, judgeNoFall, type Measure } from '../../src/health-premium/eligibility.js';
import type { IndicatorRule } from '../../src/schema/scheme/health-premium.js';

const rate = (numerator: number, denominator: number): Measure => ({ kind: 'rate', numerator, denominator });
const value = (v: string): Measure => ({ kind: 'value', value: v });
const relative = (v: string, significance?: string): IndicatorRule => ({ threshold: { type: 'relative', value: v }, ...(significance ? { significance } : {}) });
const absolute = (v: string): IndicatorRule => ({ threshold: { type: 'absolute', value: v } });

describe('R-HP-3 thresholds (exact)', () => {
  it('an area exactly on the relative threshold is eligible: 50/100 → 51/100 is exactly +2%', () => {
    const j = judgeImprovement(rate(50, 100), rate(51, 100), relative('0.02'), 'higher', 'combined');
    expect(j).toMatchObject({ eligible: true, target: '0.510000' });
    expect(j.reason).toContain('reaching the 0.510000 needed');
  });

  it('exactness does not rest on printed rates: 1/3 → 34/100 is +2% exactly (1/3 × 1.02 = 0.34)', () => {
    expect(judgeImprovement(rate(1, 3), rate(34, 100), relative('0.02'), 'higher', 'x').eligible).toBe(true);
    // 0.339999… would print as 0.340000 but is below: 33999/100000 < 0.34
    expect(judgeImprovement(rate(1, 3), rate(33_999, 100_000), relative('0.02'), 'higher', 'x').eligible).toBe(false);
  });

  it('one client short of the threshold is not eligible, with the target in the reason', () => {
    const j = judgeImprovement(rate(250, 500), rate(254, 500), relative('0.02'), 'higher', 'combined');
    expect(j.eligible).toBe(false);
    expect(j.reason).toBe('The combined rate went from 0.500000 (250/500) to 0.508000 (254/500), below the 0.510000 needed (at least baseline + 2% of it).');
  });

  it('absolute threshold: baseline + 0.02 points, reaching it exactly counts', () => {
    expect(judgeImprovement(rate(40, 100), rate(42, 100), absolute('0.02'), 'higher', 'x').eligible).toBe(true);
    expect(judgeImprovement(rate(40, 100), rate(83, 200), absolute('0.02'), 'higher', 'x').eligible).toBe(false);
  });

  it('a zero denominator in either period is never eligible, and says which', () => {
    expect(judgeImprovement(rate(0, 0), rate(5, 10), relative('0.02'), 'higher', 'x')).toMatchObject({ eligible: false });
    expect(judgeImprovement(rate(0, 0), rate(5, 10), relative('0.02'), 'higher', 'x').reason).toContain('baseline period (0 out of 0)');
    expect(judgeImprovement(rate(5, 10), rate(0, 0), relative('0.02'), 'higher', 'x').reason).toContain('current period (0 out of 0)');
  });

  it('a baseline rate of 0: any rise counts, staying at 0 does not (relative); absolute works as usual', () => {
    expect(judgeImprovement(rate(0, 40), rate(1, 50), relative('0.02'), 'higher', 'x').eligible).toBe(true);
    const same = judgeImprovement(rate(0, 40), rate(0, 50), relative('0.02'), 'higher', 'x');
    expect(same.eligible).toBe(false);
    expect(same.reason).toContain('the baseline was 0');
    expect(judgeImprovement(rate(0, 40), rate(1, 50), absolute('0.02'), 'higher', 'x').eligible).toBe(true); // 0.02 ≥ 0.02
    expect(judgeImprovement(rate(0, 40), rate(1, 51), absolute('0.02'), 'higher', 'x').eligible).toBe(false);
  });

  it('a threshold of 0 accepts an unchanged rate', () => {
    expect(judgeImprovement(rate(3, 10), rate(6, 20), relative('0'), 'higher', 'x').eligible).toBe(true);
  });

  it('lower is better: the value must fall by the threshold', () => {
    expect(judgeImprovement(value('200'), value('196'), relative('0.02'), 'lower', 'admissions').eligible).toBe(true);
    expect(judgeImprovement(value('200'), value('196.01'), relative('0.02'), 'lower', 'admissions').eligible).toBe(false);
    expect(judgeImprovement(value('0'), value('0'), relative('0.02'), 'lower', 'admissions').eligible).toBe(false);
  });

  it('relative thresholds on a negative value use its size (−10 + 2% of 10 = −9.8)', () => {
    expect(judgeImprovement(value('-10'), value('-9.8'), relative('0.02'), 'higher', 'balance').eligible).toBe(true);
    expect(judgeImprovement(value('-10'), value('-9.81'), relative('0.02'), 'higher', 'balance').eligible).toBe(false);
  });

  it('missing figures are not eligible', () => {
    expect(judgeImprovement(undefined, rate(1, 2), relative('0.02'), 'higher', 'x').reason).toContain('baseline period were not supplied');
    expect(judgeImprovement(rate(1, 2), undefined, relative('0.02'), 'higher', 'x').reason).toContain('current period were not supplied');
  });
});

describe('R-HP-3 significance test', () => {
  it('reaching the threshold is not enough when the rise is not significant', () => {
    const j = judgeImprovement(rate(40, 100), rate(45, 100), relative('0.02', '0.05'), 'higher', 'x');
    expect(j.eligible).toBe(false);
    expect(j.test?.significant).toBe(false);
    expect(j.reason).toMatch(/z = 0\.\d{3}, p = 0\.\d+, not significant at 0\.05/);
  });

  it('a large rise is significant', () => {
    const j = judgeImprovement(rate(400, 1000), rate(460, 1000), relative('0.02', '0.05'), 'higher', 'x');
    expect(j.eligible).toBe(true);
    expect(j.test!.pValue!.lt('0.05')).toBe(true);
  });

  it('a value indicator cannot be tested, so a scheme asking for a test makes it not eligible', () => {
    const j = judgeImprovement(value('10'), value('20'), relative('0.02', '0.05'), 'higher', 'x');
    expect(j.eligible).toBe(false);
    expect(j.reason).toContain('needs a numerator and a denominator');
  });
});

describe('no fall in a group (national indicator of the 2015/16 preset)', () => {
  it('an unchanged rate has not fallen; a lower one has', () => {
    expect(judgeNoFall(rate(10, 40), rate(20, 80), 'opiate').holds).toBe(true);
    expect(judgeNoFall(rate(10, 40), rate(19, 80), 'opiate')).toMatchObject({ holds: false, reason: 'the opiate rate fell (0.250000 (10/40) to 0.237500 (19/80))' });
  });

  it('a group with no one in it in a period cannot fall; a group not supplied cannot show it', () => {
    expect(judgeNoFall(rate(0, 0), rate(1, 10), 'opiate').holds).toBe(true);
    expect(judgeNoFall(rate(3, 10), rate(0, 0), 'opiate').holds).toBe(true);
    expect(judgeNoFall(undefined, rate(1, 10), 'opiate').holds).toBe(false);
  });
});

describe('printed rates', () => {
  it('6 places, half-up; blank for 0 out of 0; values as supplied', () => {
    expect(formatMeasure(rate(1, 3))).toBe('0.333333');
    expect(formatMeasure(rate(2, 3))).toBe('0.666667');
    expect(formatMeasure(rate(1, 8_000_000))).toBe('0.000000');
    expect(formatMeasure(rate(5, 1_000_000_0))).toBe('0.000001'); // 0.0000005 rounds half-up
    expect(formatMeasure(rate(0, 0))).toBeUndefined();
    expect(formatMeasure(value('612.50'))).toBe('612.5');
  });
});
