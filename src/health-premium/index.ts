/**
 * The Health Premium Incentive Scheme (SPEC §3.5, R-HP-1..4): PHOF 2.15-style indicators from episode
 * data or supplied counts, eligibility, and the sharing of the pot. Pure and browser-safe.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { Dataset } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import type { HealthPremium } from '../schema/scheme/health-premium.js';
import { countsFromAggregates, type AggregateCountRow, type LocalIndicator } from './aggregate.js';
import { assessHealthPremium, type HealthPremiumResult } from './assess.js';
import { computeIndicators, type IndicatorCount } from './indicators.js';
import { segmentIndicators, type SegmentRow } from './segments.js';
import type { CountedIndicators } from './tally.js';

export * from './aggregate.js';
export * from './allocate.js';
export * from './assess.js';
export * from './eligibility.js';
export * from './indicators.js';
export * from './output.js';
export * from './segments.js';
export * from './stats.js';
export * from './tally.js';

/** Inputs of a health premium run. Give `data` or `indicators` (episodes) or `counts` (published figures): one of them. */
export interface HealthPremiumRunInput {
  /** A scheme with a `healthPremium` section. */
  scheme: Scheme;
  /** Episode data (validated): indicators are computed (R-HP-1). */
  data?: Dataset;
  /** Indicators already counted from episode data, client by client ({@link indicatorTally}). */
  indicators?: CountedIndicators;
  /** Supplied national group counts (R-HP-2). */
  counts?: readonly AggregateCountRow[];
  /** Local indicators per area (R-HP-2). */
  local?: readonly LocalIndicator[];
  /** Weights per area for `weight: supplied`. */
  weights?: ReadonlyMap<string, string>;
  /** First day of the baseline period. */
  baselineStart: IsoDate;
  /** First day of the current period. */
  currentStart: IsoDate;
  /** The run's date (R-CAL-2). */
  asOf: IsoDate;
}

/** Output of a health premium run. */
export interface HealthPremiumRun {
  result: HealthPremiumResult;
  /** Segmented indicators (episode data only; empty for supplied counts). */
  segments: SegmentRow[];
  indicators: { baseline: IndicatorCount[]; current: IndicatorCount[] };
  source: 'episodes' | 'counts';
}

/**
 * The health premium section of a scheme, or an error saying how to get one.
 * @example healthPremiumOf(presetScheme('health-premium-2015-16')).pot // '5000000'
 */
export function healthPremiumOf(scheme: Scheme): HealthPremium {
  if (!scheme.healthPremium) {
    throw new RangeError(`scheme '${scheme.id}' has no healthPremium section; use the health-premium-2015-16 preset or add one`);
  }
  return scheme.healthPremium;
}

/**
 * Runs the Health Premium: indicators for the baseline and current periods (from episodes or
 * supplied counts), the judgement of every area, the allocation of the pot and (episode data only)
 * the segmented indicators.
 * @example
 * const run = runHealthPremium({ scheme, data, baselineStart: '2013-04-01', currentStart: '2014-04-01', asOf: '2015-09-30' });
 * run.result.paid // e.g. '5000000.00'
 */
export function runHealthPremium(input: HealthPremiumRunInput): HealthPremiumRun {
  const hp = healthPremiumOf(input.scheme);
  if ([input.data, input.indicators, input.counts].filter((x) => x !== undefined).length !== 1) {
    throw new RangeError('give either episode data (or its counted indicators) or supplied counts for the national indicator (one of them)');
  }
  let baseline: IndicatorCount[];
  let current: IndicatorCount[];
  let segments: SegmentRow[] = [];
  if (input.data) {
    const computed = computeIndicators(input.data, { ...input.scheme, healthPremium: hp }, {
      baseline: input.baselineStart,
      current: input.currentStart,
      asOf: input.asOf,
    });
    baseline = computed.baseline;
    current = computed.current;
    segments = segmentIndicators(computed.clients, { hp, baselineStart: input.baselineStart, currentStart: input.currentStart, asOf: input.asOf });
  } else if (input.indicators) {
    ({ baseline, current, segments } = input.indicators);
  } else {
    baseline = countsFromAggregates(input.counts!, input.baselineStart, hp.national.groups);
    current = countsFromAggregates(input.counts!, input.currentStart, hp.national.groups);
  }
  const result = assessHealthPremium({
    hp,
    baselineStart: input.baselineStart,
    currentStart: input.currentStart,
    baseline,
    current,
    ...(input.local ? { local: input.local } : {}),
    ...(input.weights ? { weights: input.weights } : {}),
  });
  return { result, segments, indicators: { baseline, current }, source: input.counts ? 'counts' : 'episodes' };
}
