/**
 * R-OUT-1 `successful_completion`: the journey ended with a successful exit reason; for opiate
 * journeys `completed_occasional_user` does not count and, when `requireOffSubstitution`, the exit
 * episode must show substitute medication at exit = false. achieved_on = journey end.
 * @module
 */
import type { ReasonCode } from '../schema/codes.js';
import type { Primitive } from '../schema/scheme/outcomes.js';
import { decision, explains, settlesOn, waitForEnd, withEvidence, type OutcomeContext } from './context.js';
import type { EvidenceRef, PrimitiveDecision } from './types.js';

type Params = Extract<Primitive, { type: 'successful_completion' }>;

/**
 * Decides R-OUT-1 for one journey.
 * @example decideSuccessfulCompletion(ctx, { type: 'successful_completion', requireOffSubstitution: true })
 */
export function decideSuccessfulCompletion(ctx: OutcomeContext, p: Params): PrimitiveDecision {
  const RULE = 'R-OUT-1';
  const T = 'successful_completion' as const;
  const j = ctx.journey;
  if (j.end_date === undefined) return waitForEnd(ctx, T, RULE, 'successful completion')!;
  const exit = j.exit_episode!;
  const end = j.end_date;
  const subst = exit.substitute_medication_at_exit;
  const why = explains(ctx);
  const evidence: EvidenceRef[] = why
    ? [
        {
          file: 'episodes',
          row: exit.row,
          part: exit.part,
          date: end,
          detail: `exit episode ${exit.episode_id}: discharged ${end}, exit_reason ${exit.exit_reason ?? 'blank'}${
            j.exit_code && j.exit_code !== exit.exit_reason ? ` (= ${j.exit_code})` : ''
          }, substitute_medication_at_exit ${subst === undefined ? 'blank' : String(subst)}`,
        },
      ]
    : [];
  const failure = unsuccessful(ctx, p, why);
  // Until the journey settles an episode may join it and bring a new exit (R-CAL-4): pending, due on
  // the settle date, when the failure shown so far then becomes certain.
  const wait = waitForEnd(ctx, T, RULE, 'successful completion', failure ? 'not_met' : undefined);
  if (wait) return withEvidence(wait, evidence);
  if (failure) return decision(T, RULE, 'not_met', { reason: failure.reason, evidence, decided_on: settlesOn(ctx), note: failure.note });
  return decision(T, RULE, 'met', {
    achieved_on: end,
    evidence,
    note: why ? `The journey ended successfully on ${end} ('${j.exit_reason}').` : '',
  });
}

/** Why the ended journey is not a successful completion (R-OUT-1), or undefined when it is one (the note only when `why`). */
function unsuccessful(ctx: OutcomeContext, p: Params, why: boolean): { reason: ReasonCode; note: string } | undefined {
  const j = ctx.journey;
  const subst = j.exit_episode!.substitute_medication_at_exit;
  if (j.exit_class !== 'successful') {
    return {
      reason: 'unsuccessful_exit',
      note: why ? `The journey ended on ${j.end_date} with exit reason '${j.exit_reason}' (${j.exit_class ?? 'unknown'}), not a successful completion.` : '',
    };
  }
  if (j.substance_group !== 'opiate') return undefined;
  if (j.exit_code === 'completed_occasional_user') {
    return { reason: 'occasional_user_opiate', note: why ? `'completed_occasional_user' is not a successful completion for an opiate or crack journey.` : '' };
  }
  if (p.requireOffSubstitution && subst !== false) {
    return {
      reason: 'substitute_medication_at_exit',
      note: !why
        ? ''
        : subst === true
          ? 'The client left the opiate journey on substitute medication, which is not a paid completion.'
          : 'substitute_medication_at_exit is blank on the exit episode, so leaving without substitute medication is not shown.',
    };
  }
  return undefined;
}
