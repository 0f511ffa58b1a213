/**
 * R-OUT-3 `abstinence`: a qualifying review within the journey records 0 days of use for each
 * substance (a blank count is not evidence), optionally confirmed by drug tests: for each confirm
 * substance the journey cites, at least one negative and no positive test within ±withinDays of
 * the review. The earliest qualifying review wins; achieved_on = its date (+ withinDays when
 * confirmation is required, the day the evidence is complete).
 *
 * "Cited" means cited by the journey's episodes that had started by the review's date, so a
 * decision made on a review is not overturned by an episode that joins the journey later (R-CAL-3).
 * With `at: exit` the review is only known to be the exit review once the journey has ended and
 * settled, so the outcome is achieved on the later of the review date and the journey end.
 * A qualifying review whose confirmation window is still open at asOf, with no positive test yet,
 * makes the outcome `pending`/`window_open` due on review + withinDays (R-OUT-3 v3); without one,
 * an open journey is `pending`/`in_treatment` and a closed one is decided on the later of its settle
 * date and end + withinDays (R-CAL-4).
 * @module
 */
import { addDays, addMonths, laterOf, type IsoDate } from '../calendar/index.js';
import { maskOfSubstances, substancesOfMask, type Substance } from '../schema/codes.js';
import type { DrugTest, Located, Review } from '../schema/records.js';
import type { Primitive } from '../schema/scheme/outcomes.js';
import { NO_EVIDENCE, NO_WINDOWS, decision, explains, journeyReviews, sameItems, reviewRef, settlesOn, stageLabel, waitForEnd, type OutcomeContext } from './context.js';
import type { DecisionWindow, EvidenceRef, PrimitiveDecision } from './types.js';

type Params = Extract<Primitive, { type: 'abstinence' }>;

const DAY_FIELD: Record<Substance, keyof Review> = {
  opiates: 'days_opiates',
  crack: 'days_crack',
  cocaine: 'days_cocaine',
  amphetamines: 'days_amphetamines',
  cannabis: 'days_cannabis',
  other_drugs: 'days_other_drugs',
  alcohol: 'days_alcohol',
};

/** How many of the journey's episodes (in start order) had started by `date`: those before the first that starts later. */
function startedBy(ctx: OutcomeContext, date: IsoDate): number {
  const episodes = ctx.journey.episodes;
  let n = 0;
  while (n < episodes.length && !(episodes[n]!.start_date > date)) n++;
  return n;
}

/** Substances cited by the journey's first `started` episodes (see {@link startedBy}). */
function citedBy(ctx: OutcomeContext, started: number): Set<Substance> {
  const out = new Set<Substance>();
  for (let i = 0; i < started; i++) for (const s of ctx.journey.episodes[i]!.substances) out.add(s);
  return out;
}

/** What a review is judged on: the substances (cited by then, or the rule's own), their count fields, and the confirm substances cited. */
interface Judged {
  readonly subs: readonly Substance[];
  readonly fields: readonly (keyof Review)[];
  readonly confirm: readonly Substance[];
}

/**
 * {@link judge}'s answers for journeys whose cited substances are one episode's shared list (one
 * list per set of substances, made by substancesOfMask: at most 128), by rule and by the set's
 * mask, with the rule's lists as they were read (a rule changed since is judged afresh).
 */
interface JudgedByMask {
  readonly substances: 'cited' | readonly Substance[];
  readonly confirm: readonly Substance[];
  readonly byMask: (Judged | undefined)[];
}
const JUDGED = new WeakMap<Params, JudgedByMask>();
const NO_SUBSTANCES: readonly Substance[] = Object.freeze([]);

/**
 * What a review on `date` is judged on. Cited substances change only when an episode starts; when
 * the episodes started by then are the first alone and its list is the shared list of its set of
 * substances (as read from files), the answer is made once per rule and set, not for every journey.
 * Any other list — a caller's own, frozen or not — is judged afresh, so nothing is kept for it.
 */
function judgedAt(ctx: OutcomeContext, p: Params, kept: JudgedByMask, date: IsoDate): Judged {
  const started = startedBy(ctx, date);
  if (started === 1) {
    const list = ctx.journey.episodes[0]!.substances;
    const mask = maskOfSubstances(list);
    if (substancesOfMask(mask) === list) return (kept.byMask[mask] ??= judge(p, new Set(list)));
  }
  return judge(p, citedBy(ctx, started));
}

/** The answers kept for rule `p` (looked up once per decision, not per review), started afresh when its substances or confirm substances are not those they were made from. */
function judgedByMask(p: Params): JudgedByMask {
  const confirm = p.confirmTest?.substances ?? NO_SUBSTANCES;
  const kept = JUDGED.get(p);
  if (kept !== undefined && sameSubstances(kept.substances, p.substances) && sameSubstances(kept.confirm, confirm)) return kept;
  const made: JudgedByMask = { substances: p.substances === 'cited' ? 'cited' : [...p.substances], confirm: [...confirm], byMask: [] };
  JUDGED.set(p, made);
  return made;
}

function sameSubstances(a: 'cited' | readonly Substance[], b: 'cited' | readonly Substance[]): boolean {
  return a === 'cited' || b === 'cited' ? a === b : sameItems(a, b);
}

function judge(p: Params, cited: Set<Substance>): Judged {
  const subs: Substance[] = p.substances === 'cited' ? [...cited] : p.substances;
  return { subs, fields: subs.map((s) => DAY_FIELD[s]), confirm: (p.confirmTest?.substances ?? []).filter((s) => cited.has(s)) };
}

/** Whether a review records 0 days of use in every one of `fields` (a blank count is not evidence). */
function noUse(r: Review, fields: readonly (keyof Review)[]): boolean {
  for (let i = 0; i < fields.length; i++) if (r[fields[i]!] !== 0) return false;
  return true;
}

/** At exit the outcome is achieved at the exit at the earliest (see decideAbstinence). */
function atExit(p: Params, j: OutcomeContext['journey'], d: IsoDate): IsoDate {
  return p.at === 'exit' && j.end_date !== undefined && j.end_date > d ? j.end_date : d;
}

type TestCheck = { state: 'confirmed' | 'failed' | 'open'; evidence: EvidenceRef[]; missing: Substance[] };

/** The confirmation tests of a review (`why`: with the tests looked at as evidence). */
function checkTests(tests: readonly Located<DrugTest>[], subs: readonly Substance[], from: IsoDate, to: IsoDate, asOf: IsoDate, why: boolean): TestCheck {
  const evidence: EvidenceRef[] = [];
  const missing: Substance[] = [];
  let failed = false;
  for (const s of subs) {
    let negative = false;
    for (const t of tests) {
      if (t.date < from) continue;
      if (t.date > to) break;
      if (t.substance !== s) continue;
      if (t.result === 'positive') {
        failed = true;
        if (why) evidence.push({ file: 'drug_tests', row: t.row, part: t.part, date: t.date, detail: `${s} test positive` });
      } else if (t.result === 'negative') {
        negative = true;
        if (why) evidence.push({ file: 'drug_tests', row: t.row, part: t.part, date: t.date, detail: `${s} test negative` });
      }
    }
    if (!negative) missing.push(s);
  }
  if (failed) return { state: 'failed', evidence, missing };
  if (to > asOf) return { state: 'open', evidence, missing };
  return { state: missing.length === 0 ? 'confirmed' : 'failed', evidence, missing };
}

/**
 * Decides R-OUT-3 for one journey.
 * @example decideAbstinence(ctx, { type: 'abstinence', substances: 'cited', at: 'any_review' })
 */
export function decideAbstinence(ctx: OutcomeContext, p: Params): PrimitiveDecision {
  const RULE = 'R-OUT-3';
  const T = 'abstinence' as const;
  const j = ctx.journey;
  const present = ctx.evidence.present;
  // Notes, evidence and windows only when the decision is explained (the rule is the same without).
  const why = explains(ctx);
  if (!present.reviews) {
    return decision(T, RULE, 'not_met', {
      reason: 'no_evidence',
      decided_on: j.start_date,
      note: why ? 'No reviews file was supplied, so abstinence cannot be shown.' : '',
    });
  }
  const windows: DecisionWindow[] = why ? [{ label: 'journey', from: j.start_date, to: j.end_date ?? ctx.asOf, fromIncluded: true }] : NO_WINDOWS;
  let candidates = journeyReviews(ctx);
  let what = 'any review in the journey';
  if (p.at === 'exit') {
    // A review is only known to be the exit review once the journey has ended and can no longer be
    // continued (R-JNY-1), so `exit` waits for that.
    const wait = waitForEnd(ctx, T, RULE, 'abstinence at exit');
    if (wait) return wait;
    const exitId = j.exit_episode?.episode_id;
    candidates = exitId === undefined ? [] : candidates.filter((r) => r.stage === 'exit' && r.episode_id === exitId);
    if (why) what = `the exit review of episode ${exitId ?? '(none yet)'}`;
  }
  const evidence: EvidenceRef[] = [];
  const kept = judgedByMask(p);
  // The reviews before `first` are too early to qualify (review_after_months): passed over in
  // place rather than copied out (the list is in date order).
  let first = 0;
  if (p.at === 'review_after_months') {
    const from = addMonths(j.start_date, p.months!);
    while (first < candidates.length && candidates[first]!.date < from) first++;
    // The reviews before `from` were looked at too: they are evidence, of not qualifying.
    if (why) {
      for (let k = 0; k < first; k++) {
        const r = candidates[k]!;
        evidence.push(reviewRef(r, judgedAt(ctx, p, kept, r.date).fields, ` (before ${from}: too early to qualify)`));
      }
      const to = j.end_date ?? ctx.asOf;
      what = `a review on or after ${from} (${p.months} months into the journey)${to < from ? (j.end_date ? `, but the journey ended on ${to}` : `, after ${to}`) : ''}`;
      // A window is written earliest first: none when the journey ends before it opens.
      if (from <= to) windows.push({ label: 'qualifying reviews from', from, to, fromIncluded: true });
    }
  }
  const withinDays = p.confirmTest?.withinDays ?? 0;
  let sawAbstinent = false;
  let sawNoTests = false;
  for (let k = first; k < candidates.length; k++) {
    const r = candidates[k]!;
    const { subs, fields, confirm } = judgedAt(ctx, p, kept, r.date);
    if (!noUse(r, fields)) {
      if (why && evidence.length < 6) evidence.push(reviewRef(r, fields));
      continue;
    }
    sawAbstinent = true;
    if (confirm.length === 0) {
      return decision(T, RULE, 'met', {
        achieved_on: atExit(p, j, r.date),
        windows,
        evidence: why ? [reviewRef(r, fields)] : NO_EVIDENCE,
        note: why
          ? `The ${stageLabel(r.stage)} on ${r.date} records no use of ${subs.join(', ')} in the previous 28 days${
              p.confirmTest ? ' (no confirmation needed: the journey cites none of ' + p.confirmTest.substances.join(', ') + ')' : ''
            }.`
          : '',
      });
    }
    if (!present.drug_tests) {
      sawNoTests = true;
      continue;
    }
    const from = addDays(r.date, -withinDays);
    const to = addDays(r.date, withinDays);
    const check = checkTests(ctx.evidence.drug_tests, confirm, from, to, ctx.asOf, why);
    if (check.state === 'failed') {
      if (why && evidence.length < 6) evidence.push(reviewRef(r, fields), ...check.evidence);
      continue;
    }
    // Confirmed, or its window still open: this review decides, with its test window and tests.
    const testWindows = why ? [...windows, { label: `confirmation tests for the ${r.date} review`, from, to, fromIncluded: true }] : windows;
    const testEvidence = why ? [reviewRef(r, fields), ...check.evidence] : evidence;
    if (check.state === 'confirmed') {
      return decision(T, RULE, 'met', {
        achieved_on: atExit(p, j, to),
        windows: testWindows,
        evidence: testEvidence,
        note: why
          ? `The ${stageLabel(r.stage)} on ${r.date} records no use of ${subs.join(', ')}, confirmed by negative tests for ${confirm.join(', ')} and no positive test between ${from} and ${to}.`
          : '',
      });
    }
    return decision(T, RULE, 'pending', {
      due_on: to,
      reason: 'window_open',
      windows: testWindows,
      evidence: testEvidence,
      note: why ? `The ${stageLabel(r.stage)} on ${r.date} records no use; its confirmation window for ${confirm.join(', ')} tests runs to ${to}.` : '',
    });
  }
  if (j.end_date === undefined) {
    return decision(T, RULE, 'pending', {
      reason: 'in_treatment',
      windows,
      evidence,
      note: why ? `No qualifying review yet (${what}); the journey is still open at ${ctx.asOf}.` : '',
    });
  }
  // A closed journey is decided once it has settled (R-CAL-4) and, when it cites a confirm
  // substance, once a review at its end could have been confirmed: end + withinDays. A journey that
  // needs no confirmation does not wait for tests, so its failure is certain on the settle date
  // (which matters when the client dies then: R-OUT-9).
  const needsTests = (p.confirmTest?.substances ?? []).some((s) => j.substances.includes(s));
  const due = laterOf(needsTests ? addDays(j.end_date, withinDays) : j.end_date, settlesOn(ctx))!;
  if (due > ctx.asOf) {
    return decision(T, RULE, 'pending', {
      due_on: due,
      settles_as: 'not_met',
      reason: 'window_open',
      windows,
      evidence,
      note: why ? `No qualifying review so far; the journey ended on ${j.end_date} and the decision is final on ${due}.` : '',
    });
  }
  const reason =
    candidates.length === first ? 'no_qualifying_review' : !sawAbstinent ? 'not_abstinent' : sawNoTests && !present.drug_tests ? 'no_evidence' : 'not_confirmed';
  // Only the note of the reason found is written (this is the commonest end of the rule).
  const note = !why
    ? ''
    : reason === 'no_qualifying_review'
      ? `No qualifying review was recorded: the rule needs ${what}.`
      : reason === 'not_abstinent'
        ? 'No qualifying review records 0 days of use for every substance required (a blank count is not evidence).'
        : reason === 'no_evidence'
          ? 'Reviews record no use, but no drug_tests file was supplied to confirm it.'
          : `Reviews recording no use were not confirmed: each needs a negative and no positive test within ${withinDays} days.`;
  return decision(T, RULE, 'not_met', { reason, decided_on: due, windows, evidence, note });
}
