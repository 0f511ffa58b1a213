/**
 * Segmented indicators for commissioners (Drug Strategy 2017: segment the recovery measure, e.g.
 * newer opiate users, for whom higher recovery rates can be expected): the same R-HP-1 indicator
 * for newer and longer-term opiate users, and for each age band.
 * @module
 */
import { addMonths, compareCodePoint, type IsoDate } from '../calendar/index.js';
import type { HealthPremium } from '../schema/scheme/health-premium.js';
import { addToAreaCounts, indicatorRows, type AreaCounts, type IndicatorClient, type IndicatorCount } from './indicators.js';

/** Segment of newer opiate users: first journey within the last `newerUserYears` years of the period. */
export const NEWER_USERS = 'newer_users';
/** Segment of the other opiate users. */
export const LONGER_TERM_USERS = 'longer_term_users';

/** One segment's indicator for one area in both periods. */
export interface SegmentRow {
  area_code: string;
  /** `newer_users`, `longer_term_users` or `age:<band>` (e.g. `age:25-34`). */
  segment: string;
  indicator: string;
  baseline: IndicatorCount;
  current: IndicatorCount;
}

/**
 * The age band of an age, from the bands' lower bounds: `under_18`, `18-24`, …, `50+`; `unknown`
 * when the age is blank.
 * @example ageBandOf(30, [18, 25, 35, 50]) // '25-34'
 * @example ageBandOf(17, [18, 25, 35, 50]) // 'under_18'
 */
export function ageBandOf(age: number | undefined, bounds: readonly number[]): string {
  if (age === undefined) return 'unknown';
  if (bounds.length === 0) return 'all';
  if (age < bounds[0]!) return `under_${bounds[0]}`;
  for (let i = bounds.length - 1; i >= 0; i--) {
    if (age >= bounds[i]!) return i === bounds.length - 1 ? `${bounds[i]}+` : `${bounds[i]}-${bounds[i + 1]! - 1}`;
  }
  return 'unknown';
}

/**
 * Whether a client is a newer user in a period: their first journey (in the data, as known at asOf)
 * started within the last `years` years of the period, i.e. on or after period end − years.
 * The data must reach back that far, or long-standing clients look new.
 * @example isNewerUser({ first_journey_start: '2014-06-01', … }, '2015-04-01', 12, 2) // true
 */
export function isNewerUser(client: Pick<IndicatorClient, 'first_journey_start'>, periodStart: IsoDate, periodMonths: number, years: number): boolean {
  return client.first_journey_start >= addMonths(addMonths(periodStart, periodMonths), -12 * years);
}

/** Options of {@link segmentIndicators}. */
export interface SegmentOptions {
  hp: HealthPremium;
  baselineStart: IsoDate;
  currentStart: IsoDate;
  asOf: IsoDate;
}

/**
 * Segmented indicators per area: `newer_users` and `longer_term_users` (opiate indicator only), and
 * each age band (every indicator). Age is age_at_start of the first episode of the client's
 * latest-starting journey in the period. Rows where no one is in the segment in either period are
 * left out. Sorted by area_code, segment, indicator (code point).
 * @example segmentIndicators(computed.clients, { hp, baselineStart, currentStart, asOf })
 */
export function segmentIndicators(
  clients: { baseline: readonly IndicatorClient[]; current: readonly IndicatorClient[] },
  options: SegmentOptions,
): SegmentRow[] {
  const counts = new Map<string, { baseline: AreaCounts; current: AreaCounts }>();
  const add = (which: 'baseline' | 'current', list: readonly IndicatorClient[], start: IsoDate) => {
    for (const c of list) for (const s of segmentsOf(c, start, options.hp)) addToAreaCounts(segmentCounts(counts, s)[which], c.area_code, c.group, c.completion);
  };
  add('baseline', clients.baseline, options.baselineStart);
  add('current', clients.current, options.currentStart);
  return segmentRows(counts, options);
}

/**
 * The segments a client is counted in for a period: its age band, and for the opiate group newer or
 * longer-term users.
 * @example segmentsOf(client, '2015-04-01', hp) // ['age:25-34', 'newer_users']
 */
export function segmentsOf(c: Pick<IndicatorClient, 'age_at_start' | 'group' | 'first_journey_start'>, periodStart: IsoDate, hp: HealthPremium): string[] {
  const out = [`age:${ageBandOf(c.age_at_start, hp.segments.ageBands)}`];
  if (c.group === 'opiate') out.push(isNewerUser(c, periodStart, hp.periodMonths, hp.segments.newerUserYears) ? NEWER_USERS : LONGER_TERM_USERS);
  return out;
}

/** The area counts of a segment in both periods (made when first asked for). */
export function segmentCounts(counts: Map<string, { baseline: AreaCounts; current: AreaCounts }>, segment: string): { baseline: AreaCounts; current: AreaCounts } {
  let e = counts.get(segment);
  if (!e) counts.set(segment, (e = { baseline: new Map(), current: new Map() }));
  return e;
}

/**
 * Segment rows from each segment's area counts in both periods (see {@link segmentIndicators}).
 * @example segmentRows(counts, { hp, baselineStart, currentStart, asOf })
 */
export function segmentRows(counts: ReadonlyMap<string, { baseline: AreaCounts; current: AreaCounts }>, options: SegmentOptions): SegmentRow[] {
  const { hp } = options;
  const rows: SegmentRow[] = [];
  for (const [segment, both] of counts) {
    const areas = new Set([...both.baseline.keys(), ...both.current.keys()]);
    const count = (byArea: AreaCounts, periodStart: IsoDate) =>
      indicatorRows(new Map(byArea), { periodStart, periodMonths: hp.periodMonths, asOf: options.asOf, nationalGroups: hp.national.groups, areas });
    const b = count(both.baseline, options.baselineStart);
    const c = count(both.current, options.currentStart);
    // Both lists hold the same areas × indicators in the same order.
    b.forEach((br, i) => {
      const cr = c[i]!;
      if (segment.startsWith('age:') || br.indicator === 'opiate') {
        if (br.denominator > 0 || cr.denominator > 0) rows.push({ area_code: br.area_code, segment, indicator: br.indicator, baseline: br, current: cr });
      }
    });
  }
  return rows.sort((x, y) => compareCodePoint(x.area_code, y.area_code) || compareCodePoint(x.segment, y.segment) || compareCodePoint(x.indicator, y.indicator));
}
