/**
 * Tariffs, contracts, payers and cohort tariffs in a scheme (SPEC §3.4, R-PAY-1..8).
 * The payment rules that read these sections live in `src/payments`.
 * @module
 */
import * as z from 'zod';
import { decimal } from '../../money/amount.js';
import { DateString, Id, Money, PositiveCount, Share, type SchemeProblem } from './common.js';

/** Rounding of each payable item to the penny (R-PAY-1); default half-up. */
export const Rounding = z.enum(['half_up', 'half_even', 'half_down', 'up', 'down']);
/** A rounding mode name. */
export type Rounding = z.output<typeof Rounding>;

/** Prices by tariff band, e.g. `{ "1": "150.00", "2": "225.00" }`. */
export const BandPrices = z.record(z.string().min(1), Money);

/** Per-client tariff (R-PAY-2): attachment and outcome prices by band. */
export const Tariff = z.strictObject({
  bands: z.array(z.string().min(1)).min(1, 'list the tariff bands, e.g. ["1", "2", "3"]'),
  defaultBand: z.string().min(1).optional().describe('Band used for journeys without one; none = unbanded journeys are not paid'),
  rounding: Rounding.default('half_up').describe('R-PAY-1: how each payable item is rounded to the penny when created'),
  attachment: BandPrices.optional().describe('Paid on journey start, to the provider of the first episode'),
  outcomes: z.record(Id, BandPrices).default({}).describe('Outcome id → band → price, paid on achieved_on'),
  sustainment: z.record(Id, BandPrices).default({}).describe('Outcome id → band → price of each sustainment payment (R-OUT-5)'),
  maxPerClientPerYear: z
    .record(Id, PositiveCount)
    .default({})
    .describe(
      'R-OUT-10: outcome id → most payments of it per client per contract year (earliest achieved_on first; the rest are not paid and are counted as over_client_limit). Without it an outcome is paid at most once per journey.',
    ),
});
/** A per-client tariff. */
export type Tariff = z.output<typeof Tariff>;

/** A provider's contract terms (R-PAY-4). */
export const ContractTerms = z.strictObject({
  annualValue: Money.describe('Contract value per contract year'),
  pbrShare: Share.describe('Share of the value at risk on results; the rest is paid in fixed instalments'),
  cap: Money.optional().describe('Most that results-based payments may reach in a contract year'),
});
/** A provider's contract terms. */
export type ContractTerms = z.output<typeof ContractTerms>;

/** The results-based payment types (everything except `fixed`). */
export const RESULTS_PAYMENT_TYPES = ['attachment', 'outcome', 'sustainment', 'cohort'] as const;

/** Contract dates, periods and terms per provider (R-PAY-4, R-PAY-5, R-PAY-8). */
export const Contract = z.strictObject({
  start: DateString.optional().describe(
    'Contract start: periods and contract years count from it; items before it are not paid. Without it, periods and contract years run from 1 April',
  ),
  end: DateString.optional().describe('Contract end (inclusive); items after it are not paid'),
  period: z.enum(['monthly', 'quarterly']).default('quarterly'),
  providers: z.record(z.string().min(1), ContractTerms).default({}),
  defaultTerms: ContractTerms.optional().describe('Terms for providers not listed (every provider seen in the data)'),
  capCovers: z
    .array(z.enum(RESULTS_PAYMENT_TYPES))
    .default([...RESULTS_PAYMENT_TYPES])
    .describe('Payment types that count against the cap (R-PAY-4); default all results-based types'),
  fixedThrough: z
    .enum(['contract_year', 'period'])
    .default('contract_year')
    .describe(
      'Which fixed instalments a run shows: contract_year = every instalment of each contract year that has started by asOf; period = only those of periods that have started by asOf',
    ),
});
/** Contract settings. */
export type Contract = z.output<typeof Contract>;

/** A payer and its share of every payment (R-PAY-6). */
export const Payer = z.strictObject({ id: Id, share: Share });
/** A payer. */
export type Payer = z.output<typeof Payer>;

/** A rate threshold of a cohort schedule: at or above `minRate`, `pricePerMember` per cohort member. */
export const CohortStep = z.strictObject({ minRate: Share, pricePerMember: Money });
/** A rate threshold of a cohort schedule. */
export type CohortStep = z.output<typeof CohortStep>;

/** One rate a cohort tariff pays for: an outcome's met / eligible rate and how it becomes money. */
export const CohortMeasure = z.strictObject({
  outcome: Id.describe('Outcome whose met / eligible rate is paid for'),
  cohorts: z
    .array(Id)
    .min(1)
    .optional()
    .describe('Cohort ids this schedule applies to (default: every cohort), so each cohort may have its own schedule'),
  schedule: z
    .array(CohortStep)
    .default([])
    .describe('Rate thresholds, lowest first: the highest step reached gives the price per cohort member'),
  perPoint: z
    .strictObject({ baseline: Share, pricePerPoint: Money })
    .optional()
    .describe('Alternative to schedule: price per percentage point of the rate above a baseline rate'),
});
/** One measure of a cohort tariff. */
export type CohortMeasure = z.output<typeof CohortMeasure>;

/** Cohort tariff (R-PAY-3, Wigan-style): per provider, cohort (band group) and period. */
export const CohortTariff = z.strictObject({
  cohorts: z
    .array(z.strictObject({ id: Id, title: z.string().optional(), bands: z.array(z.string().min(1)).min(1) }))
    .min(1),
  window: z
    .strictObject({
      kind: z.enum(['rolling', 'fixed']).default('rolling'),
      months: PositiveCount.default(12),
    })
    .default({ kind: 'rolling', months: 12 })
    .describe('rolling: each period pays on the window of `months` ending with it; fixed: consecutive windows from the contract start, paid in their last period'),
  measures: z.array(CohortMeasure).min(1, 'list at least one measure (an outcome and its rate schedule)'),
});
/** A cohort tariff. */
export type CohortTariff = z.output<typeof CohortTariff>;

interface OutcomeLike {
  id: string;
  primitives?: readonly { type: string; sustainment?: unknown }[];
}

/**
 * Cross-checks of the payment sections against the rest of the scheme (R-VAL-4), every problem by path.
 * @example tariffProblems(schemeOutput) // [{ path: 'tariff.defaultBand', message: "'4' is not one of the bands 1, 2, 3" }]
 */
export function tariffProblems(scheme: {
  outcomes: readonly OutcomeLike[];
  tariff?: Tariff | undefined;
  contract?: Contract | undefined;
  payers?: Payer[] | undefined;
  cohortTariff?: CohortTariff | undefined;
}): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const byId = new Map(scheme.outcomes.map((o) => [o.id, o]));
  const t = scheme.tariff;
  const bands = new Set(t?.bands ?? []);
  if (t) {
    t.bands.forEach((b, i) => {
      if (t.bands.indexOf(b) !== i) problems.push({ path: `tariff.bands[${i}]`, message: `band '${b}' is listed twice` });
    });
    if (t.defaultBand !== undefined && !bands.has(t.defaultBand)) {
      problems.push({ path: 'tariff.defaultBand', message: `'${t.defaultBand}' is not one of the bands ${t.bands.join(', ')}` });
    }
    const checkPrices = (path: string, prices: Record<string, string>) => {
      for (const b of Object.keys(prices)) {
        if (!bands.has(b)) problems.push({ path: `${path}.${b}`, message: `band '${b}' is not one of the bands ${t.bands.join(', ')}` });
      }
      for (const b of t.bands) {
        if (!(b in prices)) problems.push({ path, message: `no price for band '${b}'` });
      }
    };
    if (t.attachment) checkPrices('tariff.attachment', t.attachment);
    for (const [section, table] of [['outcomes', t.outcomes], ['sustainment', t.sustainment]] as const) {
      for (const [id, prices] of Object.entries(table)) {
        if (!byId.has(id)) problems.push({ path: `tariff.${section}.${id}`, message: `no outcome '${id}' is defined in this scheme` });
        checkPrices(`tariff.${section}.${id}`, prices);
      }
    }
    for (const id of Object.keys(t.sustainment)) {
      const o = byId.get(id);
      if (o?.primitives && !o.primitives.some((p) => p.type === 'sustained_employment' && p.sustainment !== undefined)) {
        problems.push({
          path: `tariff.sustainment.${id}`,
          message: `outcome '${id}' has no sustained_employment primitive with sustainment (R-OUT-5), so nothing would be paid`,
        });
      }
    }
    for (const id of Object.keys(t.maxPerClientPerYear)) {
      if (!byId.has(id)) problems.push({ path: `tariff.maxPerClientPerYear.${id}`, message: `no outcome '${id}' is defined in this scheme` });
    }
  }
  const c = scheme.contract;
  if (c) {
    const hasTerms = Object.keys(c.providers).length > 0 || c.defaultTerms !== undefined;
    if (hasTerms && c.start === undefined) {
      problems.push({ path: 'contract.start', message: 'is required when contract terms are given: contract years, instalments and caps count from it' });
    }
    c.capCovers.forEach((x, i) => {
      if (c.capCovers.indexOf(x) !== i) problems.push({ path: `contract.capCovers[${i}]`, message: `'${x}' is listed twice` });
    });
  }
  if (scheme.payers) {
    const sum = scheme.payers.reduce((s, p) => s.plus(decimal(p.share)), decimal(0));
    if (!sum.equals(1)) problems.push({ path: 'payers', message: `payer shares must add up to exactly 1 (they add up to ${sum.toString()})` });
    if (scheme.payers.every((p) => decimal(p.share).isZero())) problems.push({ path: 'payers', message: 'at least one payer needs a share above 0' });
    const seen = new Set<string>();
    scheme.payers.forEach((p, i) => {
      if (seen.has(p.id)) problems.push({ path: `payers[${i}].id`, message: `payer '${p.id}' is listed twice` });
      seen.add(p.id);
    });
  }
  const ct = scheme.cohortTariff;
  if (ct) {
    const cohortOfBand = new Map<string, string>();
    const ids = new Set<string>();
    ct.cohorts.forEach((co, i) => {
      if (ids.has(co.id)) problems.push({ path: `cohortTariff.cohorts[${i}].id`, message: `cohort '${co.id}' is listed twice` });
      ids.add(co.id);
      co.bands.forEach((b, j) => {
        if (t && !bands.has(b)) problems.push({ path: `cohortTariff.cohorts[${i}].bands[${j}]`, message: `band '${b}' is not one of the bands ${t.bands.join(', ')}` });
        const other = cohortOfBand.get(b);
        if (other !== undefined) {
          problems.push({ path: `cohortTariff.cohorts[${i}].bands[${j}]`, message: `band '${b}' is already in cohort '${other}': a journey may be in one cohort only` });
        } else cohortOfBand.set(b, co.id);
      });
    });
    const periodMonths = c?.period === 'monthly' ? 1 : 3;
    if (ct.window.kind === 'fixed' && ct.window.months % periodMonths !== 0) {
      problems.push({ path: 'cohortTariff.window.months', message: `a fixed window must be a whole number of payment periods (${periodMonths} months each)` });
    }
    ct.measures.forEach((m, i) => {
      const at = `cohortTariff.measures[${i}]`;
      if (!byId.has(m.outcome)) problems.push({ path: `${at}.outcome`, message: `no outcome '${m.outcome}' is defined in this scheme` });
      if (m.schedule.length === 0 && !m.perPoint) problems.push({ path: at, message: 'give a schedule of rate thresholds or a perPoint price' });
      if (m.schedule.length > 0 && m.perPoint) problems.push({ path: at, message: 'give either a schedule or a perPoint price, not both' });
      for (let j = 1; j < m.schedule.length; j++) {
        if (!decimal(m.schedule[j]!.minRate).greaterThan(decimal(m.schedule[j - 1]!.minRate))) {
          problems.push({ path: `${at}.schedule[${j}].minRate`, message: 'schedule steps must be listed with strictly rising minRate' });
        }
      }
      (m.cohorts ?? []).forEach((id, j) => {
        if (!ids.has(id)) problems.push({ path: `${at}.cohorts[${j}]`, message: `no cohort '${id}' is defined in cohortTariff.cohorts` });
      });
      const mine = m.cohorts ?? [...ids];
      const clash = ct.measures.slice(0, i).find((x) => x.outcome === m.outcome && (x.cohorts ?? [...ids]).some((id) => mine.includes(id)));
      if (clash) problems.push({ path: `${at}.outcome`, message: `outcome '${m.outcome}' is already measured for one of these cohorts` });
    });
  }
  return problems;
}
