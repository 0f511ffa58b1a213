/**
 * Modelling at national scale (issue #10): compare, calibrate, forecast and the Health Premium run
 * as tallies over the pipeline's partitions (`modelFolder`) and give what the in-memory functions
 * give on all the records at once, however the clients are split.
 */
import { describe, expect, it } from 'vitest';
import { computeIndicators } from '../../src/health-premium/indicators.js';
import { calibratePrices, calibrateSummary } from '../../src/modelling/calibrate.js';
import { compareGroups, compareSchemes, withOverrides } from '../../src/modelling/compare.js';
import { forecastFromSummaries, forecastIncome } from '../../src/modelling/forecast.js';
import { paymentRun } from '../../src/modelling/run.js';
import { modelFolder, readDataset } from '../../src/node/run-folder.js';
import { presetDocument, presetScheme } from '../../src/presets/index.js';

const DEMO = new URL('../../examples/demo', import.meta.url).pathname;
const AS_OF = '2015-03-31';

describe('modelFolder == the in-memory modelling (issue #10)', async () => {
  const a = presetScheme('national-model-2012');
  const b = withOverrides(presetDocument('national-model-2012'), [{ path: 'tariff.outcomes.free-from-dependence.3', value: '3000' }]);
  const { data } = await readDataset(DEMO, { exitReasonMap: a.exitReasons, reviewToleranceDays: a.calendar.reviewToleranceDays });

  it.each([1, 3])('compare (%s partitions): two schemes in one pass, the same differences', async (partitions) => {
    const m = await modelFolder(DEMO, a, { schemes: [a, b], asOf: AS_OF, tallies: [{ kind: 'payments', scheme: 0 }, { kind: 'payments', scheme: 1 }] }, { partitions, workers: 0 });
    const [pa, pb] = m.tallies;
    if (pa?.kind !== 'payments' || pb?.kind !== 'payments') throw new Error('payments tallies expected');
    const expected = compareSchemes(data, a, b, { asOf: AS_OF });
    const got = compareGroups(pa.result.groups, pb.result.groups);
    expect(got.rows).toEqual(expected.rows);
    expect(got.total).toEqual(expected.total);
    expect(got.total.difference.toFixed(2)).not.toBe('0.00');
    expect(pa.result.rows).toEqual(expected.runs[0].payments.rows);
  });

  it.each([1, 3])('calibrate and forecast (%s partitions): the same prices and income', async (partitions) => {
    const m = await modelFolder(DEMO, a, { schemes: [a], asOf: AS_OF, tallies: [{ kind: 'payables', scheme: 0 }, { kind: 'forecast', scheme: 0 }] }, { partitions, workers: 0 });
    const [payables, forecast] = m.tallies;
    if (payables?.kind !== 'payables' || forecast?.kind !== 'forecast') throw new Error('tallies expected');
    const run = paymentRun(data, a, { asOf: AS_OF });
    const options = { asOf: AS_OF, target: '1500000', of: 'outcome' as const, keep: 'all' as const, nudge: true };
    expect(calibrateSummary(payables.result, a, options)).toEqual(calibratePrices({ clients: run.clients }, a, options));
    const f = { provider: 'P901A', asOf: AS_OF, journeys: [{ quarter: 1, band: '2', count: 10 }] };
    expect(forecastFromSummaries(forecast.result, a, f)).toEqual(forecastIncome(data, a, f));
  });

  it.each([1, 3])('health premium (%s partitions): the same indicators as over every record at once (R-HP-1)', async (partitions) => {
    const hpScheme = presetScheme('health-premium-2015-16');
    const periods = { baseline: '2012-04-01', current: '2013-04-01', asOf: AS_OF };
    const m = await modelFolder(DEMO, hpScheme, { schemes: [hpScheme], asOf: AS_OF, tallies: [{ kind: 'indicators', scheme: 0, periods }] }, { partitions, workers: 0 });
    const [t] = m.tallies;
    if (t?.kind !== 'indicators') throw new Error('indicators tally expected');
    const whole = computeIndicators(data, { ...hpScheme, healthPremium: hpScheme.healthPremium! }, periods);
    expect(t.result.baseline).toEqual(whole.baseline);
    expect(t.result.current).toEqual(whole.current);
  });
});
