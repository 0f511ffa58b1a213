/**
 * R-OUT-4 `reduced_offending`: proven offences before journey start ([start − beforeMonths, start],
 * an offence on the start date counts as *before*) against offences after it ((start, start +
 * afterMonths]), counted by offence date whatever journey they fall in. Eligible only with at least
 * one before offence. `binary`: met when there is no after offence; `frequency`: met when after ≤
 * before × (1 − minReduction). achieved_on = start + afterMonths, open journey or not.
 * @module
 */
import { Decimal } from 'decimal.js';
import { addMonths } from '../calendar/index.js';
import type { Located, Offence } from '../schema/records.js';
import type { Primitive } from '../schema/scheme/outcomes.js';
import { NO_EVIDENCE, NO_WINDOWS, decision, explains, type OutcomeContext } from './context.js';
import type { DecisionWindow, EvidenceRef, PrimitiveDecision } from './types.js';

type Params = Extract<Primitive, { type: 'reduced_offending' }>;

// Counts and shares are compared exactly; a private Decimal so no global configuration leaks.
const D = Decimal.clone({ precision: 40 });

/**
 * Decides R-OUT-4 for one journey.
 * @example decideReducedOffending(ctx, { type: 'reduced_offending', beforeMonths: 12, afterMonths: 6, mode: 'binary' })
 */
export function decideReducedOffending(ctx: OutcomeContext, p: Params): PrimitiveDecision {
  const RULE = 'R-OUT-4';
  const T = 'reduced_offending' as const;
  const why = explains(ctx);
  if (!ctx.evidence.present.offences) {
    return decision(T, RULE, 'not_met', {
      reason: 'no_evidence',
      decided_on: ctx.journey.start_date,
      note: why ? 'No offences file was supplied, so a reduction in offending cannot be shown.' : '',
    });
  }
  const start = ctx.journey.start_date;
  const beforeFrom = addMonths(start, -p.beforeMonths);
  const afterTo = addMonths(start, p.afterMonths);
  const windows: DecisionWindow[] = why
    ? [
        { label: `${p.beforeMonths} months before start`, from: beforeFrom, to: start, fromIncluded: true },
        { label: `${p.afterMonths} months after start`, from: start, to: afterTo, fromIncluded: false },
      ]
    : NO_WINDOWS;
  // The offences in each window (sorted by date, as the evidence is).
  const before: Located<Offence>[] = [];
  const after: Located<Offence>[] = [];
  for (const o of ctx.evidence.offences) {
    if (o.offence_date >= beforeFrom && o.offence_date <= start) before.push(o);
    else if (o.offence_date > start && o.offence_date <= afterTo) after.push(o);
  }
  if (before.length === 0) {
    return decision(T, RULE, 'not_eligible', {
      reason: 'no_prior_offence',
      decided_on: start,
      windows,
      note: why ? `No proven offence between ${beforeFrom} and ${start}, so there is no offending to reduce.` : '',
    });
  }
  // Most after-offences allowed: 0 (binary) or before × (1 − minReduction) (frequency).
  const allowed = p.mode === 'binary' ? new D(0) : new D(before.length).times(new D(1).minus(p.minReduction!));
  const evidence: EvidenceRef[] = why ? [...before, ...after].map(offenceRef) : NO_EVIDENCE;
  if (new D(after.length).greaterThan(allowed)) {
    // Certain at once: the offence that took the count over the limit (R-CAL-3).
    const decisive = after[allowed.floor().toNumber()]!.offence_date;
    return decision(T, RULE, 'not_met', {
      reason: 'reoffended',
      decided_on: decisive,
      windows,
      evidence,
      note: !why
        ? ''
        : p.mode === 'binary'
          ? `A proven offence on ${decisive} falls within ${p.afterMonths} months after the journey started on ${start}.`
          : `${after.length} offence(s) after start against ${before.length} before: more than ${allowed.toString()} allowed by a ${new D(p.minReduction!).times(100).toString()}% reduction (reached on ${decisive}).`,
    });
  }
  if (afterTo > ctx.asOf) {
    return decision(T, RULE, 'pending', {
      due_on: afterTo,
      reason: 'window_open',
      windows,
      evidence,
      note: why ? `${before.length} offence(s) before start and ${after.length} so far after; the after window closes on ${afterTo}.` : '',
    });
  }
  return decision(T, RULE, 'met', {
    achieved_on: afterTo,
    windows,
    evidence,
    note: !why
      ? ''
      : p.mode === 'binary'
        ? `${before.length} proven offence(s) in the ${p.beforeMonths} months to ${start} and none in the ${p.afterMonths} months after.`
        : `${before.length} offence(s) before and ${after.length} after: within the ${new D(p.minReduction!).times(100).toString()}% reduction required.`,
  });
}

/** An offence as evidence. */
function offenceRef(o: Located<Offence>): EvidenceRef {
  return { file: 'offences', row: o.row, part: o.part, date: o.offence_date, detail: `proven offence${o.category ? ` (${o.category})` : ''}` };
}
