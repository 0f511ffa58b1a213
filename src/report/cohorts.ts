/**
 * The cohort tariff for the report (R-PAY-3): the rates behind each cohort payment, summed per
 * measure (cohort × outcome) and period over providers, and per provider over periods. Built from
 * the cohort rates of a run (one per provider, cohort, outcome and period): counts and exact sums
 * per key, so parts add up.
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { Dec, ZERO, type Decimal } from '../money/amount.js';
import type { CohortRate } from '../payments/types.js';
import type { CohortTariff } from '../schema/scheme/tariff.js';

/** Members, met and earnings summed over some cohort rates. */
export interface CohortCell {
  /** Members counted (a journey in two providers' cohorts, or two periods, counts in each). */
  members: number;
  met: number;
  /** met ÷ members; undefined when there are no members. */
  rate: Decimal | undefined;
  /** Earned by the rates, before caps (as the cohort items were priced, rounded to the penny). */
  earned: Decimal;
  /** Provider-periods measured, and of those, how many reached a step (earned more than 0). */
  measured: number;
  paid: number;
}

/** One measure of the cohort tariff applied to one cohort. */
export interface CohortMeasureLine {
  cohort_id: string;
  outcome_id: string;
  /** period start → all providers. */
  periods: Map<IsoDate, CohortCell>;
  /** provider → all periods. */
  providers: Map<string, CohortCell>;
  all: CohortCell;
}

/** The cohort tariff's figures. */
export interface CohortPicture {
  /** Measures × cohorts, in the tariff's order (measures, then cohorts), those with a rate only. */
  lines: CohortMeasureLine[];
  /** Periods with a rate, in order. */
  periods: IsoDate[];
  /** Providers with a rate, code point order. */
  providers: string[];
  /** Earned by every rate, before caps. */
  earned: Decimal;
}

function emptyCell(): CohortCell {
  return { members: 0, met: 0, rate: undefined, earned: ZERO, measured: 0, paid: 0 };
}

function add(c: CohortCell, r: CohortRate): void {
  c.members += r.members;
  c.met += r.met;
  c.earned = c.earned.plus(r.amount);
  c.measured += 1;
  if (r.amount.greaterThan(0)) c.paid += 1;
}

function close(c: CohortCell): void {
  c.rate = c.members > 0 ? new Dec(c.met).dividedBy(c.members) : undefined;
}

/**
 * Cohort rates summed per measure and period (all providers) and per measure and provider (all
 * periods). The result does not depend on the order of the rates.
 * @example cohortPicture(payments.cohorts, scheme.cohortTariff).lines[0].all.earned.toFixed(2)
 */
export function cohortPicture(rates: readonly CohortRate[], tariff: Pick<CohortTariff, 'cohorts' | 'measures'> | undefined): CohortPicture {
  const lines = new Map<string, CohortMeasureLine>();
  const periods = new Set<IsoDate>();
  const providers = new Set<string>();
  let earned: Decimal = ZERO;
  for (const r of rates) {
    const k = `${r.outcome_id}\u0000${r.cohort_id}`;
    let l = lines.get(k);
    if (!l) lines.set(k, (l = { cohort_id: r.cohort_id, outcome_id: r.outcome_id, periods: new Map(), providers: new Map(), all: emptyCell() }));
    let p = l.periods.get(r.period_start);
    if (!p) l.periods.set(r.period_start, (p = emptyCell()));
    let v = l.providers.get(r.provider_id);
    if (!v) l.providers.set(r.provider_id, (v = emptyCell()));
    add(p, r);
    add(v, r);
    add(l.all, r);
    periods.add(r.period_start);
    providers.add(r.provider_id);
    earned = earned.plus(r.amount);
  }
  // The tariff's order: each measure with each of its cohorts; then anything else by code point.
  const order: string[] = [];
  for (const m of tariff?.measures ?? []) {
    for (const c of tariff?.cohorts ?? []) if (!m.cohorts || m.cohorts.includes(c.id)) order.push(`${m.outcome}\u0000${c.id}`);
  }
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  const keys = [...lines.keys()].sort((a, b) => rank(a) - rank(b) || compareCodePoint(a, b));
  const out = keys.map((k) => lines.get(k)!);
  for (const l of out) {
    for (const c of [...l.periods.values(), ...l.providers.values(), l.all]) close(c);
    l.periods = new Map([...l.periods].sort((a, b) => compareCodePoint(a[0], b[0])));
    l.providers = new Map([...l.providers].sort((a, b) => compareCodePoint(a[0], b[0])));
  }
  return { lines: out, periods: [...periods].sort(compareCodePoint), providers: [...providers].sort(compareCodePoint), earned };
}
