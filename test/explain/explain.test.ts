import { describe, expect, it } from 'vitest';
import { evaluateDataset } from '../../src/engine/index.js';
import { groupByClient } from '../../src/evidence/index.js';
import { explainClient, formatExplanation } from '../../src/explain/index.js';
import { presetScheme } from '../../src/presets/index.js';
import { dataset, drugTest, offence, opiateEpisode, review } from '../support/builders.js';

const scheme = presetScheme('national-model-2012');

describe('explain', () => {
  const data = dataset({
    episodes: [
      opiateEpisode('E1', '2012-05-01', '2012-11-30', { exit_reason: 'transferred_not_in_custody', provider_id: 'P1', row: 5 }),
      opiateEpisode('E2', '2012-12-10', '2013-06-30', { provider_id: 'P2', row: 6 }),
      opiateEpisode('E3', '2015-06-01', undefined, { row: 7 }),
    ],
    reviews: [review('E2', '2013-01-15', 'review', { days_opiates: 0, row: 12 })],
    drug_tests: [drugTest('2013-01-10', 'opiates', 'negative')],
    offences: [offence('2012-03-01')],
  });
  const asOf = '2015-03-31';
  const result = evaluateDataset(data, scheme, { asOf }).clients[0]!;
  const records = groupByClient(data)[0]!;
  const text = formatExplanation(explainClient(result, scheme, asOf, { records }));

  it('says how the journey was assembled, with rows and the gap', () => {
    expect(text).toContain('Journey E1: 2012-05-01 to 2013-06-30, opiate, band 2');
    expect(text).toContain('E2 (episodes row 6): 2012-12-10 to 2013-06-30, provider P2');
    expect(text).toContain('started 10 days after the latest discharge (2012-11-30), within 21');
    expect(text).toContain('Attachment goes to provider P1');
  });

  it('lists what was not yet known at asOf', () => {
    expect(text).toContain('episode E3 (episodes row 7) starts 2015-06-01, after asOf');
  });

  it('gives each outcome its rule, window, evidence rows and decision', () => {
    expect(text).toContain('free-from-dependence (Left treatment free from drug(s) of dependence and did not return within 6 months): MET on 2013-12-30');
    expect(text).toContain('R-OUT-2 no re-presentation: met on 2013-12-30.');
    expect(text).toContain('window: 6-month re-presentation window (2013-06-30, 2013-12-30]');
    expect(text).toContain('evidence: episodes row 6 (2013-06-30): exit episode E2');
    expect(text).toContain('abstinent-confirmed');
    expect(text).toMatch(/evidence: reviews row 12 \(2013-01-15\)/);
    expect(text).toContain('R-OUT-8 gateway');
  });

  it('can be narrowed to one outcome and is available as data', () => {
    const x = explainClient(result, scheme, asOf, { outcomeId: 'reduced-offending' });
    expect(x.journeys[0]!.outcomes.map((o) => o.decision.outcome_id)).toEqual(['reduced-offending']);
    expect(x.journeys[0]!.outcomes[0]!.decision.status).toBe('met');
  });
});
