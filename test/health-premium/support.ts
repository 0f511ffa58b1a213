/**
 * Builders for health premium tests: the 2015/16 preset (read from its JSON, since the preset
 * registry does not list it yet) with overrides, and indicator counts.
 */
import preset from '../../seeds/health-premium-2015-16.json';
import type { IndicatorCount, IndicatorStatus } from '../../src/health-premium/indicators.js';
import type { HealthPremium } from '../../src/schema/scheme/health-premium.js';
import { loadScheme, mergeSchemeDocuments, type Scheme } from '../../src/schema/scheme/index.js';

export const BASELINE = '2013-04-01';
export const CURRENT = '2014-04-01';
/** The day the current period's follow-up closes (2015-03-31 + 6 months). */
export const AS_OF = '2015-09-30';

/** The raw preset document. */
export function presetDocument(): Record<string, unknown> {
  return structuredClone(preset) as Record<string, unknown>;
}

/** The 2015/16 preset with `healthPremium` overrides (raw JSON form, merged key by key). */
export function hpScheme(healthPremium: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Scheme {
  return loadScheme(mergeSchemeDocuments(mergeSchemeDocuments(presetDocument(), { healthPremium }), extra), 'test scheme');
}

/** The health premium section of {@link hpScheme}. */
export function hpOf(healthPremium: Record<string, unknown> = {}): HealthPremium {
  return hpScheme(healthPremium).healthPremium!;
}

/** One indicator count. */
export function count(
  area_code: string,
  indicator: string,
  numerator: number,
  denominator: number,
  period_start = CURRENT,
  status: IndicatorStatus = 'final',
): IndicatorCount {
  return { area_code, indicator, period_start, numerator, denominator, pending: 0, status };
}

/**
 * Counts of one area in one period for the opiate and non-opiate groups, with `combined` summed
 * from them (and alcohol 0/0), as the data path reports them.
 */
export function areaCounts(area: string, opiate: [number, number], nonOpiate: [number, number], period = CURRENT, status: IndicatorStatus = 'final'): IndicatorCount[] {
  return [
    count(area, 'alcohol', 0, 0, period, status),
    count(area, 'combined', opiate[0] + nonOpiate[0], opiate[1] + nonOpiate[1], period, status),
    count(area, 'non_opiate', nonOpiate[0], nonOpiate[1], period, status),
    count(area, 'opiate', opiate[0], opiate[1], period, status),
  ];
}
