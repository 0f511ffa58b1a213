/**
 * The Health Premium Incentive Scheme section of a scheme (SPEC §3.5, R-HP-1..4): which completions
 * count (R-HP-1), how the national and the local indicator are judged (R-HP-3), and how the pot is
 * shared (R-HP-4). Segmentation parameters (Drug Strategy 2017: newer users, age bands) live here too.
 * @module
 */
import { Decimal } from 'decimal.js';
import * as z from 'zod';
import { Count, DecimalString, Money, PositiveCount, Share, type SchemeProblem } from './common.js';

// Exact decimal checks (split shares add up to exactly 1); private so no global config leaks.
const D = Decimal.clone({ precision: 60 });

/** The indicator groups of R-HP-1 (`non_opiate` = both non-opiate groups of R-JNY-3). */
export const HP_GROUPS = ['opiate', 'non_opiate', 'alcohol'] as const;
/** One indicator group of R-HP-1. */
export type HpGroup = (typeof HP_GROUPS)[number];

/** An improvement threshold (R-HP-3). */
export const Threshold = z.strictObject({
  type: z.enum(['relative', 'absolute']).default('relative'),
  value: DecimalString.describe('relative: share of the baseline rate (0.02 = 2%); absolute: rate points (0.02 = 2 points)'),
});
/** An improvement threshold. */
export type Threshold = z.output<typeof Threshold>;

/** How one indicator is judged (R-HP-3). */
export const IndicatorRule = z.strictObject({
  threshold: Threshold,
  significance: Share.optional().describe('One-sided two-proportion test at this level (e.g. 0.05); none = no test'),
});
/** How one indicator is judged. */
export type IndicatorRule = z.output<typeof IndicatorRule>;

/** The national indicator: groups summed, and groups whose own rate must not fall. */
export const NationalIndicatorRule = IndicatorRule.extend({
  groups: z
    .array(z.enum(HP_GROUPS))
    .min(1)
    .default(['opiate', 'non_opiate'])
    .describe('Groups whose numerators and denominators are summed into the national indicator'),
  noFallIn: z.array(z.enum(HP_GROUPS)).default([]).describe('Groups whose own rate must not fall'),
});
/** The national indicator rule. */
export type NationalIndicatorRule = z.output<typeof NationalIndicatorRule>;

/** The health premium section. */
export const HealthPremium = z.strictObject({
  pot: Money.default('5000000').describe('The whole pot in pounds (R-HP-4)'),
  periodMonths: PositiveCount.default(12).describe('Length of an indicator period [P, P + months) (R-HP-1)'),
  followUpMonths: PositiveCount.default(6).describe('R-OUT-2: months after a successful completion without re-presentation'),
  completion: z
    .strictObject({
      requireOffSubstitution: z.boolean().default(true).describe('R-OUT-1: opiate completions must leave without substitute medication'),
      scope: z.enum(['any_provider', 'same_area']).default('any_provider').describe('R-OUT-2: a return to which treatment counts'),
    })
    .default({ requireOffSubstitution: true, scope: 'any_provider' }),
  intervalLevel: Share.default('0.95').describe('Confidence level of the Wilson interval shown for each rate'),
  national: NationalIndicatorRule,
  local: IndicatorRule.optional().describe("How the local indicator is judged; absent = the national indicator's threshold and test"),
  combine: z
    .enum(['separate', 'both', 'either'])
    .default('separate')
    .describe(
      'separate: each indicator earns its own part of the pot; both: an area earns either part only when eligible on both; ' +
        'either: an area eligible on at least one indicator earns both parts',
    ),
  split: z.strictObject({ national: Share, local: Share }).default({ national: '0.5', local: '0.5' }),
  weight: z
    .enum(['equal', 'denominator', 'supplied'])
    .default('denominator')
    .describe("Each part is shared pro rata to: equal, the area's current national denominator, or a weight supplied per area"),
  segments: z
    .strictObject({
      newerUserYears: PositiveCount.default(2).describe('Newer users: first journey started within this many years before the period end'),
      ageBands: z.array(Count).default([18, 25, 35, 50]).describe('Lower bounds of the age bands (age at start of the journey)'),
    })
    .default({ newerUserYears: 2, ageBands: [18, 25, 35, 50] }),
});
/** The health premium section of a scheme. */
export type HealthPremium = z.output<typeof HealthPremium>;

function isBetweenExclusive(s: string): boolean {
  const d = new D(s);
  return d.gt(0) && d.lt(1);
}

/**
 * Cross-checks of the health premium section, each by path (R-VAL-4).
 * @example healthPremiumProblems({ healthPremium: hp }) // [] when the section is usable
 */
export function healthPremiumProblems(scheme: { healthPremium?: HealthPremium | undefined }): SchemeProblem[] {
  const hp = scheme.healthPremium;
  if (!hp) return [];
  const problems: SchemeProblem[] = [];
  const at = (path: string, message: string) => problems.push({ path: `healthPremium.${path}`, message });
  if (!new D(hp.split.national).plus(hp.split.local).eq(1)) at('split', 'national and local shares must add up to exactly 1');
  const dup = hp.national.groups.find((g, i) => hp.national.groups.indexOf(g) !== i);
  if (dup) at('national.groups', `group '${dup}' is listed twice`);
  const dupNoFall = hp.national.noFallIn.find((g, i) => hp.national.noFallIn.indexOf(g) !== i);
  if (dupNoFall) at('national.noFallIn', `group '${dupNoFall}' is listed twice`);
  const rules: [string, IndicatorRule | undefined][] = [
    ['national', hp.national],
    ['local', hp.local],
  ];
  for (const [name, rule] of rules) {
    if (!rule) continue;
    if (rule.threshold.value.startsWith('-')) at(`${name}.threshold.value`, 'must not be negative (0 = any rate at least the baseline)');
    if (rule.significance !== undefined && !isBetweenExclusive(rule.significance)) {
      at(`${name}.significance`, 'must be strictly between 0 and 1 (e.g. 0.05)');
    }
  }
  if (!isBetweenExclusive(hp.intervalLevel)) at('intervalLevel', 'must be strictly between 0 and 1 (e.g. 0.95)');
  hp.segments.ageBands.forEach((b, i) => {
    if (i > 0 && b <= hp.segments.ageBands[i - 1]!) at(`segments.ageBands[${i}]`, 'age band lower bounds must increase');
  });
  return problems;
}
