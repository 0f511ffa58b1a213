/**
 * Judging one indicator's improvement (R-HP-3): a relative or absolute threshold on the rate (or
 * value), optionally a one-sided two-proportion test, and the "must not fall" condition of the
 * national indicator's groups.
 *
 * Thresholds are checked on exact fractions: a rate n/d is compared by cross-multiplying integers
 * and decimals, never by dividing, so an area exactly on the threshold is eligible (≥) without any
 * rounding in the way.
 * @module
 */
import { Decimal } from 'decimal.js';
import type { IndicatorRule } from '../schema/scheme/health-premium.js';
import { twoProportionTest, type ProportionTest } from './stats.js';

// Exact products of counts and short decimals; private clone so no global configuration leaks.
const D = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

/** Places of a rate (or value) as printed: 6, rounded half-up. Judgements never use the rounded figure. */
export const RATE_PLACES = 6;

/** Which way is better for an indicator. */
export type Direction = 'higher' | 'lower';

/** One period's figure of an indicator: counts (a rate) or a supplied value. */
export type Measure = { kind: 'rate'; numerator: number; denominator: number } | { kind: 'value'; value: string };

/** An exact fraction num/den with den > 0. */
interface Fraction {
  num: Dec;
  den: Dec;
}

function fractionOf(m: Measure): Fraction | undefined {
  if (m.kind === 'value') return { num: new D(m.value), den: new D(1) };
  return m.denominator > 0 ? { num: new D(m.numerator), den: new D(m.denominator) } : undefined;
}

/** a ≥ b for fractions with positive denominators. */
function gte(a: Fraction, b: Fraction): boolean {
  return a.num.times(b.den).gte(b.num.times(a.den));
}

/**
 * A measure's rate or value as printed: 6 places, half-up; `undefined` for 0 out of 0.
 * @example formatMeasure({ kind: 'rate', numerator: 1, denominator: 3 }) // '0.333333'
 */
export function formatMeasure(m: Measure | undefined): string | undefined {
  if (!m) return undefined;
  const f = fractionOf(m);
  if (!f) return undefined;
  return m.kind === 'value' ? new D(m.value).toFixed() : f.num.div(f.den).toFixed(RATE_PLACES);
}

function describe(m: Measure): string {
  return m.kind === 'rate' ? `${formatMeasure(m)} (${m.numerator}/${m.denominator})` : formatMeasure(m)!;
}

/** A judgement of one indicator. */
export interface Judgement {
  eligible: boolean;
  /** The rate (or value) needed in the current period, as printed (6 places). */
  target: string | undefined;
  /** The significance test, when the rule asks for one and it could be run. */
  test: ProportionTest | undefined;
  /** Why, in one or two sentences. */
  reason: string;
}

/**
 * Judges whether `current` improved on `baseline` enough (R-HP-3). Relative threshold t: the
 * current figure must reach baseline + |baseline| × t (higher is better; baseline − |baseline| × t
 * when lower is better); absolute: baseline ± t. Reaching the target exactly counts. A baseline of
 * exactly 0 with a relative threshold has no relative change to speak of, so any strict improvement
 * counts and no change does not. With `rule.significance`, a one-sided two-proportion test at that
 * level must also be significant (rates only: a supplied value cannot be tested).
 * Missing figures or 0 out of 0 are never eligible; the reason says which.
 * @example judgeImprovement(rate(50, 100), rate(51, 100), { threshold: { type: 'relative', value: '0.02' } }, 'higher', 'combined').eligible // true
 */
export function judgeImprovement(
  baseline: Measure | undefined,
  current: Measure | undefined,
  rule: IndicatorRule,
  direction: Direction,
  label: string,
): Judgement {
  const no = (reason: string): Judgement => ({ eligible: false, target: undefined, test: undefined, reason });
  if (!baseline) return no(`The ${label} figures for the baseline period were not supplied.`);
  if (!current) return no(`The ${label} figures for the current period were not supplied.`);
  const b = fractionOf(baseline);
  const c = fractionOf(current);
  if (!b) return no(`No one was in the ${label} indicator in the baseline period (0 out of 0), so there is no rate to improve on.`);
  if (!c) return no(`No one was in the ${label} indicator in the current period (0 out of 0).`);
  const sign = direction === 'higher' ? 1 : -1;
  const t = new D(rule.threshold.value);
  const relative = rule.threshold.type === 'relative';
  let ok: boolean;
  let target: Fraction;
  let verdict: string;
  const moved = `The ${label} ${baseline.kind === 'rate' ? 'rate' : 'value'} went from ${describe(baseline)} to ${describe(current)}`;
  if (relative && b.num.isZero()) {
    // No relative change from 0: any strict improvement counts, no change does not.
    target = b;
    ok = direction === 'higher' ? c.num.gt(0) : c.num.lt(0);
    verdict = ok
      ? `: the baseline was 0, so any ${direction === 'higher' ? 'rise' : 'fall'} counts`
      : `: the baseline was 0 and a ${direction === 'higher' ? 'rise' : 'fall'} from it was needed`;
  } else {
    // relative: b ± |b|·t = (n ± |n|·t)/d ; absolute: b ± t = (n ± t·d)/d
    const step = relative ? b.num.abs().times(t) : t.times(b.den);
    target = { num: b.num.plus(step.times(sign)), den: b.den };
    ok = direction === 'higher' ? gte(c, target) : gte(target, c);
    const how = relative
      ? `baseline ${direction === 'higher' ? '+' : '−'} ${t.times(100).toFixed()}% of it`
      : `baseline ${direction === 'higher' ? '+' : '−'} ${t.toFixed()} points`;
    const needed = `${target.num.div(target.den).toFixed(RATE_PLACES)} needed (${direction === 'higher' ? 'at least' : 'at most'} ${how})`;
    verdict = ok ? `, reaching the ${needed}` : `, ${direction === 'higher' ? 'below' : 'above'} the ${needed}`;
  }
  const targetText = target.num.div(target.den).toFixed(RATE_PLACES);
  if (!ok) return { eligible: false, target: targetText, test: undefined, reason: `${moved}${verdict}.` };
  if (rule.significance === undefined) return { eligible: true, target: targetText, test: undefined, reason: `${moved}${verdict}.` };
  if (baseline.kind !== 'rate' || current.kind !== 'rate') {
    return {
      eligible: false,
      target: targetText,
      test: undefined,
      reason: `${moved}${verdict}, but the scheme also asks for a significance test, which needs a numerator and a denominator, not a value.`,
    };
  }
  const test = twoProportionTest(baseline.numerator, baseline.denominator, current.numerator, current.denominator, rule.significance, direction === 'lower');
  const testText = test.z
    ? `one-sided two-proportion test z = ${test.z.toFixed(3)}, p = ${test.pValue!.toSignificantDigits(3).toString()}, ${test.significant ? 'significant' : 'not significant'} at ${rule.significance}`
    : `the one-sided two-proportion test cannot be run (${test.note}), so the improvement is not significant at ${rule.significance}`;
  return {
    eligible: test.significant,
    target: targetText,
    test,
    reason: `${moved}${verdict}; ${testText}.`,
  };
}

/** Whether a group's rate did not fall (the national indicator's `noFallIn`). */
export interface NoFall {
  holds: boolean;
  reason: string;
}

/**
 * The "must not fall" condition for one group: current rate ≥ baseline rate (exactly). A group with
 * no one in it in either period (0 out of 0) has no rate that could fall, so the condition holds;
 * figures that were not supplied cannot show it, so it fails.
 * @example judgeNoFall(rate(10, 40), rate(10, 40), 'opiate').holds // true (equal is not a fall)
 */
export function judgeNoFall(baseline: Measure | undefined, current: Measure | undefined, label: string): NoFall {
  if (!baseline || !current) return { holds: false, reason: `the ${label} figures for the ${baseline ? 'current' : 'baseline'} period were not supplied, so it cannot be shown that the ${label} rate did not fall` };
  const b = fractionOf(baseline);
  const c = fractionOf(current);
  if (!b || !c) {
    return { holds: true, reason: `the ${label} rate cannot fall: no one was in it in the ${!b ? 'baseline' : 'current'} period` };
  }
  return gte(c, b)
    ? { holds: true, reason: `the ${label} rate did not fall (${describe(baseline)} to ${describe(current)})` }
    : { holds: false, reason: `the ${label} rate fell (${describe(baseline)} to ${describe(current)})` };
}
