/**
 * Outcome rates for the report: counts by outcome × tariff band and outcome × substance group,
 * accumulated decision by decision (so a streaming run can feed it), and the rate of each group
 * with its 95% Wilson interval.
 *
 * Rate (the evaluator's reading): **met ÷ (met + not met)**, i.e. of the journeys whose outcome
 * is decided and who were eligible for it. `not_eligible` journeys were never in the outcome's
 * population (e.g. no offence before the journey for reduced offending), and `pending` ones are not
 * decided yet; both are shown beside the rate, never inside it.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { wilsonInterval } from '../health-premium/stats.js';
import { Dec, type Decimal } from '../money/amount.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import type { StatusCounts } from '../output/summary.js';
import { OutcomeTally, type OutcomeBreakdown } from '../output/outcome-tally.js';
import { SUBSTANCE_GROUPS } from '../schema/codes.js';

/** The fields of an outcome decision the breakdown counts. */
export type CountedDecision = Pick<OutcomeDecision, 'outcome_id' | 'tariff_band' | 'substance_group' | 'status'>;

export type { OutcomeBreakdown };

/**
 * Accumulates outcome counts by band and by substance group, one decision at a time (the run's
 * {@link OutcomeTally}, seen from the report). The result does not depend on the order decisions
 * are added in.
 * @example
 * const counter = outcomeBreakdownCounter();
 * for (const d of run.decisions) counter.add(d);
 * const breakdown = counter.result();
 */
export function outcomeBreakdownCounter(): { add(d: CountedDecision): void; result(): OutcomeBreakdown } {
  const tally = new OutcomeTally();
  return { add: (d) => tally.add(d), result: () => tally.breakdown() };
}

/** One line of an outcome's rate table: a group of journeys, its counts, rate and interval. */
export interface RateLine {
  /** `all`, `band` or `substance_group`. */
  kind: 'all' | 'band' | 'substance_group';
  /** Band (`''` = no band), substance group, or `''` for all. */
  key: string;
  label: string;
  counts: StatusCounts;
  /** met + not_met: the rate's denominator. */
  decided: number;
  /** met ÷ decided; undefined when nothing is decided. */
  rate: Decimal | undefined;
  /** 95% Wilson interval of the rate. */
  lower: Decimal | undefined;
  upper: Decimal | undefined;
}

/** An outcome's rate lines: all journeys, then by band, then by substance group. */
export interface OutcomeRates {
  outcome_id: string;
  lines: RateLine[];
}

const GROUP_LABELS: Record<string, string> = {
  opiate: 'Opiate',
  non_opiate_and_alcohol: 'Non-opiate and alcohol',
  non_opiate: 'Non-opiate',
  alcohol: 'Alcohol',
};

/**
 * The rate line of a set of counts: met ÷ (met + not met) with its 95% Wilson interval.
 * @example rateLine('all', '', 'All journeys', { met: 5, not_met: 5, not_eligible: 2, pending: 1 }).rate?.toString() // '0.5'
 */
export function rateLine(kind: RateLine['kind'], key: string, label: string, counts: StatusCounts): RateLine {
  const decided = counts.met + counts.not_met;
  const w = wilsonInterval(counts.met, decided, '0.95');
  return {
    kind,
    key,
    label,
    counts: { ...counts },
    decided,
    rate: decided > 0 ? new Dec(counts.met).dividedBy(decided) : undefined,
    lower: w ? new Dec(w.lower) : undefined,
    upper: w ? new Dec(w.upper) : undefined,
  };
}

function add(a: StatusCounts, b: StatusCounts): StatusCounts {
  return { met: a.met + b.met, not_met: a.not_met + b.not_met, not_eligible: a.not_eligible + b.not_eligible, pending: a.pending + b.pending };
}

/**
 * Orders outcome ids: the scheme's own order first (domain 1 before the outcomes it gates), then
 * any others by code point.
 * @example orderOutcomes(['b', 'a', 'z'], ['b', 'a']) // ['b', 'a', 'z']
 */
export function orderOutcomes(ids: Iterable<string>, schemeOrder: readonly string[]): string[] {
  const all = new Set(ids);
  const first = schemeOrder.filter((id) => all.has(id));
  const rest = [...all].filter((id) => !schemeOrder.includes(id)).sort(compareCodePoint);
  return [...first, ...rest];
}

/**
 * Orders tariff bands: the tariff's band order, then others by code point, and no band last.
 * @example orderBands(['', '2', '1', 'x'], ['1', '2']) // ['1', '2', 'x', '']
 */
export function orderBands(bands: Iterable<string>, tariffBands: readonly string[] = []): string[] {
  const all = new Set(bands);
  const first = tariffBands.filter((b) => all.has(b));
  const rest = [...all].filter((b) => b !== '' && !tariffBands.includes(b)).sort(compareCodePoint);
  return [...first, ...rest, ...(all.has('') ? [''] : [])];
}

/**
 * The rate lines of every outcome in a breakdown: all journeys, each band, each substance group.
 * @example outcomeRates(breakdown, { outcomes: ['free-from-dependence'], bands: ['1', '2', '3'] })[0].lines[0].rate
 */
export function outcomeRates(breakdown: OutcomeBreakdown, order: { outcomes?: readonly string[]; bands?: readonly string[] } = {}): OutcomeRates[] {
  const ids = orderOutcomes([...Object.keys(breakdown.by_band), ...Object.keys(breakdown.by_substance_group)], order.outcomes ?? []);
  return ids.map((id) => {
    const bands = breakdown.by_band[id] ?? {};
    const groups = breakdown.by_substance_group[id] ?? {};
    const total = Object.values(bands).reduce(add, { met: 0, not_met: 0, not_eligible: 0, pending: 0 });
    const lines: RateLine[] = [rateLine('all', '', 'All journeys', total)];
    for (const b of orderBands(Object.keys(bands), order.bands)) lines.push(rateLine('band', b, b === '' ? 'No band' : `Band ${b}`, bands[b]!));
    const known = SUBSTANCE_GROUPS.filter((g) => groups[g]);
    const other = Object.keys(groups).filter((g) => !(SUBSTANCE_GROUPS as readonly string[]).includes(g)).sort(compareCodePoint);
    for (const g of [...known, ...other]) lines.push(rateLine('substance_group', g, GROUP_LABELS[g] ?? g, groups[g]!));
    return { outcome_id: id, lines };
  });
}

/**
 * A rate as a percentage with one decimal place, rounded half-up (the figure tables and charts show).
 * @example formatPercent(new Dec('0.12345')) // '12.3%'
 */
export function formatPercent(rate: Decimal | undefined): string {
  return rate === undefined ? '–' : `${new Dec(rate).times(100).toFixed(1)}%`;
}
