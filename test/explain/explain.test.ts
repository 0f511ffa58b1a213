import { describe, expect, it } from 'vitest';
import { evaluateDataset } from '../../src/engine/index.js';
import { groupByClient } from '../../src/evidence/index.js';
import { explainClient, formatExplanation, rowFeeds } from '../../src/explain/index.js';
import { rejectedWhat } from '../../src/explain/rejections.js';
import { readDataset } from '../../src/node/run-folder.js';
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

describe('explain: evidence and windows (issue #12)', () => {
  it('every window of every decision on the demo is written earliest first', async () => {
    const read = await readDataset('examples/demo', { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
    const { clients } = evaluateDataset(read.data, scheme, { asOf: '2015-03-31' });
    let windows = 0;
    for (const c of clients) {
      for (const d of c.decisions) {
        for (const s of d.steps) {
          for (const w of s.windows) {
            windows++;
            expect(w.from <= w.to, `${c.client_id} ${d.outcome_id} ${s.rule} ${w.label} [${w.from}, ${w.to}]`).toBe(true);
          }
        }
      }
    }
    expect(windows).toBeGreaterThan(5000);
  }, 60_000);

  it('abstinence 6 months in, on a journey that ended before: no backwards window; the reviews too early to qualify are evidence (R-OUT-3)', () => {
    const data = dataset({
      episodes: [opiateEpisode('E1', '2014-03-30', '2014-05-11', { row: 38 })],
      reviews: [review('E1', '2014-03-30', 'start', { days_opiates: 6, row: 129 }), review('E1', '2014-05-11', 'exit', { days_opiates: 0, row: 130 })],
    });
    const result = evaluateDataset(data, scheme, { asOf: '2015-03-31' }).clients[0]!;
    const d = result.decisions.find((x) => x.outcome_id === 'abstinent-confirmed')!;
    const step = d.steps.find((x) => x.rule === 'R-OUT-3')!;
    expect(step.reason).toBe('no_qualifying_review');
    expect(step.windows.map((w) => [w.label, w.from, w.to])).toEqual([['journey', '2014-03-30', '2014-05-11']]);
    expect(step.evidence.map((e) => [e.row, e.detail])).toEqual([
      [129, 'start review of episode E1: opiates=6 (before 2014-09-30: too early to qualify)'],
      [130, 'exit review of episode E1: opiates=0 (before 2014-09-30: too early to qualify)'],
    ]);
    expect(step.note).toContain('on or after 2014-09-30 (6 months into the journey), but the journey ended on 2014-05-11');
  });

  it('score improvement not met lists every later review it compared (R-OUT-6)', () => {
    const data = dataset({
      episodes: [opiateEpisode('E1', '2014-03-30', '2014-05-11')],
      reviews: [review('E1', '2014-03-30', 'start', { quality_of_life: 11, row: 129 }), review('E1', '2014-04-20', 'review', { row: 131 }), review('E1', '2014-05-11', 'exit', { quality_of_life: 12, row: 130 })],
    });
    const result = evaluateDataset(data, scheme, { asOf: '2015-03-31' }).clients[0]!;
    const step = result.decisions.find((x) => x.outcome_id === 'quality-of-life')!.steps.find((x) => x.rule === 'R-OUT-6')!;
    expect(step.reason).toBe('no_improvement');
    expect(step.evidence.map((e) => e.row)).toEqual([129, 131, 130]);
    expect(step.evidence[1]!.detail).toBe('review of episode E1: quality_of_life=blank');
  });
});

describe('explain: rejected rows', () => {
  it('each file feeds the rules (and the scheme\'s outcomes) that read it', () => {
    expect(rowFeeds('offences', scheme)).toMatchObject({ rules: ['R-OUT-4'], outcomes: ['reduced-offending'] });
    expect(rowFeeds('reviews', scheme)).toMatchObject({ rules: ['R-OUT-3', 'R-OUT-6', 'R-OUT-7'], outcomes: ['abstinent-confirmed', 'quality-of-life', 'stopped-injecting'] });
    expect(rowFeeds('drug_tests', scheme)).toMatchObject({ rules: ['R-OUT-3'], outcomes: ['abstinent-confirmed'] });
    expect(rowFeeds('employment', scheme)).toMatchObject({ rules: [], outcomes: [], text: 'no rule of this scheme' });
    expect(rowFeeds('clients', scheme).rules).toEqual(['R-OUT-9']);
    expect(rowFeeds('episodes', scheme).outcomes).toHaveLength(scheme.outcomes.length);
  });

  it('are listed first, and again under each outcome not met whose rules read their file', () => {
    const data = dataset({ episodes: [opiateEpisode('E1', '2013-01-01', '2013-03-01', { exit_reason: 'dropped_out' })] });
    const result = evaluateDataset(data, scheme, { asOf: '2015-03-31' }).clients[0]!;
    const rejections = [{ file: 'reviews' as const, row: 25, field: 'physical_health', value: '21', code: 'out_of_range' as const, reason: 'is outside 0–20 points' }];
    const x = explainClient(result, scheme, '2015-03-31', { rejections });
    expect(x.rejected).toHaveLength(1);
    const qol = x.journeys[0]!.outcomes.find((o) => o.decision.outcome_id === 'quality-of-life')!;
    expect(qol.rejected.map((r) => r.row)).toEqual([25]);
    expect(x.journeys[0]!.outcomes.find((o) => o.decision.outcome_id === 'reduced-offending')!.rejected).toEqual([]);
    const text = formatExplanation(x);
    expect(text).toContain("Rejected rows of this client (not used; listed in rejections.csv):\n  - reviews row 25: physical_health '21': is outside 0–20 points [out_of_range]; it would have fed R-OUT-3");
    expect(text).toContain("    rejected, so not looked at: reviews row 25 (physical_health '21': is outside 0–20 points)");
  });
});

describe('explain: a rejected row in words is safe on a terminal (R-VAL-1, R-VAL-3)', () => {
  it('the value and the reason (which may quote the cell) have control characters escaped; NHS numbers hidden', () => {
    const escape = '\u001b[31m';
    expect(rejectedWhat({ field: 'substances', value: `x${escape}` }, `'x${escape}' is not a known substance`)).toBe(
      "substances 'x\\u001B[31m': 'x\\u001B[31m' is not a known substance",
    );
    expect(rejectedWhat({ field: 'client_id', value: '943 476 5919' }, 'looks like an NHS number')).toBe("client_id '[NHS number removed]': looks like an NHS number");
    expect(rejectedWhat({ field: '', value: '' }, `the row has 3 cells${escape}`)).toBe('the row has 3 cells\\u001B[31m');
  });
});
