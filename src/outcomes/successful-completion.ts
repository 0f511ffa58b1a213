/**
 * R-OUT-1 `successful_completion`: the journey ended with a successful exit reason; for opiate
 * journeys `completed_occasional_user` does not count and, when `requireOffSubstitution`, the exit
 * episode must show substitute medication at exit = false. achieved_on = journey end.
 * @module
 */
import type { Primitive } from '../schema/scheme/outcomes.js';
import { decision, settlesOn, waitForEnd, type OutcomeContext } from './context.js';
import type { EvidenceRef, PrimitiveDecision } from './types.js';

type Params = Extract<Primitive, { type: 'successful_completion' }>;

/**
 * Decides R-OUT-1 for one journey.
 * @example decideSuccessfulCompletion(ctx, { type: 'successful_completion', requireOffSubstitution: true })
 */
export function decideSuccessfulCompletion(ctx: OutcomeContext, p: Params): PrimitiveDecision {
  const RULE = 'R-OUT-1';
  const wait = waitForEnd(ctx, 'successful_completion', RULE, 'successful completion');
  if (wait) return wait;
  const j = ctx.journey;
  const exit = j.exit_episode!;
  const end = j.end_date!;
  const subst = exit.substitute_medication_at_exit;
  const evidence: EvidenceRef[] = [
    {
      file: 'episodes',
      row: exit.row,
      part: exit.part,
      date: end,
      detail: `exit episode ${exit.episode_id}: discharged ${end}, exit_reason ${exit.exit_reason ?? 'blank'}${
        j.exit_code && j.exit_code !== exit.exit_reason ? ` (= ${j.exit_code})` : ''
      }, substitute_medication_at_exit ${subst === undefined ? 'blank' : String(subst)}`,
    },
  ];
  const fail = (reason: string, note: string) =>
    decision('successful_completion', RULE, 'not_met', { reason, evidence, note, decided_on: settlesOn(ctx) });
  if (j.exit_class !== 'successful') {
    return fail('unsuccessful_exit', `The journey ended on ${end} with exit reason '${j.exit_reason}' (${j.exit_class ?? 'unknown'}), not a successful completion.`);
  }
  if (j.substance_group === 'opiate') {
    if (j.exit_code === 'completed_occasional_user') {
      return fail('occasional_user_opiate', `'completed_occasional_user' is not a successful completion for an opiate or crack journey.`);
    }
    if (p.requireOffSubstitution && subst !== false) {
      return fail(
        'substitute_medication_at_exit',
        subst === true
          ? 'The client left the opiate journey on substitute medication, which is not a paid completion.'
          : 'substitute_medication_at_exit is blank on the exit episode, so leaving without substitute medication is not shown.',
      );
    }
  }
  return decision('successful_completion', RULE, 'met', {
    achieved_on: end,
    evidence,
    note: `The journey ended successfully on ${end} ('${j.exit_reason}').`,
  });
}
