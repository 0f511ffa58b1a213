/**
 * Tariffs, contracts, payers and cohort tariffs in a scheme (SPEC §3.4, R-PAY-1..8).
 * @module
 */
import { z } from 'zod';
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
  rounding: Rounding.default('half_up'),
  attachment: BandPrices.optional().describe('Paid on journey start, to the provider of the first episode'),
  outcomes: z.record(Id, BandPrices).default({}).describe('Outcome id → band → price, paid on achieved_on'),
  sustainment: z.record(Id, BandPrices).default({}).describe('Outcome id → band → price of each sustainment payment (R-OUT-5)'),
  maxPerClientPerYear: z
    .record(Id, PositiveCount)
    .default({})
    .describe('Outcome id → most payments of it per client per contract year (R-OUT-10); default once per journey'),
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

/** Contract dates, periods and terms per provider (R-PAY-4, R-PAY-5, R-PAY-8). */
export const Contract = z.strictObject({
  start: DateString.optional().describe('Contract start: periods and contract years count from it; items before it are not paid'),
  end: DateString.optional().describe('Contract end (inclusive); items after it are not paid'),
  period: z.enum(['monthly', 'quarterly']).default('quarterly'),
  providers: z.record(z.string().min(1), ContractTerms).default({}),
  defaultTerms: ContractTerms.optional().describe('Terms for providers not listed'),
});
/** Contract settings. */
export type Contract = z.output<typeof Contract>;

/** A payer and its share of every payment (R-PAY-6). */
export const Payer = z.strictObject({ id: Id, share: Share });
/** A payer. */
export type Payer = z.output<typeof Payer>;

/** A rate threshold of a cohort schedule: at or above `minRate`, `pricePerMember` per cohort member. */
export const CohortStep = z.strictObject({ minRate: Share, pricePerMember: Money });

/** Cohort tariff (R-PAY-3, Wigan-style). */
export const CohortTariff = z.strictObject({
  outcome: Id.describe('Outcome whose met / eligible rate is paid for'),
  cohorts: z
    .array(z.strictObject({ id: Id, title: z.string().optional(), bands: z.array(z.string().min(1)).min(1) }))
    .min(1),
  window: z.strictObject({
    kind: z.enum(['rolling', 'fixed']).default('rolling'),
    months: PositiveCount.default(12),
  }),
  schedule: z.array(CohortStep).default([]),
  perPoint: z
    .strictObject({ baseline: Share, pricePerPoint: Money })
    .optional()
    .describe('Alternative to schedule: price per percentage point above a baseline rate'),
});
/** A cohort tariff. */
export type CohortTariff = z.output<typeof CohortTariff>;

/** Cross-checks of the payment sections against the rest of the scheme (R-VAL-4). */
export function tariffProblems(scheme: {
  outcomes: { id: string }[];
  tariff?: Tariff | undefined;
  payers?: Payer[] | undefined;
  cohortTariff?: CohortTariff | undefined;
}): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const ids = new Set(scheme.outcomes.map((o) => o.id));
  const t = scheme.tariff;
  if (t) {
    const bands = new Set(t.bands);
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
        if (!ids.has(id)) problems.push({ path: `tariff.${section}.${id}`, message: `no outcome '${id}' is defined in this scheme` });
        checkPrices(`tariff.${section}.${id}`, prices);
      }
    }
    for (const id of Object.keys(t.maxPerClientPerYear)) {
      if (!ids.has(id)) problems.push({ path: `tariff.maxPerClientPerYear.${id}`, message: `no outcome '${id}' is defined in this scheme` });
    }
  }
  if (scheme.payers) {
    const sum = scheme.payers.reduce((s, p) => s + Math.round(Number(p.share) * 1e9), 0);
    if (sum !== 1e9) problems.push({ path: 'payers', message: 'payer shares must add up to exactly 1' });
    const seen = new Set<string>();
    scheme.payers.forEach((p, i) => {
      if (seen.has(p.id)) problems.push({ path: `payers[${i}].id`, message: `payer '${p.id}' is listed twice` });
      seen.add(p.id);
    });
  }
  const c = scheme.cohortTariff;
  if (c) {
    if (!ids.has(c.outcome)) problems.push({ path: 'cohortTariff.outcome', message: `no outcome '${c.outcome}' is defined in this scheme` });
    if (c.schedule.length === 0 && !c.perPoint) problems.push({ path: 'cohortTariff', message: 'give a schedule of rate thresholds or a perPoint price' });
  }
  return problems;
}
