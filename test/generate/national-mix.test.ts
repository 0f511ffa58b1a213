/**
 * The synthetic data exercises the national model (SPEC §6, R-OUT-1..9) without being trivial:
 * every outcome has met and not-met journeys, and the reasons of R-OUT-12 that the data is built
 * to produce all appear.
 */
import { describe, expect, it } from 'vitest';
import { evaluateDataset } from '../../src/engine/index.js';
import { presetScheme } from '../../src/presets/index.js';
import { cohort, validate } from './helpers.js';

describe('a national-model run on synthetic data shows a mix of outcomes', () => {
  const data = validate(cohort({ clients: 1500, seed: 2012 })).data;
  const { clients } = evaluateDataset(data, presetScheme('national-model-2012'), { asOf: '2015-03-31' });
  const decisions = clients.flatMap((c) => c.decisions);
  const outcomes = [...new Set(decisions.map((d) => d.outcome_id))];

  it('every outcome of the preset is met for some journeys and not met for others', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(5);
    for (const id of outcomes) {
      const mine = decisions.filter((d) => d.outcome_id === id);
      const met = mine.filter((d) => d.status === 'met').length;
      const notMet = mine.filter((d) => d.status === 'not_met').length;
      expect(met / mine.length, `${id} met share`).toBeGreaterThan(0.03);
      expect(met / mine.length, `${id} met share`).toBeLessThan(0.7);
      expect(notMet, `${id} not_met`).toBeGreaterThan(0);
    }
  });

  it('the data reaches the edge reasons: re-presentation, substitution at exit, occasional opiate user, not confirmed, died, pending', () => {
    const reasons = new Set(decisions.map((d) => d.reason));
    for (const r of [
      're_presented',
      'substitute_medication_at_exit',
      'occasional_user_opiate',
      'unsuccessful_exit',
      'not_abstinent',
      'not_confirmed',
      'no_prior_offence',
      'reoffended',
      'no_start_review',
      'no_improvement',
      'not_injecting_at_start',
      'still_injecting',
      'gateway_not_met',
      'in_treatment',
      'died',
    ]) {
      expect(reasons.has(r as never), r).toBe(true);
    }
    expect(decisions.some((d) => d.status === 'pending')).toBe(true);
    expect(decisions.some((d) => d.status === 'not_eligible')).toBe(true);
  });
});
