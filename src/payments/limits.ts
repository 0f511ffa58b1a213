/**
 * Per-client limits (R-OUT-10). The engine decides each outcome at most once per journey, so by
 * default an outcome is paid at most once per journey. `tariff.maxPerClientPerYear[outcome] = N`
 * adds: at most N payments of that outcome per client per contract year (the contract year of
 * achieved_on). A client's met decisions of the outcome that are inside the contract are taken by
 * achieved_on, then journey_id; the first N are paid, the rest are `over_client_limit` — their
 * outcome item and its sustainment items are not paid and are counted in `summary.json`.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { copyLine } from './caps.js';
import type { PaymentLine } from './types.js';

/**
 * Marks outcome and sustainment lines beyond a client's yearly limit as `over_client_limit`.
 * @example applyClientLimits(lines, { 'free-from-dependence': 1 })
 */
export function applyClientLimits(lines: readonly PaymentLine[], limits: Readonly<Record<string, number>>): PaymentLine[] {
  if (Object.keys(limits).length === 0) return [...lines];
  // The paying decision of a journey is its outcome line (or, with no outcome price, its first sustainment line).
  const decisions = new Map<string, PaymentLine>(); // client|journey|outcome → the decision's outcome line
  for (const l of lines) {
    if (l.status !== 'payable' || (l.payment_type !== 'outcome' && l.payment_type !== 'sustainment')) continue;
    if (limits[l.outcome_id] === undefined) continue;
    const key = `${l.client_id}\u0000${l.journey_id}\u0000${l.outcome_id}`;
    const prev = decisions.get(key);
    if (!prev || (l.payment_type === 'outcome' && prev.payment_type !== 'outcome') || (l.payment_type === prev.payment_type && l.payable_on < prev.payable_on)) {
      decisions.set(key, l);
    }
  }
  // client|outcome|contract year → decisions in order
  const groups = new Map<string, PaymentLine[]>();
  for (const l of decisions.values()) {
    const key = `${l.client_id}\u0000${l.outcome_id}\u0000${l.contract_year}`;
    const list = groups.get(key);
    if (list) list.push(l);
    else groups.set(key, [l]);
  }
  const over = new Set<string>(); // client|journey|outcome over the limit
  for (const list of groups.values()) {
    const n = limits[list[0]!.outcome_id]!;
    list.sort((a, b) => (a.payable_on !== b.payable_on ? (a.payable_on < b.payable_on ? -1 : 1) : compareCodePoint(a.journey_id, b.journey_id)));
    for (const l of list.slice(n)) over.add(`${l.client_id}\u0000${l.journey_id}\u0000${l.outcome_id}`);
  }
  return lines.map((l) =>
    l.status === 'payable' &&
    (l.payment_type === 'outcome' || l.payment_type === 'sustainment') &&
    over.has(`${l.client_id}\u0000${l.journey_id}\u0000${l.outcome_id}`)
      ? copyLine(l, { status: 'over_client_limit' })
      : l,
  );
}
