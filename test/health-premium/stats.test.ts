import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalPdf, normalQuantile, twoProportionTest, twoSidedCritical, wilsonInterval } from '../../src/health-premium/stats.js';

describe('normal distribution (decimal)', () => {
  it.each([
    ['0', '0.500000000000000'],
    ['1.96', '0.975002104851780'],
    ['-1', '0.158655253931457'],
    ['1.644853626951472', '0.950000000000000'],
    ['3', '0.998650101968370'],
  ])('Φ(%s) = %s (15 places)', (x, p) => {
    expect(normalCdf(x).toFixed(15)).toBe(p);
  });

  it('keeps its digits far in the lower tail: Φ(−10) = 7.6198530241605…e-24', () => {
    expect(normalCdf(-10).toSignificantDigits(14).toString()).toBe('7.6198530241605e-24');
  });

  it('is exactly 0 or 1 beyond ±37', () => {
    expect(normalCdf(-40).toString()).toBe('0');
    expect(normalCdf(40).toString()).toBe('1');
  });

  it('φ(0) = 1/√(2π)', () => {
    expect(normalPdf(0).toFixed(15)).toBe('0.398942280401433');
  });

  it.each([
    ['0.975', '1.959963984540054'],
    ['0.95', '1.644853626951473'],
    ['0.5', '0.000000000000000'],
    ['0.025', '-1.959963984540054'],
    ['0.999', '3.090232306167814'],
    ['1e-10', '-6.361340902404056'],
  ])('z(%s) = %s', (p, z) => {
    expect(normalQuantile(p).toFixed(15)).toBe(z);
  });

  it('two-sided critical value of a 95% level is z(0.975) = 1.959963985', () => {
    expect(twoSidedCritical('0.95').toFixed(9)).toBe('1.959963985');
  });

  it('refuses p outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('the quantile inverts the distribution function (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), (k) => {
        const p = k / 10000;
        expect(normalCdf(normalQuantile(p)).minus(p).abs().lt('1e-25')).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('Wilson interval', () => {
  it('5 out of 10: 0.236593 to 0.763407', () => {
    const w = wilsonInterval(5, 10)!;
    expect([w.lower.toFixed(6), w.upper.toFixed(6)]).toEqual(['0.236593', '0.763407']);
  });

  it('0 out of 10 starts at exactly 0 and ends at z²/(n + z²)', () => {
    const w = wilsonInterval(0, 10)!;
    const z2 = twoSidedCritical('0.95').pow(2);
    expect(w.lower.toString()).toBe('0');
    expect(w.upper.toFixed(12)).toBe(z2.div(z2.plus(10)).toFixed(12));
  });

  it('10 out of 10 ends at exactly 1', () => {
    expect(wilsonInterval(10, 10)!.upper.toString()).toBe('1');
  });

  it('0 out of 0 has no interval', () => {
    expect(wilsonInterval(0, 0)).toBeUndefined();
  });

  it('a 99% interval is wider than a 95% one', () => {
    const a = wilsonInterval(30, 100, '0.95')!;
    const b = wilsonInterval(30, 100, '0.99')!;
    expect(b.lower.lt(a.lower) && b.upper.gt(a.upper)).toBe(true);
  });

  it('contains the rate and stays within [0, 1] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))), ([x, n]) => {
        const w = wilsonInterval(x, n)!;
        const p = x / n;
        expect(w.lower.gte(0) && w.upper.lte(1)).toBe(true);
        expect(w.lower.lte(p) && w.upper.gte(p)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('one-sided two-proportion test (R-HP-3)', () => {
  it('40/100 → 55/100: z = 2.124, p = 0.0168, significant at 0.05 but not at 0.01', () => {
    const t = twoProportionTest(40, 100, 55, 100, '0.05');
    expect(t.z!.toFixed(3)).toBe('2.124');
    expect(t.pValue!.toFixed(4)).toBe('0.0168');
    expect(t.significant).toBe(true);
    expect(twoProportionTest(40, 100, 55, 100, '0.01').significant).toBe(false);
  });

  it('a fall is never a significant improvement; lower-is-better turns the test round', () => {
    expect(twoProportionTest(55, 100, 40, 100, '0.05').significant).toBe(false);
    expect(twoProportionTest(55, 100, 40, 100, '0.05', true).significant).toBe(true);
  });

  it('no statistic when a period is empty or every rate is 0 (or 1)', () => {
    expect(twoProportionTest(0, 0, 5, 10, '0.05')).toMatchObject({ z: undefined, significant: false });
    expect(twoProportionTest(0, 10, 0, 10, '0.05')).toMatchObject({ z: undefined, significant: false });
    expect(twoProportionTest(10, 10, 10, 10, '0.05')).toMatchObject({ z: undefined, significant: false });
  });

  it('more successes in the current period never make the test less significant (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 80 }),
        fc.nat(),
        fc.nat(),
        (n1, n2, a, b) => {
          const x1 = a % (n1 + 1);
          const x2 = b % n2; // so x2 + 1 ≤ n2
          const lo = twoProportionTest(x1, n1, x2, n2, '0.05');
          const hi = twoProportionTest(x1, n1, x2 + 1, n2, '0.05');
          if (lo.significant) expect(hi.significant).toBe(true);
          if (lo.z && hi.z) expect(hi.z.gte(lo.z)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
