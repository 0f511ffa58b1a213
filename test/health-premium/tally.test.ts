/**
 * The Health Premium indicators counted client by client (R-HP-1): a tally over any split of the
 * clients, merged, gives exactly the indicators and segments computed over all of them at once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByClient, presenceOf } from '../../src/evidence/index.js';
import { computeIndicators } from '../../src/health-premium/indicators.js';
import { segmentIndicators } from '../../src/health-premium/segments.js';
import { indicatorTally } from '../../src/health-premium/tally.js';
import { readDataset } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';

const DEMO = new URL('../../examples/demo', import.meta.url).pathname;

describe('indicatorTally (R-HP-1, counted client by client)', async () => {
  const scheme = presetScheme('health-premium-2015-16');
  const hp = scheme.healthPremium!;
  const { data } = await readDataset(DEMO, { exitReasonMap: scheme.exitReasons });
  const clients = groupByClient(data);
  const present = presenceOf(data);
  const periods = { baseline: '2012-04-01', current: '2013-04-01', asOf: '2015-03-31' };
  const whole = computeIndicators(data, { ...scheme, healthPremium: hp }, periods);
  const segments = segmentIndicators(whole.clients, { hp, baselineStart: periods.baseline, currentStart: periods.current, asOf: periods.asOf });

  it('one tally of every client gives the indicators and segments of computeIndicators', () => {
    const t = indicatorTally({ ...scheme, healthPremium: hp }, periods);
    for (const c of clients) t.addClient(c, present);
    const r = t.result();
    expect(r.baseline).toEqual(whole.baseline);
    expect(r.current).toEqual(whole.current);
    expect(r.segments).toEqual(segments);
    expect(r.current.some((x) => x.numerator > 0)).toBe(true);
  });

  it('property: tallies of any split of the clients, merged, give the same result', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: clients.length, maxLength: clients.length }), (parts) => {
        const tallies = [0, 1, 2, 3].map(() => indicatorTally({ ...scheme, healthPremium: hp }, periods));
        clients.forEach((c, i) => tallies[parts[i]!]!.addClient(c, present));
        const merged = indicatorTally({ ...scheme, healthPremium: hp }, periods);
        for (const t of tallies) merged.merge(t.toJSON());
        const r = merged.result();
        expect(r.baseline).toEqual(whole.baseline);
        expect(r.current).toEqual(whole.current);
        expect(r.segments).toEqual(segments);
      }),
      { numRuns: 5 },
    );
  });
});
