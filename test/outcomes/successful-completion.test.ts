import { describe, expect, it } from 'vitest';
import { brief, dataset, decide, episode, oneOutcome, opiateEpisode } from '../support/builders.js';

const scheme = oneOutcome({ type: 'successful_completion' });
const keepSubst = oneOutcome({ type: 'successful_completion', requireOffSubstitution: false });

describe('R-OUT-1 successful_completion', () => {
  it('is met on the journey end for a successful exit', () => {
    const d = decide(dataset({ episodes: [episode('E1', '2024-01-01', '2024-03-01')] }), scheme, '2024-12-31');
    expect(brief(d)).toEqual({ status: 'met', achieved_on: '2024-03-01' });
  });

  it('is pending/in_treatment while the journey is open (no due date)', () => {
    const d = decide(dataset({ episodes: [episode('E1', '2024-01-01')] }), scheme, '2024-12-31');
    expect(brief(d)).toEqual({ status: 'pending', reason: 'in_treatment' });
  });

  it('waits until the journey can no longer be continued (end + 21 days, R-JNY-1)', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-03-01')] });
    expect(brief(decide(data, scheme, '2024-03-21'))).toEqual({ status: 'pending', due_on: '2024-03-22', reason: 'window_open' });
    expect(brief(decide(data, scheme, '2024-03-22'))).toEqual({ status: 'met', achieved_on: '2024-03-01' });
  });

  it.each([
    ['transferred_in_custody', 'unsuccessful_exit'],
    ['dropped_out', 'unsuccessful_exit'],
    ['died', 'unsuccessful_exit'], // an exit reason of died without a date of death (R-OUT-9)
  ])('a journey ending %s is not met (%s)', (exit, reason) => {
    const d = decide(dataset({ episodes: [episode('E1', '2024-01-01', '2024-03-01', { exit_reason: exit })] }), scheme, '2024-12-31');
    expect(brief(d)).toEqual({ status: 'not_met', reason });
  });

  it('opiate journeys: completed_occasional_user does not count', () => {
    const d = decide(dataset({ episodes: [opiateEpisode('E1', '2024-01-01', '2024-03-01', { exit_reason: 'completed_occasional_user' })] }), scheme, '2024-12-31');
    expect(brief(d)).toEqual({ status: 'not_met', reason: 'occasional_user_opiate' });
    // …but it does for a non-opiate journey.
    const n = decide(dataset({ episodes: [episode('E1', '2024-01-01', '2024-03-01', { exit_reason: 'completed_occasional_user', substances: ['cannabis'] })] }), scheme, '2024-12-31');
    expect(n.status).toBe('met');
  });

  it('opiate journeys: substitute medication at exit (or blank) fails unless the scheme allows it', () => {
    const on = dataset({ episodes: [opiateEpisode('E1', '2024-01-01', '2024-03-01', { substitute_medication_at_exit: true })] });
    expect(brief(decide(on, scheme, '2024-12-31'))).toEqual({ status: 'not_met', reason: 'substitute_medication_at_exit' });
    expect(decide(on, keepSubst, '2024-12-31').status).toBe('met');
    const blank = dataset({ episodes: [opiateEpisode('E1', '2024-01-01', '2024-03-01', { substitute_medication_at_exit: undefined })] });
    expect(brief(decide(blank, scheme, '2024-12-31'))).toEqual({ status: 'not_met', reason: 'substitute_medication_at_exit' });
  });

  it('crack makes a journey opiate for these rules (R-JNY-3)', () => {
    const d = decide(dataset({ episodes: [episode('E1', '2024-01-01', '2024-03-01', { substances: ['crack'], exit_reason: 'completed_occasional_user' })] }), scheme, '2024-12-31');
    expect(d.reason).toBe('occasional_user_opiate');
  });

  it("a scheme's own exit code maps onto a standard one", () => {
    const s = oneOutcome({ type: 'successful_completion' });
    const mapped = { ...s, exitReasons: { pbr_completed_drug_free: 'completed_drug_free' as const } };
    const d = decide(dataset({ episodes: [episode('E1', '2024-01-01', '2024-03-01', { exit_reason: 'pbr_completed_drug_free' })] }), mapped, '2024-12-31');
    expect(d.status).toBe('met');
  });
});
