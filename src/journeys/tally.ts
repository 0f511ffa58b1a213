/**
 * Journey counts for a data check (`recovery-pbr validate`): journeys open and closed by substance
 * group and exit class (R-JNY-2, R-JNY-3, SPEC §2.1), added client by client and mergeable, so a
 * folder checked in buckets gives the same counts as one checked whole.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import { EXIT_CLASSES, SUBSTANCE_GROUPS, type SubstanceGroup } from '../schema/codes.js';
import type { Episode } from '../schema/records.js';
import type { Journey } from './index.js';

/**
 * Counts of one substance group: journeys, open, closed, then closed by exit class in
 * {@link EXIT_CLASSES} order, then closed with an exit reason of no known class.
 */
export type JourneyGroupCounts = number[];

/** Journeys of a dataset as known at a date, counted. */
export interface JourneyTally {
  /** Clients with at least one journey. */
  clients: number;
  /** Substance group → counts (see {@link JourneyGroupCounts}); groups without journeys absent. */
  groups: Partial<Record<SubstanceGroup, JourneyGroupCounts>>;
  /** The latest start or discharge date among the episodes counted (also those starting after asOf). */
  latest: IsoDate | undefined;
  /** Episodes that start after the asOf the journeys were built at (not in any journey). */
  later: number;
  /** Journeys by their own tariff band ('' for none), e.g. to find bands a tariff does not price. */
  bands: Record<string, number>;
}

/**
 * An empty tally.
 * @example emptyJourneyTally().clients // 0
 */
export function emptyJourneyTally(): JourneyTally {
  // No prototype: a band is any text, `__proto__` included.
  return { clients: 0, groups: {}, latest: undefined, later: 0, bands: Object.create(null) as Record<string, number> };
}

const WIDTH = 3 + EXIT_CLASSES.length + 1;

/**
 * Adds one client: its usable episodes and the journeys built from them as of `asOf` (`undefined`:
 * every episode counts, as when asOf is the latest date of all).
 * @example addClientJourneys(tally, episodes, buildJourneys(episodes, { asOf }), asOf)
 */
export function addClientJourneys(tally: JourneyTally, episodes: readonly Episode[], journeys: readonly Journey[], asOf: IsoDate | undefined): void {
  for (const e of episodes) {
    if (tally.latest === undefined || e.start_date > tally.latest) tally.latest = e.start_date;
    if (e.discharge_date !== undefined && e.discharge_date > tally.latest) tally.latest = e.discharge_date;
    if (asOf !== undefined && e.start_date > asOf) tally.later++;
  }
  if (journeys.length > 0) tally.clients++;
  for (const j of journeys) {
    const band = j.tariff_band ?? '';
    tally.bands[band] = (tally.bands[band] ?? 0) + 1;
    const c = (tally.groups[j.substance_group] ??= new Array<number>(WIDTH).fill(0));
    c[0]!++;
    if (j.end_date === undefined) {
      c[1]!++;
      continue;
    }
    c[2]!++;
    const k = j.exit_class === undefined ? -1 : EXIT_CLASSES.indexOf(j.exit_class);
    c[k === -1 ? WIDTH - 1 : 3 + k]!++;
  }
}

/**
 * Adds the counts of `from` to `into` (tallies of disjoint sets of clients).
 * @example mergeJourneyTallies(total, bucketTally)
 */
export function mergeJourneyTallies(into: JourneyTally, from: JourneyTally): void {
  into.clients += from.clients;
  into.later += from.later;
  if (from.latest !== undefined && (into.latest === undefined || from.latest > into.latest)) into.latest = from.latest;
  for (const [band, n] of Object.entries(from.bands)) into.bands[band] = (into.bands[band] ?? 0) + n;
  for (const g of SUBSTANCE_GROUPS) {
    const f = from.groups[g];
    if (!f) continue;
    const c = (into.groups[g] ??= new Array<number>(WIDTH).fill(0));
    for (let i = 0; i < WIDTH; i++) c[i]! += f[i]!;
  }
}
