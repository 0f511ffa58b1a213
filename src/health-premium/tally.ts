/**
 * The Health Premium indicators of a whole data set, counted client by client (R-HP-1): each
 * client's entries (src/health-premium/indicators.ts `clientIndicators`) are added to area counts
 * per period and per segment, and tallies of parts of the clients merge by adding their counts. So
 * a national data set is counted in partitions, in worker threads, without holding its clients.
 * Browser-safe.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { ClientRecords, EvidencePresence } from '../evidence/index.js';
import type { HpGroup } from '../schema/scheme/health-premium.js';
import { addToAreaCounts, clientIndicators, indicatorRows, type AreaCounts, type IndicatorCount, type IndicatorScheme } from './indicators.js';
import { segmentCounts, segmentRows, segmentsOf, type SegmentRow } from './segments.js';

/** The periods and date of an indicator count. */
export interface IndicatorPeriods {
  baseline: IsoDate;
  current: IsoDate;
  asOf: IsoDate;
}

/** What the indicators of a data set are: both periods' counts, and the segments. */
export interface CountedIndicators {
  baseline: IndicatorCount[];
  current: IndicatorCount[];
  segments: SegmentRow[];
}

/** An {@link IndicatorTally} as plain data: [period (0 baseline, 1 current), segment ('' = all), area, group, denominator, numerator, pending]. */
export type IndicatorTallyJson = [number, string, string, HpGroup, number, number, number][];

/** Indicator counts of some clients, mergeable with those of others. */
export interface IndicatorTally {
  addClient(records: ClientRecords, present: EvidencePresence): void;
  merge(other: IndicatorTallyJson): void;
  toJSON(): IndicatorTallyJson;
  result(): CountedIndicators;
}

/**
 * A tally of the indicators of the baseline and current periods (with their segments) for a scheme
 * with a Health Premium section.
 * @example
 * const t = indicatorTally(scheme, { baseline: '2013-04-01', current: '2014-04-01', asOf: '2015-09-30' });
 * for (const records of clients) t.addClient(records, present);
 * t.result().current
 */
export function indicatorTally(scheme: IndicatorScheme, periods: IndicatorPeriods): IndicatorTally {
  const hp = scheme.healthPremium;
  const starts = [periods.baseline, periods.current];
  // Segment '' holds every client; the others, each segment's.
  const counts = new Map<string, { baseline: AreaCounts; current: AreaCounts }>();
  const which = (p: number) => (p === 0 ? 'baseline' : 'current');
  return {
    addClient(records, present) {
      for (const c of clientIndicators(records, scheme, { periods: starts, asOf: periods.asOf, present })) {
        for (const [p, start] of starts.entries()) {
          if (c.period_start !== start) continue;
          addToAreaCounts(segmentCounts(counts, '')[which(p)], c.area_code, c.group, c.completion);
          for (const s of segmentsOf(c, start, hp)) addToAreaCounts(segmentCounts(counts, s)[which(p)], c.area_code, c.group, c.completion);
        }
      }
    },
    merge(o) {
      for (const [p, segment, area, group, den, num, pending] of o) addToAreaCounts(segmentCounts(counts, segment)[which(p)], area, group, 'not_met', den, num, pending);
    },
    toJSON() {
      const out: IndicatorTallyJson = [];
      for (const [segment, both] of counts) {
        for (const [p, byArea] of [both.baseline, both.current].entries()) {
          for (const [area, groups] of byArea) for (const [group, t] of groups) if (t.denominator > 0) out.push([p, segment, area, group, t.denominator, t.numerator, t.pending]);
        }
      }
      return out;
    },
    result() {
      const all = segmentCounts(counts, '');
      const areas = new Set([...all.baseline.keys(), ...all.current.keys()]);
      const count = (byArea: AreaCounts, periodStart: IsoDate) =>
        indicatorRows(new Map(byArea), { periodStart, periodMonths: hp.periodMonths, asOf: periods.asOf, nationalGroups: hp.national.groups, areas });
      const segments = new Map([...counts].filter(([s]) => s !== ''));
      return {
        baseline: count(all.baseline, periods.baseline),
        current: count(all.current, periods.current),
        segments: segmentRows(segments, { hp, baselineStart: periods.baseline, currentStart: periods.current, asOf: periods.asOf }),
      };
    },
  };
}
