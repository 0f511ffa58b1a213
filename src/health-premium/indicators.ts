/**
 * PHOF 2.15-style indicators from episode data (R-HP-1): per area, 12-month period and group, the
 * clients in treatment (denominator) and those who completed successfully without re-presenting
 * within the follow-up (numerator), with a `provisional` status while any such completion's
 * follow-up is still open at asOf.
 *
 * Completion and re-presentation are decided by the outcome engine (R-OUT-1 + R-OUT-2 through
 * `decideJourney`, which also applies R-OUT-9 death as the scheme says), never re-implemented here.
 * @module
 */
import { addDays, addMonths, compareCodePoint, type IsoDate } from '../calendar/index.js';
import { evidenceAsOf, groupByClient, presenceOf, type ClientRecords, type EvidencePresence } from '../evidence/index.js';
import { buildJourneys, type Journey } from '../journeys/index.js';
import type { OutcomeContext } from '../outcomes/context.js';
import { decideJourney } from '../outcomes/decide.js';
import type { SubstanceGroup } from '../schema/codes.js';
import type { Dataset } from '../schema/dataset.js';
import { HP_GROUPS, type HealthPremium, type HpGroup } from '../schema/scheme/health-premium.js';
import type { Scheme } from '../schema/scheme/index.js';
import { OutcomeDefinition } from '../schema/scheme/outcomes.js';

/** The indicator of the opiate and non-opiate groups together (numerators and denominators summed). */
export const COMBINED = 'combined';

/** Where an indicator's figures stand at asOf. */
export type IndicatorStatus = 'final' | 'provisional';

/** A client's completion status for one period's numerator. */
export type CompletionStatus = 'met' | 'pending' | 'not_met';

/** One client counted in one period's indicators (a denominator member). */
export interface IndicatorClient {
  client_id: string;
  period_start: IsoDate;
  /** Area of the latest-starting journey in treatment in the period: that of its exit (or latest) episode (R-JNY-4). */
  area_code: string;
  group: HpGroup;
  /** That journey's own substance group (R-JNY-3). */
  substance_group: SubstanceGroup;
  /** The latest-starting journey in treatment in the period. */
  journey_id: string;
  /** `met`: in the numerator; `pending`: a completion in the period whose follow-up is still open. */
  completion: CompletionStatus;
  /** The journey that completed (met) or may still complete (pending). */
  completion_journey_id: string | undefined;
  /** When a pending completion is decided (blank when unknown). */
  due_on: IsoDate | undefined;
  /** age_at_start of that journey's first episode. */
  age_at_start: number | undefined;
  /** Start of the client's first journey in the data (as known at asOf). */
  first_journey_start: IsoDate;
}

/** Numerator and denominator of one indicator for one area and period. */
export interface IndicatorCount {
  area_code: string;
  /** `opiate`, `non_opiate`, `alcohol`, `combined`, or the national indicator's own name. */
  indicator: string;
  period_start: IsoDate;
  numerator: number;
  denominator: number;
  /** Completions whose follow-up is still open at asOf (not in the numerator yet). */
  pending: number;
  status: IndicatorStatus;
}

/**
 * The R-HP-1 group of a journey's substance group: both non-opiate groups count as `non_opiate`.
 * @example hpGroupOf('non_opiate_and_alcohol') // 'non_opiate'
 */
export function hpGroupOf(group: SubstanceGroup): HpGroup {
  return group === 'opiate' ? 'opiate' : group === 'alcohol' ? 'alcohol' : 'non_opiate';
}

/**
 * The name of the national indicator for its groups: `combined` for opiate + non-opiate, the group
 * itself for one group, else the groups joined by `+` (in R-HP-1 order).
 * @example nationalIndicatorName(['non_opiate', 'opiate']) // 'combined'
 */
export function nationalIndicatorName(groups: readonly HpGroup[]): string {
  const set = new Set(groups);
  const ordered = HP_GROUPS.filter((g) => set.has(g));
  if (ordered.length === 2 && set.has('opiate') && set.has('non_opiate')) return COMBINED;
  return ordered.join('+');
}

/**
 * Every indicator reported per area, in output order: the three groups, `combined`, and the national
 * indicator when it is something else.
 * @example indicatorNames(['opiate', 'non_opiate']) // ['alcohol', 'combined', 'non_opiate', 'opiate']
 */
export function indicatorNames(nationalGroups: readonly HpGroup[]): string[] {
  const names = new Set<string>([...HP_GROUPS, COMBINED, nationalIndicatorName(nationalGroups)]);
  return [...names].sort(compareCodePoint);
}

/** The groups an indicator sums. */
function groupsOf(indicator: string): HpGroup[] {
  if (indicator === COMBINED) return ['opiate', 'non_opiate'];
  return indicator.split('+') as HpGroup[];
}

/**
 * The last day of the period that starts on `start` ([start, start + months)).
 * @example periodLastDay('2015-04-01', 12) // '2016-03-31'
 */
export function periodLastDay(start: IsoDate, months: number): IsoDate {
  return addDays(addMonths(start, months), -1);
}

/**
 * The day every follow-up of completions in the period has closed: the last completion day plus the
 * follow-up months (R-OUT-2). The default asOf of a health premium run for the current period.
 * @example followUpClosesOn('2015-04-01', 12, 6) // '2016-09-30'
 */
export function followUpClosesOn(start: IsoDate, periodMonths: number, followUpMonths: number): IsoDate {
  return addMonths(periodLastDay(start, periodMonths), followUpMonths);
}

/**
 * The R-OUT-1 + R-OUT-2 outcome the indicator counts, as the engine's outcome definition (decided
 * by `decideJourney`, so death follows the scheme's R-OUT-9 rule too).
 * @example completionOutcome(hp).primitives.map((p) => p.type) // ['successful_completion', 'no_representation']
 */
export function completionOutcome(hp: HealthPremium): OutcomeDefinition {
  return OutcomeDefinition.parse({
    id: 'phof-2.15',
    title: `Successful completion without re-presentation within ${hp.followUpMonths} months`,
    primitives: [
      { type: 'successful_completion', requireOffSubstitution: hp.completion.requireOffSubstitution },
      { type: 'no_representation', months: hp.followUpMonths, scope: hp.completion.scope },
    ],
  });
}

/** Options of {@link indicatorClients}. */
export interface IndicatorOptions {
  /** First days of the periods to count. */
  periods: readonly IsoDate[];
  /** The run's date (R-CAL-2). */
  asOf: IsoDate;
}

/** The scheme parts the indicators need. */
export type IndicatorScheme = Pick<Scheme, 'calendar' | 'exitReasons' | 'death'> & { healthPremium: HealthPremium };

/** In treatment on some day of [from, to] (both inclusive): started by `to`, not discharged before `from`. */
function inTreatmentDuring(j: Journey, from: IsoDate, to: IsoDate): boolean {
  return j.start_date <= to && (j.end_date === undefined || j.end_date >= from);
}

/**
 * The clients in each period's indicators (R-HP-1), from episode data as known at asOf. A client is
 * counted when any journey is in treatment on any day of the period (a journey in treatment on one
 * day only — ending on the first day or starting on the last — counts); group and area are those of
 * the latest-starting such journey (area: that of its exit episode, or its latest episode while it
 * is open, as known at asOf: R-JNY-4).
 * The client is in the numerator when one of those journeys ended inside the period and met R-OUT-1
 * and R-OUT-2 (and R-OUT-9 as the scheme's `death.rule` says); `pending` when none met and one is
 * still undecided at asOf. Clients in client_id order; periods keyed by their first day.
 * @example
 * const byPeriod = indicatorClients(data, scheme, { periods: ['2014-04-01', '2015-04-01'], asOf: '2016-09-30' });
 * byPeriod.get('2015-04-01')?.filter((c) => c.completion === 'met').length
 */
export function indicatorClients(data: Dataset, scheme: IndicatorScheme, options: IndicatorOptions): Map<IsoDate, IndicatorClient[]> {
  const present = presenceOf(data);
  const out = new Map<IsoDate, IndicatorClient[]>([...new Set(options.periods)].map((p) => [p, []]));
  for (const records of groupByClient(data)) {
    for (const c of clientIndicators(records, scheme, { ...options, present })) out.get(c.period_start)!.push(c);
  }
  return out;
}

/**
 * The outcome list of {@link completionOutcome}, made once per Health Premium block rather than once
 * per client: a parse of the outcome's definition each time (about 2.6 µs), and a list made anew
 * had its journey plan worked out anew for each client.
 */
function completionOutcomes(hp: HealthPremium): OutcomeDefinition[] {
  let made = COMPLETION_OUTCOMES.get(hp);
  if (made === undefined) COMPLETION_OUTCOMES.set(hp, (made = [completionOutcome(hp)]));
  return made;
}
const COMPLETION_OUTCOMES = new WeakMap<HealthPremium, OutcomeDefinition[]>();

/**
 * One client's entries in each period's indicators (R-HP-1; see {@link indicatorClients}): one per
 * period in which a journey of theirs is in treatment. The per-client step of a run, so that the
 * indicators of a national data set are counted client by client.
 * @example clientIndicators(records, scheme, { periods: ['2015-04-01'], asOf: '2016-09-30', present })
 */
export function clientIndicators(records: ClientRecords, scheme: IndicatorScheme, options: IndicatorOptions & { present: EvidencePresence }): IndicatorClient[] {
  const hp = scheme.healthPremium;
  const outcomeScheme = { outcomes: completionOutcomes(hp), death: scheme.death };
  const periods = [...new Set(options.periods)].map((start) => ({ start, last: periodLastDay(start, hp.periodMonths) }));
  const out: IndicatorClient[] = [];
  const journeys = buildJourneys(records.episodes, {
    asOf: options.asOf,
    journeyGapDays: scheme.calendar.journeyGapDays,
    exitReasonMap: scheme.exitReasons,
  });
  if (journeys.length === 0) return out;
  const evidence = evidenceAsOf(records, options.present, options.asOf);
  const decided = new Map<Journey, { status: CompletionStatus; due_on: IsoDate | undefined }>();
  const decide = (journey: Journey) => {
    let d = decided.get(journey);
    if (!d) {
      // Only the status and due date are read: decided without notes, evidence or windows.
      const ctx: OutcomeContext = { journey, journeys, evidence, asOf: options.asOf, journeyGapDays: scheme.calendar.journeyGapDays, explain: false };
      const r = decideJourney(ctx, outcomeScheme)[0]!;
      d = { status: r.status === 'met' ? 'met' : r.status === 'pending' ? 'pending' : 'not_met', due_on: r.due_on };
      decided.set(journey, d);
    }
    return d;
  };
  for (const p of periods) {
    const during = journeys.filter((j) => inTreatmentDuring(j, p.start, p.last));
    if (during.length === 0) continue;
    // Journeys come in start order and never share a start date (R-JNY-1), so the last is the latest-starting.
    const latest = during[during.length - 1]!;
    let completion: CompletionStatus = 'not_met';
    let completionJourney: Journey | undefined;
    let due: IsoDate | undefined;
    for (const j of during) {
      if (j.end_date === undefined || j.end_date < p.start || j.end_date > p.last) continue;
      const d = decide(j);
      if (d.status === 'met') {
        completion = 'met';
        completionJourney = j;
        due = undefined;
        break;
      }
      if (d.status === 'pending' && completion === 'not_met') {
        completion = 'pending';
        completionJourney = j;
        due = d.due_on;
      }
    }
    out.push({
      client_id: records.client_id,
      period_start: p.start,
      area_code: latest.current_episode.area_code,
      group: hpGroupOf(latest.substance_group),
      substance_group: latest.substance_group,
      journey_id: latest.journey_id,
      completion,
      completion_journey_id: completionJourney?.journey_id,
      due_on: due,
      age_at_start: latest.first_episode.age_at_start,
      first_journey_start: journeys[0]!.start_date,
    });
  }
  return out;
}

/** Options of {@link countIndicators}. */
export interface CountOptions {
  periodStart: IsoDate;
  periodMonths: number;
  asOf: IsoDate;
  nationalGroups: readonly HpGroup[];
  /** Areas to report even when no client of theirs is in the list (0 out of 0). */
  areas?: Iterable<string>;
}

/**
 * Counts one period's indicators per area from its clients: every area gets a row for each of
 * {@link indicatorNames} (0 out of 0 when it has no such clients). A row is `provisional` while a
 * completion it could count is pending, or while the period is not over at asOf; else `final`.
 * Rows sorted by area_code, then indicator (code point).
 * @example countIndicators(byPeriod.get('2015-04-01')!, { periodStart: '2015-04-01', periodMonths: 12, asOf, nationalGroups: ['opiate', 'non_opiate'] })
 */
export function countIndicators(clients: readonly IndicatorClient[], options: CountOptions): IndicatorCount[] {
  const byArea: AreaCounts = new Map();
  for (const c of clients) addToAreaCounts(byArea, c.area_code, c.group, c.completion);
  return indicatorRows(byArea, options);
}

/** Counts of one group in one area: denominator, numerator, pending completions. */
export type GroupCounts = { numerator: number; denominator: number; pending: number };

/** Counts per area and group (what one period's indicators are made from). */
export type AreaCounts = Map<string, Map<HpGroup, GroupCounts>>;

function areaOf(byArea: AreaCounts, a: string): Map<HpGroup, GroupCounts> {
  let m = byArea.get(a);
  if (!m) byArea.set(a, (m = new Map(HP_GROUPS.map((g) => [g, { numerator: 0, denominator: 0, pending: 0 }]))));
  return m;
}

/**
 * Adds one client (or `n` clients) of an area, group and completion status to area counts.
 * @example addToAreaCounts(byArea, 'E08000001', 'opiate', 'met')
 */
export function addToAreaCounts(byArea: AreaCounts, area: string, group: HpGroup, completion: CompletionStatus, n = 1, numerator = completion === 'met' ? n : 0, pending = completion === 'pending' ? n : 0): void {
  const t = areaOf(byArea, area).get(group)!;
  t.denominator += n;
  t.numerator += numerator;
  t.pending += pending;
}

/**
 * One period's indicator rows from area counts: every area gets a row for each of
 * {@link indicatorNames}; `provisional` while a completion it could count is pending or the period
 * is not over at asOf. Rows sorted by area_code, then indicator (code point).
 * @example indicatorRows(byArea, { periodStart: '2015-04-01', periodMonths: 12, asOf, nationalGroups: ['opiate', 'non_opiate'] })
 */
export function indicatorRows(byArea: AreaCounts, options: CountOptions): IndicatorCount[] {
  const names = indicatorNames(options.nationalGroups);
  const periodOver = periodLastDay(options.periodStart, options.periodMonths) <= options.asOf;
  for (const a of options.areas ?? []) areaOf(byArea, a);
  const rows: IndicatorCount[] = [];
  for (const area of [...byArea.keys()].sort(compareCodePoint)) {
    const tallies = byArea.get(area)!;
    for (const indicator of names) {
      let numerator = 0;
      let denominator = 0;
      let pending = 0;
      for (const g of groupsOf(indicator)) {
        const t = tallies.get(g)!;
        numerator += t.numerator;
        denominator += t.denominator;
        pending += t.pending;
      }
      rows.push({
        area_code: area,
        indicator,
        period_start: options.periodStart,
        numerator,
        denominator,
        pending,
        status: pending > 0 || !periodOver ? 'provisional' : 'final',
      });
    }
  }
  return rows;
}

/** Indicators of the baseline and the current period from episode data. */
export interface ComputedIndicators {
  baseline: IndicatorCount[];
  current: IndicatorCount[];
  /** The clients behind them (for segmentation and explanations). */
  clients: { baseline: IndicatorClient[]; current: IndicatorClient[] };
}

/**
 * The baseline and current period indicators from episode data (R-HP-1), each reporting every area
 * seen in either period.
 * @example computeIndicators(data, scheme, { baseline: '2013-04-01', current: '2014-04-01', asOf: '2015-09-30' })
 */
export function computeIndicators(
  data: Dataset,
  scheme: IndicatorScheme,
  options: { baseline: IsoDate; current: IsoDate; asOf: IsoDate },
): ComputedIndicators {
  const hp = scheme.healthPremium;
  const byPeriod = indicatorClients(data, scheme, { periods: [options.baseline, options.current], asOf: options.asOf });
  const baselineClients = byPeriod.get(options.baseline)!;
  const currentClients = byPeriod.get(options.current)!;
  const areas = new Set([...baselineClients, ...currentClients].map((c) => c.area_code));
  const count = (clients: IndicatorClient[], periodStart: IsoDate) =>
    countIndicators(clients, { periodStart, periodMonths: hp.periodMonths, asOf: options.asOf, nationalGroups: hp.national.groups, areas });
  return {
    baseline: count(baselineClients, options.baseline),
    current: count(currentClients, options.current),
    clients: { baseline: baselineClients, current: currentClients },
  };
}
