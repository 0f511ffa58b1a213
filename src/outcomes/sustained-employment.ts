/**
 * R-OUT-5 `sustained_employment`: qualifying spells (hours_per_week ≥ minHoursPerWeek; blank fails),
 * clipped to the window (start, start + withinMonths] and to asOf, reach weeks × 7 days worked —
 * inside one run of work (`continuous`: overlapping or adjacent spells merge) or summed (cumulative).
 * achieved_on = the day the target is reached. Optional sustainment: each further block of
 * everyWeeks × 7 days of unbroken qualifying work after achieved_on is a payable item on the day
 * the block completes, up to maxPayments, inside the window.
 * @module
 */
import { addMonths, fromDayNumber, toDayNumber } from '../calendar/index.js';
import type { Primitive } from '../schema/scheme/outcomes.js';
import { NO_WINDOWS, decision, explains, type OutcomeContext } from './context.js';
import type { DecisionWindow, EvidenceRef, PrimitiveDecision } from './types.js';

type Params = Extract<Primitive, { type: 'sustained_employment' }>;

/** A run of consecutive days in qualifying work, as day numbers (inclusive). */
interface Run {
  from: number;
  to: number;
}

/**
 * The first day on which `target` days of work can no longer be reached by `windowEnd`, if that day
 * is on or before `asOf` (undefined otherwise). Continuous: a run must start by L = windowEnd −
 * target + 1, so the target is lost on L when no run covers L, else the day after the run that
 * covers L ends. Cumulative: the target is lost on the non-working day that exhausts the slack
 * (days in the window − target).
 */
function failureDay(runs: readonly Run[], first: number, windowEnd: number, target: number, continuous: boolean, asOf: number): number | undefined {
  let day: number;
  if (continuous) {
    const latestStart = windowEnd - target + 1;
    if (latestStart < first) day = first;
    else {
      const covering = runs.find((r) => r.from <= latestStart && r.to >= latestStart);
      day = covering ? covering.to + 1 : latestStart;
    }
  } else {
    let slack = windowEnd - first + 1 - target;
    if (slack < 0) day = first;
    else {
      // Walk the non-working days in order until the slack is used up.
      day = Number.POSITIVE_INFINITY;
      let cursor = first;
      for (const r of [...runs, { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY }]) {
        const idle = Math.min(r.from, windowEnd + 1) - cursor;
        if (idle > slack) {
          day = cursor + slack;
          break;
        }
        slack -= Math.max(0, idle);
        cursor = Math.max(cursor, r.to + 1);
        if (cursor > windowEnd) break;
      }
    }
  }
  return day <= asOf ? day : undefined;
}

/**
 * Decides R-OUT-5 for one journey; `sustainment` lists payable sustainment dates when met.
 * @example decideSustainedEmployment(ctx, { type: 'sustained_employment', weeks: 13, minHoursPerWeek: 16, withinMonths: 12, continuous: true })
 */
export function decideSustainedEmployment(ctx: OutcomeContext, p: Params): PrimitiveDecision & { sustainment: string[] } {
  const RULE = 'R-OUT-5';
  const T = 'sustained_employment' as const;
  const why = explains(ctx);
  if (!ctx.evidence.present.employment) {
    const note = why ? 'No employment file was supplied, so sustained employment cannot be shown.' : '';
    return withSustainment(decision(T, RULE, 'not_met', { reason: 'no_evidence', decided_on: ctx.journey.start_date, note }), []);
  }
  const start = ctx.journey.start_date;
  const windowEnd = addMonths(start, p.withinMonths);
  const windows: DecisionWindow[] = why ? [{ label: `${p.withinMonths} months after start`, from: start, to: windowEnd, fromIncluded: false }] : NO_WINDOWS;
  const first = toDayNumber(start) + 1;
  const asOfDay = toDayNumber(ctx.asOf);
  const windowEndDay = toDayNumber(windowEnd);
  const target = p.weeks * 7;
  const evidence: EvidenceRef[] = [];
  const spans: Run[] = [];
  for (const s of ctx.evidence.employment) {
    const hours = s.hours_per_week;
    const qualifies = hours !== undefined && hours >= p.minHoursPerWeek;
    // Clipped to the window start and to asOf here; to the window end when counting towards the
    // target (sustainment may run beyond it when the scheme says so).
    const from = Math.max(toDayNumber(s.start_date), first);
    const to = Math.min(s.end_date === undefined ? asOfDay : toDayNumber(s.end_date), asOfDay);
    if (from > to) continue;
    if (why && from <= windowEndDay) {
      evidence.push({
        file: 'employment',
        row: s.row,
        part: s.part,
        date: s.start_date,
        detail: `in work ${s.start_date} to ${s.end_date ?? 'ongoing'}, ${hours === undefined ? 'hours blank' : `${hours} h/week`}${qualifies ? '' : ` (below ${p.minHoursPerWeek} h: does not count)`}`,
      });
    }
    if (qualifies) spans.push({ from, to });
  }
  // Merge overlapping or adjacent spells into runs of unbroken work.
  spans.sort((a, b) => a.from - b.from || a.to - b.to);
  const runs: Run[] = [];
  for (const s of spans) {
    const last = runs[runs.length - 1];
    if (last && s.from <= last.to + 1) last.to = Math.max(last.to, s.to);
    else runs.push({ ...s });
  }
  let achieved: number | undefined;
  let achievedRun = -1;
  let worked = 0;
  for (let i = 0; i < runs.length && achieved === undefined; i++) {
    const r = runs[i]!;
    const to = Math.min(r.to, windowEndDay);
    if (r.from > to) break;
    const len = to - r.from + 1;
    if (p.continuous) {
      if (len >= target) {
        achieved = r.from + target - 1;
        achievedRun = i;
      }
    } else if (worked + len >= target) {
      achieved = r.from + (target - worked) - 1;
      achievedRun = i;
    } else worked += len;
  }
  const how = p.continuous ? 'in one unbroken run' : 'in total';
  if (achieved !== undefined) {
    const sustainment: string[] = [];
    if (p.sustainment) {
      const block = p.sustainment.everyWeeks * 7;
      const until =
        p.sustainment.withinMonths === undefined ? windowEndDay : toDayNumber(addMonths(fromDayNumber(achieved), p.sustainment.withinMonths));
      // Blocks restart after a break in work; only complete blocks count.
      for (let i = achievedRun; i < runs.length && sustainment.length < p.sustainment.maxPayments; i++) {
        const r = runs[i]!;
        const to = Math.min(r.to, until);
        let segStart = i === achievedRun ? achieved + 1 : r.from;
        while (segStart + block - 1 <= to && sustainment.length < p.sustainment.maxPayments) {
          sustainment.push(fromDayNumber(segStart + block - 1));
          segStart += block;
        }
      }
    }
    const on = fromDayNumber(achieved);
    return withSustainment(
      decision(T, RULE, 'met', {
        achieved_on: on,
        windows,
        evidence,
        note: why
          ? `${p.weeks} weeks (${target} days) of work at ≥ ${p.minHoursPerWeek} h/week ${how} were reached on ${on}${
              sustainment.length ? `; ${sustainment.length} sustainment payment(s) so far` : ''
            }.`
          : '',
      }),
      sustainment,
    );
  }
  // Not met yet. The failure is certain from the first day on which the target can no longer be
  // reached by the window end (R-CAL-3); work after asOf is unknown, so only days up to asOf count.
  const failed = failureDay(runs, first, windowEndDay, target, p.continuous, asOfDay);
  if (failed !== undefined) {
    return withSustainment(
      decision(T, RULE, 'not_met', {
        reason: 'not_in_work_long_enough',
        decided_on: fromDayNumber(failed),
        windows,
        evidence,
        note: why ? `Qualifying work ${how} ${windowEnd <= ctx.asOf ? 'did not reach' : 'can no longer reach'} ${p.weeks} weeks by ${windowEnd} (certain from ${fromDayNumber(failed)}).` : '',
      }),
      [],
    );
  }
  return withSustainment(
    decision(T, RULE, 'pending', {
      due_on: windowEnd,
      reason: 'window_open',
      windows,
      evidence,
      note: why ? `${p.continuous ? 'No unbroken run' : `${worked} days in total so far; no total`} of ${target} days yet; the window closes on ${windowEnd}.` : '',
    }),
    [],
  );
}

/**
 * A decision just made, with its sustainment dates: the key is added to the fresh object (the
 * decision's keys, then `sustainment`), rather than spread into a copy.
 */
function withSustainment(d: PrimitiveDecision, sustainment: string[]): PrimitiveDecision & { sustainment: string[] } {
  const out = d as PrimitiveDecision & { sustainment: string[] };
  out.sustainment = sustainment;
  return out;
}
