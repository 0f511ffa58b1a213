/**
 * Statistics for the Health Premium indicators, in decimal arithmetic (R-HP-1, R-HP-3): the
 * standard normal distribution function and its inverse, the Wilson score interval of a rate, and
 * the one-sided two-proportion z-test.
 *
 * Why not JS floats: rates and thresholds are compared exactly elsewhere (see `eligibility.ts`);
 * here the aim is results that do not depend on the platform's `Math` and that are accurate well
 * beyond the places we print. The normal distribution function uses its everywhere-convergent
 * Taylor series Φ(x) = ½ + φ(x) · Σ x^(2n+1) / (1·3·5···(2n+1)), whose terms all share the sign of
 * x (no cancellation inside the sum), evaluated with enough guard digits for the cancellation in
 * ½ + φ·S in the far lower tail. The quantile starts from Acklam's rational approximation (relative
 * error < 1.15e-9) and refines it by Newton steps on Φ, so z(0.975) = 1.959963984540054…
 * @module
 */
import { Decimal } from 'decimal.js';

/** Working precision (significant digits) of results returned by this module. */
const PRECISION = 40;
/** A private Decimal so no global configuration leaks (BRIEF). */
const D = Decimal.clone({ precision: PRECISION, rounding: Decimal.ROUND_HALF_EVEN });
type Dec = InstanceType<typeof D>;

/** A value accepted where a decimal is expected. */
export type DecimalLike = Decimal.Value;

const clones = new Map<number, typeof Decimal>();
function decimalWith(precision: number): typeof Decimal {
  let c = clones.get(precision);
  if (!c) clones.set(precision, (c = Decimal.clone({ precision, rounding: Decimal.ROUND_HALF_EVEN })));
  return c;
}

// √(2π) at a working precision, computed once (π via acos is the slow part).
const sqrtTwoPi = new Map<number, Decimal>();
function sqrtTwoPiWith(W: typeof Decimal): Decimal {
  const p = W.precision;
  let v = sqrtTwoPi.get(p);
  if (!v) sqrtTwoPi.set(p, (v = W.sqrt(W.acos(-1).times(2))));
  return v;
}

/** Beyond this |x| the tail is below 1e-300 and Φ is returned as exactly 0 or 1. */
const TAIL_CUTOFF = 37;

/**
 * The standard normal distribution function Φ(x) = P(Z ≤ x), to about 40 significant digits.
 * @example normalCdf(1.96).toFixed(10) // '0.9750021049'
 * @example normalCdf(0).toString() // '0.5'
 */
export function normalCdf(x: DecimalLike): Decimal {
  const X = new D(x);
  if (X.abs().gt(TAIL_CUTOFF)) return new D(X.isNeg() ? 0 : 1);
  if (X.isZero()) return new D('0.5');
  // Guard digits: the series sum grows like e^(x²/2) and ½ + φ·S cancels about x²/2·log10(e)
  // digits in the lower tail.
  const x2 = X.times(X).toNumber();
  // Rounded up to a multiple of 10 so that few working precisions (and cached constants) exist.
  const guard = Math.ceil(((x2 / 2) * Math.LOG10E + 10) / 10) * 10;
  const W = decimalWith(PRECISION + 2 * guard);
  const w = new W(X);
  const w2 = w.times(w);
  let term = new W(w);
  let sum = new W(w);
  const eps = new W(10).pow(-(PRECISION + guard));
  for (let k = 1; k < 100_000; k++) {
    term = term.times(w2).div(2 * k + 1);
    sum = sum.plus(term);
    // Terms shrink geometrically once 2k + 1 > x²; stop when they no longer change the sum.
    if (2 * k + 1 > x2 && term.abs().lte(sum.abs().times(eps))) break;
  }
  const phi = W.exp(w2.div(-2)).div(sqrtTwoPiWith(W));
  return phi.times(sum).plus('0.5').toSD(PRECISION) as unknown as Decimal;
}

/**
 * The standard normal density φ(x).
 * @example normalPdf(0).toFixed(6) // '0.398942'
 */
export function normalPdf(x: DecimalLike): Decimal {
  const W = decimalWith(PRECISION + 10);
  const w = new W(x);
  return W.exp(w.times(w).div(-2)).div(sqrtTwoPiWith(W)).toSD(PRECISION) as unknown as Decimal;
}

/** Acklam's rational approximation of the normal quantile, for 0 < p ≤ 0.5 (float start value). */
function acklamLower(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010243787, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (e.g. the critical value of a test), to about
 * 30 significant digits.
 * @example normalQuantile('0.975').toFixed(9) // '1.959963985'
 * @example normalQuantile('0.95').toFixed(9) // '1.644853627'
 */
export function normalQuantile(p: DecimalLike): Decimal {
  const P = new D(p);
  if (!P.gt(0) || !P.lt(1)) throw new RangeError(`normalQuantile: p must be strictly between 0 and 1, got ${P.toString()}`);
  if (P.eq('0.5')) return new D(0);
  // Symmetry keeps the float start value accurate for p close to 1 (1 − p is exact in decimal).
  if (P.gt('0.5')) return normalQuantile(new D(1).minus(P)).neg();
  const start = P.toNumber() < 1e-300 ? -37 : acklamLower(P.toNumber());
  let x: Dec = new D(start);
  for (let i = 0; i < 8; i++) {
    const step = normalCdf(x).minus(P).div(normalPdf(x));
    x = x.minus(step);
    if (step.abs().lt('1e-34')) break;
  }
  return x;
}

/** A rate's confidence interval. */
export interface Interval {
  lower: Decimal;
  upper: Decimal;
}

const criticalCache = new Map<string, Decimal>();
/**
 * The two-sided critical value z for a confidence level (0.95 → 1.959963…).
 * @example twoSidedCritical('0.95').toFixed(6) // '1.959964'
 */
export function twoSidedCritical(level: DecimalLike): Decimal {
  const key = new D(level).toString();
  let z = criticalCache.get(key);
  if (!z) criticalCache.set(key, (z = normalQuantile(new D(1).minus(new D(1).minus(key).div(2)))));
  return z;
}

/**
 * The Wilson score interval of `numerator` out of `denominator` at a confidence level (default 95%):
 * it stays inside [0, 1] and behaves at 0 and at 100%, unlike the normal ("Wald") interval.
 * `undefined` when the denominator is 0.
 * @example wilsonInterval(5, 10) // { lower: 0.2366…, upper: 0.7634… }
 * @example wilsonInterval(0, 10) // { lower: 0, upper: 0.2775… }
 */
export function wilsonInterval(numerator: number, denominator: number, level: DecimalLike = '0.95'): Interval | undefined {
  if (denominator <= 0) return undefined;
  const z = new D(twoSidedCritical(level));
  const n = new D(denominator);
  const p = new D(numerator).div(n);
  const z2 = z.times(z);
  const denom = z2.div(n).plus(1);
  const centre = p.plus(z2.div(n.times(2))).div(denom);
  const half = z.times(p.times(new D(1).minus(p)).div(n).plus(z2.div(n.times(n).times(4))).sqrt()).div(denom);
  // Clamp the rounding dust at the ends (x = 0 gives exactly 0 mathematically).
  const lower = numerator === 0 ? new D(0) : D.max(0, centre.minus(half));
  const upper = numerator === denominator ? new D(1) : D.min(1, centre.plus(half));
  return { lower, upper };
}

/** The result of a one-sided two-proportion z-test. */
export interface ProportionTest {
  /** z statistic in the direction of improvement; `undefined` when it cannot be computed. */
  z: Decimal | undefined;
  /** One-sided p-value P(Z ≥ z); `undefined` with z. */
  pValue: Decimal | undefined;
  significant: boolean;
  /** Why there is no statistic, when there is none. */
  note: string | undefined;
}

/**
 * One-sided two-proportion z-test with pooled variance (R-HP-3): does the current rate x2/n2
 * improve on the baseline x1/n1 (higher, or lower when `lowerIsBetter`) at level `alpha`?
 * Significant when the p-value P(Z ≥ z) ≤ alpha. With an empty period, or when the pooled rate is
 * 0 or 1 (no variation at all), no statistic exists and the test is not significant.
 * @example twoProportionTest(40, 100, 55, 100, '0.05').significant // true
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number, alpha: DecimalLike, lowerIsBetter = false): ProportionTest {
  if (n1 <= 0 || n2 <= 0) return { z: undefined, pValue: undefined, significant: false, note: 'a period has no one in it' };
  const pooled = new D(x1 + x2).div(n1 + n2);
  if (pooled.isZero() || pooled.eq(1)) {
    return { z: undefined, pValue: undefined, significant: false, note: `every rate is ${pooled.isZero() ? '0' : '1'}, so there is nothing to test` };
  }
  const se = pooled.times(new D(1).minus(pooled)).times(new D(1).div(n1).plus(new D(1).div(n2))).sqrt();
  let z = new D(x2).div(n2).minus(new D(x1).div(n1)).div(se);
  if (lowerIsBetter) z = z.neg();
  // P(Z ≥ z) = Φ(−z): the lower tail keeps its digits where 1 − Φ(z) would lose them.
  const pValue = normalCdf(z.neg());
  return { z, pValue, significant: pValue.lte(alpha), note: undefined };
}
