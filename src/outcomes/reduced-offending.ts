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
  // The offences in each window, counted (no list made unless they are shown). The evidence is
  // sorted by date, so each window's offences follow one another, the before window's first: the
  // after window's k-th offence is offences[firstAfter + k], and the offences shown are in order.
  const offences = ctx.evidence.offences;
  const shown: Located<Offence>[] | undefined = why ? [] : undefined;
  let before = 0;
  let after = 0;
  let firstAfter = -1;
  for (let i = 0; i < offences.length; i++) {
    const o = offences[i]!;
    if (o.offence_date >= beforeFrom && o.offence_date <= start) before++;
    else if (o.offence_date > start && o.offence_date <= afterTo) {
      if (after === 0) firstAfter = i;
      after++;
    } else continue;
    shown?.push(o);
  }
  if (before === 0) {
    return decision(T, RULE, 'not_eligible', {
      reason: 'no_prior_offence',
      decided_on: start,
      windows,
      note: why ? `No proven offence between ${beforeFrom} and ${start}, so there is no offending to reduce.` : '',
    });
  }
  // Most after-offences allowed: 0 (binary) or before × (1 − minReduction) (frequency), exactly.
  const allowed = p.mode === 'binary' ? undefined : new D(before).times(new D(1).minus(p.minReduction!));
  const evidence: EvidenceRef[] = shown ? shown.map(offenceRef) : NO_EVIDENCE;
  if (allowed === undefined ? after > 0 : new D(after).greaterThan(allowed)) {
    // Certain at once: the offence that took the count over the limit (R-CAL-3).
    const decisive = offences[firstAfter + (allowed === undefined ? 0 : allowed.floor().toNumber())]!.offence_date;
    return decision(T, RULE, 'not_met', {
      reason: 'reoffended',
      decided_on: decisive,
      windows,
      evidence,
      note: !why
        ? ''
        : p.mode === 'binary'
          ? `A proven offence on ${decisive} falls within ${p.afterMonths} months after the journey started on ${start}.`
          : `${after} offence(s) after start against ${before} before: more than ${allowed!.toString()} allowed by a ${new D(p.minReduction!).times(100).toString()}% reduction (reached on ${decisive}).`,
    });
  }
  if (afterTo > ctx.asOf) {
    return decision(T, RULE, 'pending', {
      due_on: afterTo,
      reason: 'window_open',
      windows,
      evidence,
      note: why ? `${before} offence(s) before start and ${after} so far after; the after window closes on ${afterTo}.` : '',
    });
  }
  return decision(T, RULE, 'met', {
    achieved_on: afterTo,
    windows,
    evidence,
    note: !why
      ? ''
      : p.mode === 'binary'
        ? `${before} proven offence(s) in the ${p.beforeMonths} months to ${start} and none in the ${p.afterMonths} months after.`
        : `${before} offence(s) before and ${after} after: within the ${new D(p.minReduction!).times(100).toString()}% reduction required.`,
  });
}

/** An offence as evidence. */
function offenceRef(o: Located<Offence>): EvidenceRef {
  return { file: 'offences', row: o.row, part: o.part, date: o.offence_date, detail: `proven offence${o.category ? ` (${o.category})` : ''}` };
}
