/**
 * One scheme run for modelling: the outcome engine, then the payment rules. Runs of schemes that
 * share their outcome rules reuse the engine's results (only prices, contracts or payers differ).
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import { evaluateDataset, type ClientResult } from '../engine/index.js';
import { calculatePayments, type PaymentResult } from '../payments/index.js';
import type { Dataset } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';

/** A scheme run on a dataset: the engine's results and the payments. */
export interface PaymentRun {
  scheme: Scheme;
  asOf: IsoDate;
  clients: ClientResult[];
  payments: PaymentResult;
}

/**
 * The parts of a scheme that decide outcomes (everything but payments); two schemes with the same
 * key decide the same outcomes on the same data.
 * @example outcomeRulesKey(a) === outcomeRulesKey(b) // only prices differ
 */
export function outcomeRulesKey(scheme: Scheme): string {
  const { calendar, exitReasons, death, reasonCodes, outcomes } = scheme;
  return JSON.stringify({ calendar, exitReasons, death, reasonCodes, outcomes });
}

/**
 * Runs a scheme on a dataset as known at asOf. Pass `reuse` (an earlier run on the same data and
 * asOf) to skip the engine when the outcome rules are the same.
 * @example const run = paymentRun(data, presetScheme('national-model-2012'), { asOf: '2014-03-31' });
 */
export function paymentRun(data: Dataset, scheme: Scheme, options: { asOf: IsoDate; reuse?: PaymentRun }): PaymentRun {
  const { asOf, reuse } = options;
  const clients =
    reuse && reuse.asOf === asOf && outcomeRulesKey(reuse.scheme) === outcomeRulesKey(scheme) ? reuse.clients : evaluateDataset(data, scheme, { asOf }).clients;
  return { scheme, asOf, clients, payments: calculatePayments({ clients }, scheme, { asOf }) };
}
