/**
 * What one client was paid, line by line, and why not (or not in full): the payment rules of a run
 * (R-PAY-1, R-PAY-2, R-PAY-5, R-PAY-6, R-PAY-8, R-OUT-10) applied to the client's journeys and
 * decisions, with the caps (R-PAY-4) taken from the whole run — a cap depends on every client's
 * items, so the run's cut lines are passed in. The lines are those `payments.csv` sums: the
 * client's line for an item is the run's line for it.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { ClientResult } from '../engine/index.js';
import type { Journey } from '../journeys/index.js';
import { ZERO, formatMoney, formatPounds, money, type Decimal } from '../money/amount.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import { reasonText } from '../outcomes/reasons.js';
import { clientItems } from '../payments/items.js';
import { termsFor } from '../payments/contract.js';
import { DEFAULT_PAYERS, splitByPayers } from '../payments/payers.js';
import { linesBeforeCaps } from '../payments/index.js';
import { PAYMENT_TYPES, type PaymentLine, type PaymentType } from '../payments/types.js';
import type { Scheme } from '../schema/scheme/index.js';
import { RecoveryPbrError } from '../errors.js';

/** Why an item was not paid, or not paid in full. */
export type UnpaidReason =
  /** The outcome was not met (or not yet): its reason says why (gateways R-OUT-8 and death R-OUT-9 among them). */
  | 'not_met'
  /** The scheme has no tariff: it pays nothing per client. */
  | 'no_tariff'
  /** The tariff has no price for this payment (e.g. an outcome the cohort tariff pays, or one only counted). */
  | 'not_priced'
  /** R-PAY-2: the journey has no band and the tariff no default band. */
  | 'unbanded'
  /** The journey's band is not one of the tariff's bands, so it has no price. */
  | 'unknown_band'
  /** R-PAY-8: payable before the contract start. */
  | 'before_contract'
  /** R-PAY-8: payable after the contract end. */
  | 'after_contract'
  /** R-OUT-10: beyond the scheme's limit of payments of this outcome per client per contract year. */
  | 'over_client_limit'
  /** R-PAY-4: cut by the provider's cap for the contract year, in whole. */
  | 'capped'
  /** R-PAY-4: cut by the provider's cap in part (the item that reached the cap). */
  | 'part_capped';

/** What happened to one payment line of the client, in words a reader can check against `payments.csv`. */
export type ExplainedLineStatus = 'paid' | 'part_capped' | 'capped' | 'outside_contract' | 'over_client_limit';

/** One payment line of the client (money as plain decimals with 2 places, as in the CSV files). */
export interface ExplainedLine {
  payment_type: PaymentType;
  /** The outcome paid for ('' for an attachment). */
  outcome_id: string;
  provider_id: string;
  /** The band the price was taken from (the journey's, or the tariff's default). */
  tariff_band: string;
  payable_on: IsoDate;
  /** The payment period (R-PAY-5): the `period_start` of its `payments.csv` row. */
  period_start: IsoDate;
  contract_year: IsoDate;
  /** The price, rounded to the penny when the item is created (R-PAY-1). */
  amount: string;
  /** What is paid: `amount` unless cut by a cap or not payable. */
  paid: string;
  /** What the cap cut (R-PAY-4). */
  capped: string;
  status: ExplainedLineStatus;
  /**
   * How `paid` splits between the scheme's payers (R-PAY-6). `payments.csv` splits each row's
   * total, so with several payers a row's parts may differ from the sum of its items' parts by a penny.
   */
  payers: { payer: string; amount: string }[];
}

/** Why nothing (or less than the price) was paid for something. */
export interface UnpaidCause {
  reason: UnpaidReason;
  /** The rule that decided it. */
  rule: string;
  text: string;
}

/** The payment of one thing (a journey's attachment, or one outcome with its sustainment payments). */
export interface PaymentExplanation {
  /** Paid in all (2 places). */
  paid: string;
  lines: ExplainedLine[];
  /** Why nothing, or not everything, was paid; empty when every line was paid in full. */
  unpaid: UnpaidCause[];
}

/** What the client was paid in all, and what was not paid. */
export interface ClientPaymentSummary {
  /** False when the scheme prices nothing per client (no tariff). */
  priced: boolean;
  /** Paid for the client in all (2 places). */
  paid: string;
  /** Paid per provider, in provider order (2 places). */
  by_provider: { provider_id: string; paid: string }[];
  /** Paid per payment type, for the types paid (2 places). */
  by_type: { payment_type: PaymentType; paid: string }[];
  /**
   * Items not paid or not paid in full, by reason, with their number and the money left unpaid
   * when it is known (the price, or the part cut by a cap); unbanded and unknown-band items have
   * no price.
   */
  not_paid: { reason: UnpaidReason; rule: string; items: number; amount: string | undefined }[];
  /** Payments a scheme makes per provider rather than per client (cohort tariff, fixed part). */
  notes: string[];
}

/** The client's payments, explained. */
export interface ClientPayments {
  summary: ClientPaymentSummary;
  /** journey_id → the attachment's payment. */
  attachments: Map<string, PaymentExplanation>;
  /** journey_id + '\u0000' + outcome_id → the outcome's payment. */
  outcomes: Map<string, PaymentExplanation>;
}

/** Does the scheme cap this line (R-PAY-4: its type is covered and its provider has a cap)? */
function underCap(l: Pick<PaymentLine, 'payment_type' | 'provider_id'>, scheme: Pick<Scheme, 'contract'>): boolean {
  const covers: readonly string[] = scheme.contract?.capCovers ?? [];
  return covers.includes(l.payment_type) && termsFor(scheme.contract, l.provider_id)?.cap !== undefined;
}

/**
 * The client's payment lines before caps (`payable`, `outside_contract`, `over_client_limit`), as
 * a run makes them: the items of its journeys and met outcomes, contract dates, per-client limits.
 * @example clientLinesBeforeCaps(result, scheme, '2015-03-31').length
 */
export function clientLinesBeforeCaps(result: ClientResult, scheme: Scheme, asOf: IsoDate): PaymentLine[] {
  if (!scheme.tariff) return [];
  return linesBeforeCaps(clientItems([result], scheme.tariff, asOf).items, scheme);
}

/**
 * Whether the client's payments depend on a cap (R-PAY-4): then only the whole run says what is
 * cut, and {@link explainPayments} needs the run's lines (e.g. `runFolder(…, { keepCappedLinesOf })`).
 * @example if (dependsOnCaps(result, scheme, asOf)) capped = (await runFolder(dir, scheme, { asOf, keepCappedLinesOf: id })).cappedLines;
 */
export function dependsOnCaps(result: ClientResult, scheme: Scheme, asOf: IsoDate): boolean {
  return clientLinesBeforeCaps(result, scheme, asOf).some((l) => l.status === 'payable' && underCap(l, scheme));
}

const fmt = (d: Decimal) => formatMoney(d);

/** The client's final lines: before caps, then the run's cut for the lines under a cap. */
function finalLines(result: ClientResult, scheme: Scheme, asOf: IsoDate, runLines: readonly PaymentLine[] | undefined): PaymentLine[] {
  const byId = new Map<string, PaymentLine>();
  for (const l of runLines ?? []) if (l.client_id === result.client_id) byId.set(l.item_id, l);
  return clientLinesBeforeCaps(result, scheme, asOf).map((l) => {
    if (l.status !== 'payable') return { ...l, paid: ZERO, capped: ZERO };
    if (!underCap(l, scheme)) return { ...l, paid: l.amount, capped: ZERO };
    const cut = byId.get(l.item_id);
    if (!cut) {
      throw new RecoveryPbrError(
        'options',
        `client ${result.client_id}: ${l.item_id} is under a cap (R-PAY-4), which depends on every client's payments; pass the run's payment lines`,
      );
    }
    return cut;
  });
}

function statusOf(l: PaymentLine): ExplainedLineStatus {
  if (l.status !== 'payable') return l.status;
  if (l.capped.isZero()) return 'paid';
  return l.paid.isZero() ? 'capped' : 'part_capped';
}

/** Why a line was not paid in full, or undefined when it was. */
function causeOf(l: PaymentLine, scheme: Scheme, pounds: (d: Decimal) => string): UnpaidCause | undefined {
  const what = l.payment_type === 'attachment' ? 'the attachment' : l.payment_type === 'sustainment' ? `a sustainment payment` : 'the outcome payment';
  if (l.status === 'outside_contract') {
    const c = scheme.contract;
    const before = c?.start !== undefined && l.payable_on < c.start;
    return {
      reason: before ? 'before_contract' : 'after_contract',
      rule: 'R-PAY-8',
      text: before
        ? `${what} (${pounds(l.amount)}) was payable on ${l.payable_on}, before the contract started on ${c!.start}`
        : `${what} (${pounds(l.amount)}) was payable on ${l.payable_on}, after the contract ended on ${c?.end}`,
    };
  }
  if (l.status === 'over_client_limit') {
    const n = scheme.tariff?.maxPerClientPerYear[l.outcome_id];
    return {
      reason: 'over_client_limit',
      rule: 'R-OUT-10',
      text: `${what} (${pounds(l.amount)}) is beyond the scheme's limit of ${n} payment${n === 1 ? '' : 's'} of ${l.outcome_id} per client in the contract year from ${l.contract_year}`,
    };
  }
  if (l.capped.isZero()) return undefined;
  const cap = termsFor(scheme.contract, l.provider_id)?.cap;
  return l.paid.isZero()
    ? {
        reason: 'capped',
        rule: 'R-PAY-4',
        text: `${what} (${pounds(l.amount)}) was cut in full: provider ${l.provider_id} had reached its cap of ${cap === undefined ? '?' : pounds(money(cap))} for the contract year from ${l.contract_year} before ${l.payable_on}`,
      }
    : {
        reason: 'part_capped',
        rule: 'R-PAY-4',
        text: `${what} reached provider ${l.provider_id}'s cap of ${cap === undefined ? '?' : pounds(money(cap))} for the contract year from ${l.contract_year}: ${pounds(l.paid)} paid, ${pounds(l.capped)} cut`,
      };
}

/** The cohort tariff measures this outcome (then it is paid per provider and period, R-PAY-3). */
function cohortMeasures(scheme: Scheme, outcomeId: string): boolean {
  return scheme.cohortTariff?.measures.some((m) => m.outcome === outcomeId) ?? false;
}

/** Why an item that has no line was not priced (R-PAY-2), or undefined when the tariff prices it. */
function unpricedCause(
  scheme: Scheme,
  table: Record<string, string> | undefined,
  band: string | undefined,
  what: string,
  outcomeId: string | undefined,
): UnpaidCause | undefined {
  const t = scheme.tariff;
  if (!t) {
    return {
      reason: 'no_tariff',
      rule: 'R-PAY-2',
      text: scheme.cohortTariff ? `the scheme pays through its cohort tariff per provider and period (R-PAY-3), not per client` : 'the scheme has no tariff: it pays nothing per client',
    };
  }
  if (!table) {
    return outcomeId !== undefined && cohortMeasures(scheme, outcomeId)
      ? { reason: 'not_priced', rule: 'R-PAY-3', text: `the tariff has no price per client for ${what}: the cohort tariff pays for it per provider and period` }
      : { reason: 'not_priced', rule: 'R-PAY-2', text: `the tariff has no price for ${what}` };
  }
  const own = band;
  const used = own ?? t.defaultBand;
  if (used === undefined) {
    return { reason: 'unbanded', rule: 'R-PAY-2', text: `the journey has no tariff band and the tariff no default band, so ${what} has no price` };
  }
  if (!t.bands.includes(used) || table[used] === undefined) {
    return { reason: 'unknown_band', rule: 'R-PAY-2', text: `band '${used}' is not one of the tariff's bands (${t.bands.join(', ')}), so ${what} has no price` };
  }
  return undefined;
}

function explained(lines: readonly PaymentLine[], scheme: Scheme, pounds: (d: Decimal) => string): PaymentExplanation {
  const payers = scheme.payers ?? DEFAULT_PAYERS;
  let paid = ZERO;
  const out: ExplainedLine[] = [];
  const unpaid: UnpaidCause[] = [];
  for (const l of lines) {
    paid = paid.plus(l.paid);
    out.push({
      payment_type: l.payment_type,
      outcome_id: l.outcome_id,
      provider_id: l.provider_id,
      tariff_band: l.tariff_band,
      payable_on: l.payable_on,
      period_start: l.period_start,
      contract_year: l.contract_year,
      amount: fmt(l.amount),
      paid: fmt(l.paid),
      capped: fmt(l.capped),
      status: statusOf(l),
      payers: l.status === 'payable' ? splitByPayers(l.paid, payers).map((p) => ({ payer: p.payer, amount: fmt(p.amount) })) : [],
    });
    const c = causeOf(l, scheme, pounds);
    if (c) unpaid.push(c);
  }
  return { paid: fmt(paid), lines: out, unpaid };
}

/** The rule behind a decision's reason: the gateway, death, or the step that failed. */
function decisionRule(d: OutcomeDecision): string {
  if (d.reason === 'gateway_not_met' || d.reason === 'gateway_pending') return 'R-OUT-8';
  if (d.reason === 'died') return 'R-OUT-9';
  const step = d.steps.find((s) => s.status === d.status && s.reason === d.reason) ?? d.steps.find((s) => s.status !== 'met');
  return step?.rule ?? 'R-OUT-10';
}

/**
 * The client's payments explained: per journey its attachment, per journey and outcome its payment
 * lines (amount, period, payer, provider) or why nothing was paid, and the client's totals.
 * `runLines`: the run's lines under a cap (or all its lines), needed when {@link dependsOnCaps}.
 * `pounds` formats money in the texts (default `£1,234.50`).
 * @example explainPayments(result, scheme, '2015-03-31').summary.paid // '1300.00'
 */
export function explainPayments(
  result: ClientResult,
  scheme: Scheme,
  asOf: IsoDate,
  options: { runLines?: readonly PaymentLine[]; pounds?: (d: Decimal) => string } = {},
): ClientPayments {
  const pounds = options.pounds ?? formatPounds;
  const lines = finalLines(result, scheme, asOf, options.runLines);
  const tariff = scheme.tariff;
  const attachments = new Map<string, PaymentExplanation>();
  const outcomes = new Map<string, PaymentExplanation>();
  const journeys = new Map<string, Journey>(result.journeys.map((j) => [j.journey_id, j]));
  for (const j of result.journeys) {
    const mine = lines.filter((l) => l.payment_type === 'attachment' && l.journey_id === j.journey_id);
    const x = explained(mine, scheme, pounds);
    if (mine.length === 0) {
      const c = unpricedCause(scheme, tariff?.attachment, j.tariff_band, 'the attachment', undefined);
      if (c) x.unpaid.push(c);
    }
    attachments.set(j.journey_id, x);
  }
  // Each outcome is paid at most once per journey (R-OUT-10): the earliest met decision.
  const paidDecision = new Map<string, OutcomeDecision>();
  for (const d of result.decisions) {
    if (d.status !== 'met') continue;
    const k = `${d.journey_id}\u0000${d.outcome_id}`;
    const prev = paidDecision.get(k);
    if (!prev || d.achieved_on! < prev.achieved_on!) paidDecision.set(k, d);
  }
  for (const d of result.decisions) {
    const k = `${d.journey_id}\u0000${d.outcome_id}`;
    const mine = lines.filter((l) => (l.payment_type === 'outcome' || l.payment_type === 'sustainment') && l.journey_id === d.journey_id && l.outcome_id === d.outcome_id);
    const x = explained(d.status === 'met' && paidDecision.get(k) === d ? mine : [], scheme, pounds);
    if (d.status !== 'met') {
      const status = d.status.replace('_', ' ');
      x.unpaid.push({
        reason: 'not_met',
        rule: decisionRule(d),
        text: `the outcome is ${status}${d.due_on ? ` (due ${d.due_on})` : ''}${d.reason ? `: ${reasonText(d.reason, scheme.reasonCodes)}` : ''}`,
      });
    } else if (paidDecision.get(k) !== d) {
      x.unpaid.push({ reason: 'not_met', rule: 'R-OUT-10', text: 'an earlier decision of the same outcome on this journey is the one paid' });
    } else if (!mine.some((l) => l.payment_type === 'outcome')) {
      const j = journeys.get(d.journey_id);
      const c = unpricedCause(scheme, tariff?.outcomes[d.outcome_id], j?.tariff_band ?? d.tariff_band, `outcome ${d.outcome_id}`, d.outcome_id);
      // An outcome priced only by its sustainment payments is not "unpaid" for want of an outcome price.
      if (c && !(c.reason === 'not_priced' && tariff?.sustainment[d.outcome_id] !== undefined)) x.unpaid.push(c);
    }
    outcomes.set(k, x);
  }
  return { summary: summaryOf(lines, attachments, outcomes, result, scheme), attachments, outcomes };
}

function summaryOf(
  lines: readonly PaymentLine[],
  attachments: ReadonlyMap<string, PaymentExplanation>,
  outcomes: ReadonlyMap<string, PaymentExplanation>,
  result: ClientResult,
  scheme: Scheme,
): ClientPaymentSummary {
  let paid = ZERO;
  const byProvider = new Map<string, Decimal>();
  const byType = new Map<PaymentType, Decimal>();
  const notPaid = new Map<UnpaidReason, { rule: string; items: number; amount: Decimal | undefined }>();
  const count = (reason: UnpaidReason, rule: string, amount: Decimal | undefined) => {
    const n = notPaid.get(reason) ?? { rule, items: 0, amount: amount === undefined ? undefined : ZERO };
    n.items += 1;
    if (amount !== undefined) n.amount = (n.amount ?? ZERO).plus(amount);
    notPaid.set(reason, n);
  };
  for (const l of lines) {
    paid = paid.plus(l.paid);
    if (l.status === 'payable') {
      byProvider.set(l.provider_id, (byProvider.get(l.provider_id) ?? ZERO).plus(l.paid));
      if (!l.paid.isZero()) byType.set(l.payment_type, (byType.get(l.payment_type) ?? ZERO).plus(l.paid));
    }
    if (l.status === 'outside_contract') {
      const before = scheme.contract?.start !== undefined && l.payable_on < scheme.contract.start;
      count(before ? 'before_contract' : 'after_contract', 'R-PAY-8', l.amount);
    } else if (l.status === 'over_client_limit') count('over_client_limit', 'R-OUT-10', l.amount);
    else if (!l.capped.isZero()) count(l.paid.isZero() ? 'capped' : 'part_capped', 'R-PAY-4', l.capped);
  }
  // Items with no price, from the per-journey and per-outcome explanations.
  for (const x of [...attachments.values(), ...outcomes.values()]) {
    for (const c of x.unpaid) if (c.reason === 'unbanded' || c.reason === 'unknown_band') count(c.reason, c.rule, undefined);
  }
  const notes: string[] = [];
  if (scheme.cohortTariff && result.journeys.length > 0) {
    notes.push('The scheme also pays a cohort tariff per provider and period on the rate of its cohort (R-PAY-3): not per client, so not shown here (see payments.csv).');
  }
  if (scheme.contract && (scheme.contract.defaultTerms !== undefined || Object.keys(scheme.contract.providers).length > 0)) {
    notes.push("Fixed payments (the part of a provider's contract value not paid by results, R-PAY-4) are paid per provider and period, not per client.");
  }
  return {
    priced: scheme.tariff !== undefined,
    paid: fmt(paid),
    by_provider: [...byProvider.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([provider_id, p]) => ({ provider_id, paid: fmt(p) })),
    by_type: PAYMENT_TYPES.filter((t) => byType.has(t)).map((t) => ({ payment_type: t, paid: fmt(byType.get(t)!) })),
    not_paid: [...notPaid.entries()].map(([reason, n]) => ({ reason, rule: n.rule, items: n.items, amount: n.amount === undefined ? undefined : fmt(n.amount) })),
    notes,
  };
}
