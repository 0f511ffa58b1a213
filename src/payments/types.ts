/**
 * Shapes of payable items, payment lines and `payments.csv` rows (SPEC §3.4, §4).
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { Journey } from '../journeys/index.js';
import type { Decimal } from '../money/amount.js';
import type { OutcomeDecision } from '../outcomes/types.js';

/** Payment types of `payments.csv` (SPEC §4). */
export const PAYMENT_TYPES = ['fixed', 'attachment', 'outcome', 'cohort', 'sustainment'] as const;
/** One payment type. */
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/**
 * One client's journeys and outcome decisions, as the outcome engine returns them
 * (`evaluateDataset(...).clients[i]`): all the payment rules need.
 */
export interface ClientOutcomes {
  client_id: string;
  journeys: readonly Journey[];
  decisions: readonly OutcomeDecision[];
}

/** What the payment rules read: every client's journeys and decisions. */
export interface PaymentInput {
  clients: readonly ClientOutcomes[];
}

/** One payable item, rounded to the penny when created (R-PAY-1). */
export interface PayableItem {
  /** Unique within a run, e.g. `outcome|C1|E1|free-from-dependence`; the last tie-break of every ordering. */
  item_id: string;
  provider_id: string;
  payment_type: PaymentType;
  /** Outcome paid for (outcome, sustainment; the measured outcome for cohort items); '' otherwise. */
  outcome_id: string;
  /** Band the price was taken from ('' for fixed; the cohort's bands joined by '+' for cohort items). */
  tariff_band: string;
  /** Payable date: journey start, achieved_on, sustainment date, last day of a cohort period, or instalment period start. */
  payable_on: IsoDate;
  /** '' for cohort and fixed items. */
  client_id: string;
  journey_id: string;
  /** The item's price, rounded to the penny. */
  amount: Decimal;
}

/** What happened to an item. */
export type LineStatus = 'payable' | 'outside_contract' | 'over_client_limit';

/** An item after the contract, the per-client limits and the cap: what is paid and what is cut. */
export interface PaymentLine extends PayableItem {
  status: LineStatus;
  /** Start of the payment period containing payable_on (R-PAY-5). */
  period_start: IsoDate;
  /** Start of the contract year containing payable_on. */
  contract_year: IsoDate;
  /** Amount paid (0 when not payable or cut by the cap). */
  paid: Decimal;
  /** Amount cut by the cap (R-PAY-4); `paid + capped = amount` for payable items. */
  capped: Decimal;
}

/** One row of `payments.csv` (SPEC §4); money stays Decimal until written. */
export interface PaymentRow {
  provider_id: string;
  payer: string;
  period_start: IsoDate;
  payment_type: PaymentType;
  outcome_id: string;
  tariff_band: string;
  /** Items in the row (a fully capped item still counts); repeated on each payer's row. */
  count: number;
  amount: Decimal;
  capped_amount: Decimal;
}

/** The rate of one cohort measure in one period (R-PAY-3), for explanations. */
export interface CohortRate {
  provider_id: string;
  cohort_id: string;
  outcome_id: string;
  period_start: IsoDate;
  /** Window the rate is measured over, [window_start, window_end] inclusive. */
  window_start: IsoDate;
  window_end: IsoDate;
  /** Eligible journeys in treatment during the window. */
  members: number;
  /** Of those, met by window_end. */
  met: number;
  rate: Decimal;
  /** The schedule step reached (its minRate), if any. */
  step: string | undefined;
  amount: Decimal;
}
