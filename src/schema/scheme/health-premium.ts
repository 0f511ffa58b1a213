/**
 * The Health Premium Incentive Scheme section of a scheme (SPEC §3.5, R-HP-1..4).
 * @module
 */
import { z } from 'zod';
import { SUBSTANCE_GROUPS } from '../codes.js';
import { DecimalString, Money, PositiveCount, Share, type SchemeProblem } from './common.js';

/** The indicator groups of R-HP-1. */
export const HP_GROUPS = ['opiate', 'non_opiate', 'alcohol'] as const;

/** An improvement threshold (R-HP-3). */
export const Threshold = z.strictObject({
  type: z.enum(['relative', 'absolute']).default('relative'),
  value: DecimalString.describe('relative: share of the baseline rate (0.02 = 2%); absolute: rate points (0.02 = 2 points)'),
});

/** How one indicator is judged (R-HP-3). */
export const IndicatorRule = z.strictObject({
  threshold: Threshold,
  significance: Share.optional().describe('One-sided two-proportion test at this level (e.g. 0.05); none = no test'),
});

/** The health premium section. */
export const HealthPremium = z.strictObject({
  pot: Money.default('5000000'),
  periodMonths: PositiveCount.default(12),
  followUpMonths: PositiveCount.default(6),
  national: IndicatorRule.extend({
    groups: z.array(z.enum(HP_GROUPS)).min(1).default(['opiate', 'non_opiate']).describe('Groups summed into the national indicator'),
    noFallIn: z.array(z.enum(HP_GROUPS)).default([]).describe('Groups whose own rate must not fall'),
  }),
  local: IndicatorRule.optional(),
  combine: z.enum(['separate', 'both', 'either']).default('separate').describe('separate: each indicator earns its part of the pot'),
  split: z.strictObject({ national: Share, local: Share }).default({ national: '0.5', local: '0.5' }),
  weight: z.enum(['equal', 'denominator', 'supplied']).default('denominator'),
});
/** The health premium section of a scheme. */
export type HealthPremium = z.output<typeof HealthPremium>;

/** Cross-checks of the health premium section (R-VAL-4). */
export function healthPremiumProblems(scheme: { healthPremium?: HealthPremium | undefined }): SchemeProblem[] {
  const hp = scheme.healthPremium;
  if (!hp) return [];
  const problems: SchemeProblem[] = [];
  const sum = Math.round(Number(hp.split.national) * 1e9) + Math.round(Number(hp.split.local) * 1e9);
  if (sum !== 1e9) problems.push({ path: 'healthPremium.split', message: 'national and local shares must add up to exactly 1' });
  void SUBSTANCE_GROUPS;
  return problems;
}
