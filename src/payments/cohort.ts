/**
 * Cohort tariff (R-PAY-3, the Wigan model): for each provider, cohort (a group of tariff bands),
 * measured outcome and payment period, a rate is turned into a payment.
 *
 * - Window: `rolling` — the `months` months ending with the period's last day; `fixed` — consecutive
 *   blocks of `months` months from the contract start, paid in the block's last period.
 * - Members: journeys attributed to the provider (provider of the first episode, as for attachment,
 *   R-JNY-4), whose band (or the default band) is in the cohort, in treatment on any day of the
 *   window, and eligible for the outcome (any status except `not_eligible`). PHOF 2.15 style.
 * - Met: members whose outcome is `met` with achieved_on on or before the window's last day.
 * - Rate = met / members. Schedule: the highest step with minRate ≤ rate gives the price per
 *   member, paid × members; perPoint: (rate − baseline) × 100 points × pricePerPoint when positive.
 * - Payable on the period's last day, once that day is on or before asOf; rounded to the penny.
 * Because only decided facts on or before the window's end are used, a period's payment never
 * changes when asOf moves later (R-CAL-3).
 * @module
 */
import { addDays, addMonths, compareCodePoint, type IsoDate } from '../calendar/index.js';
import type { Journey } from '../journeys/index.js';
import { Dec, ZERO, decimal, money, roundToPenny, type Decimal, type RoundingMode } from '../money/amount.js';
import type { CohortMeasure, CohortTariff } from '../schema/scheme/tariff.js';
import { periodOf, type ContractCalendar } from './contract.js';
import type { ClientOutcomes, CohortRate, PayableItem } from './types.js';

/** One journey counted in a cohort (R-PAY-3). */
export interface CohortMember {
  start: IsoDate;
  end: IsoDate | undefined;
  /** outcome id → achieved_on if met, null if decided otherwise but eligible; absent = not eligible / not evaluated. */
  outcomes: Map<string, IsoDate | null>;
}

/**
 * The amount a rate earns under a measure (before rounding), and the step reached.
 * @example cohortAmount(measure, decimal('0.25'), 40) // { amount: 40 × price of the step ≤ 25%, step: '0.2' }
 */
export function cohortAmount(measure: CohortMeasure, rate: Decimal, members: number): { amount: Decimal; step: string | undefined } {
  if (measure.perPoint) {
    const points = rate.minus(decimal(measure.perPoint.baseline)).times(100);
    return { amount: points.greaterThan(0) ? points.times(money(measure.perPoint.pricePerPoint)) : ZERO, step: undefined };
  }
  let reached: { minRate: string; pricePerMember: string } | undefined;
  for (const s of measure.schedule) if (rate.greaterThanOrEqualTo(decimal(s.minRate))) reached = s;
  if (!reached) return { amount: ZERO, step: undefined };
  return { amount: money(reached.pricePerMember).times(members), step: reached.minRate };
}

/** Cohort members by provider and cohort, and the earliest member start (R-PAY-3). */
export interface CohortMembers {
  /** provider → cohort id → members. */
  groups: Map<string, Map<string, CohortMember[]>>;
  earliest: IsoDate | undefined;
}

/** {@link CohortMembers} as plain data (for another thread): `[provider, cohort, start, end, [outcome, achieved_on][]]` per member. */
export interface CohortMembersJson {
  earliest: IsoDate | undefined;
  members: [string, string, IsoDate, IsoDate | null, [string, IsoDate | null][]][];
}

/**
 * Cohort members as plain data, for a tally's `toJSON`.
 * @example cohortMembersJson({ groups: new Map(), earliest: undefined }) // { earliest: undefined, members: [] }
 */
export function cohortMembersJson(cohort: CohortMembers): CohortMembersJson {
  const members: CohortMembersJson['members'] = [];
  for (const [provider, byCohort] of cohort.groups) {
    for (const [cohortId, list] of byCohort) for (const m of list) members.push([provider, cohortId, m.start, m.end ?? null, [...m.outcomes]]);
  }
  return { earliest: cohort.earliest, members };
}

/**
 * Adds cohort members given as plain data (another partition's) to `into`: merging is the same as
 * having added those clients here.
 * @example mergeCohortMembers(mine, other.cohort)
 */
export function mergeCohortMembers(into: CohortMembers, json: CohortMembersJson): void {
  for (const [provider, cohortId, start, end, outcomes] of json.members) {
    let byCohort = into.groups.get(provider);
    if (!byCohort) into.groups.set(provider, (byCohort = new Map()));
    let list = byCohort.get(cohortId);
    if (!list) byCohort.set(cohortId, (list = []));
    list.push({ start, end: end ?? undefined, outcomes: new Map(outcomes) });
  }
  const e = json.earliest;
  if (e !== undefined && (into.earliest === undefined || e < into.earliest)) into.earliest = e;
}

/**
 * Adds the cohort members of some clients (journeys started by asOf whose band is in a cohort, with
 * their measured outcomes) to `into`. Clients may be added in any order and in several calls: the
 * national-scale runner collects members bucket by bucket.
 * @example const m = { groups: new Map(), earliest: undefined }; addCohortMembers(m, clients, tariff, undefined, '2014-03-31');
 */
export function addCohortMembers(
  into: CohortMembers,
  clients: readonly ClientOutcomes[],
  tariff: CohortTariff,
  defaultBand: string | undefined,
  asOf: IsoDate,
): void {
  const measured = new Set(tariff.measures.map((m) => m.outcome));
  const cohortOfBand = new Map<string, string>();
  for (const c of tariff.cohorts) for (const b of c.bands) if (!cohortOfBand.has(b)) cohortOfBand.set(b, c.id);
  const groups = into.groups;
  for (const c of clients) {
    const decided = new Map<string, Map<string, IsoDate | null>>();
    for (const d of c.decisions) {
      if (!measured.has(d.outcome_id) || d.status === 'not_eligible') continue;
      let m = decided.get(d.journey_id);
      if (!m) decided.set(d.journey_id, (m = new Map()));
      const v = d.status === 'met' && d.achieved_on !== undefined ? d.achieved_on : null;
      const prev = m.get(d.outcome_id);
      if (prev === undefined || (v !== null && (prev === null || v < prev))) m.set(d.outcome_id, v);
    }
    for (const j of c.journeys as readonly Journey[]) {
      if (j.start_date > asOf) continue;
      const band = j.tariff_band ?? defaultBand;
      const cohort = band === undefined ? undefined : cohortOfBand.get(band);
      if (cohort === undefined) continue;
      const provider = j.first_episode.provider_id;
      let byCohort = groups.get(provider);
      if (!byCohort) groups.set(provider, (byCohort = new Map()));
      let list = byCohort.get(cohort);
      if (!list) byCohort.set(cohort, (list = []));
      list.push({ start: j.start_date, end: j.end_date, outcomes: decided.get(j.journey_id) ?? new Map() });
      if (into.earliest === undefined || j.start_date < into.earliest) into.earliest = j.start_date;
    }
  }
}

/**
 * Cohort payment items and the rate behind each (R-PAY-3), for periods that ended on or before asOf.
 * @example const { items, rates } = cohortItems(result.clients, scheme.cohortTariff, cal, undefined, 'half_up', '2014-03-31');
 */
export function cohortItems(
  clients: readonly ClientOutcomes[],
  tariff: CohortTariff | undefined,
  cal: ContractCalendar,
  defaultBand: string | undefined,
  rounding: RoundingMode,
  asOf: IsoDate,
): { items: PayableItem[]; rates: CohortRate[] } {
  if (!tariff) return { items: [], rates: [] };
  const members: CohortMembers = { groups: new Map(), earliest: undefined };
  addCohortMembers(members, clients, tariff, defaultBand, asOf);
  return cohortItemsOf(members, tariff, cal, rounding, asOf);
}

/**
 * Cohort payment items and rates from members already collected (see {@link addCohortMembers}); the
 * rates in payment-result order (R-PAY-3).
 * @example cohortItemsOf(members, scheme.cohortTariff, cal, 'half_up', '2014-03-31')
 */
export function cohortItemsOf(
  members: CohortMembers,
  tariff: CohortTariff,
  cal: ContractCalendar,
  rounding: RoundingMode,
  asOf: IsoDate,
): { items: PayableItem[]; rates: CohortRate[] } {
  const items: PayableItem[] = [];
  const rates: CohortRate[] = [];
  const groups = members.groups;
  const earliest = members.earliest;
  if (earliest === undefined) return { items, rates };

  // Periods whose last day is on or before asOf (and, with a contract end, that start by then).
  const months = tariff.window.months;
  const first = cal.start ?? periodOf(cal, earliest);
  const periods: IsoDate[] = [];
  for (let k = 0; ; k++) {
    const ps = addMonths(first, k * cal.periodMonths);
    const last = addDays(addMonths(first, (k + 1) * cal.periodMonths), -1);
    if (last > asOf || (cal.end !== undefined && ps > cal.end)) break;
    periods.push(ps);
  }

  const providers = [...groups.keys()].sort(compareCodePoint);
  for (const provider of providers) {
    const byCohort = groups.get(provider)!;
    for (const cohort of tariff.cohorts) {
      const members = byCohort.get(cohort.id);
      if (!members) continue;
      for (const ps of periods) {
        const pe = addMonths(ps, cal.periodMonths); // exclusive end of the period
        let wStart: IsoDate;
        if (tariff.window.kind === 'rolling') wStart = addMonths(pe, -months);
        else {
          // Fixed windows from the anchor; pay only when this period closes a window.
          const n = Math.round(monthsBetween(cal.anchor, pe));
          if (n % months !== 0) continue;
          wStart = addMonths(pe, -months);
        }
        const wLast = addDays(pe, -1);
        for (const measure of tariff.measures) {
          if (measure.cohorts && !measure.cohorts.includes(cohort.id)) continue;
          let n = 0;
          let met = 0;
          for (const m of members) {
            if (m.start > wLast || (m.end !== undefined && m.end < wStart)) continue;
            const o = m.outcomes.get(measure.outcome);
            if (o === undefined) continue;
            n += 1;
            if (o !== null && o <= wLast) met += 1;
          }
          if (n === 0) continue;
          const rate = new Dec(met).dividedBy(n);
          const { amount: raw, step } = cohortAmount(measure, rate, n);
          const amount = roundToPenny(raw, rounding);
          const bandsLabel = cohort.bands.join('+');
          rates.push({
            provider_id: provider,
            cohort_id: cohort.id,
            outcome_id: measure.outcome,
            period_start: ps,
            window_start: wStart,
            window_end: wLast,
            members: n,
            met,
            rate,
            step,
            amount,
          });
          if (amount.isZero()) continue;
          items.push({
            item_id: `cohort|${provider}|${cohort.id}|${measure.outcome}|${ps}`,
            provider_id: provider,
            payment_type: 'cohort',
            outcome_id: measure.outcome,
            tariff_band: bandsLabel,
            payable_on: wLast,
            client_id: '',
            journey_id: '',
            amount,
          });
        }
      }
    }
  }
  return { items, rates: rates.sort(compareCohortRates) };
}

/** Whole months from `a` to `b` (both period starts on the same grid). */
function monthsBetween(a: IsoDate, b: IsoDate): number {
  return (+b.slice(0, 4) - +a.slice(0, 4)) * 12 + (+b.slice(5, 7) - +a.slice(5, 7));
}

/**
 * The order of cohort rates as {@link cohortItemsOf} gives them (R-PAY-3): provider, period,
 * cohort, outcome, each in code point order — so the same whether payments are worked out at once
 * or tallied client by client.
 */
function compareCohortRates(a: CohortRate, b: CohortRate): number {
  return (
    compareCodePoint(a.provider_id, b.provider_id) ||
    compareCodePoint(a.period_start, b.period_start) ||
    compareCodePoint(a.cohort_id, b.cohort_id) ||
    compareCodePoint(a.outcome_id, b.outcome_id)
  );
}
