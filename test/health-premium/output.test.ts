import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { healthPremiumCsv, healthPremiumJson, healthPremiumSegmentsCsv, healthPremiumText, runHealthPremium } from '../../src/health-premium/index.js';
import type { Dataset } from '../../src/schema/dataset.js';
import { datasetArb, shuffledArb } from '../support/arbitraries.js';
import { dataset, opiateEpisode, episode } from '../support/builders.js';
import { AS_OF, BASELINE, CURRENT, hpScheme } from './support.js';

const scheme = hpScheme();
const info = { scheme: { id: scheme.id, version: scheme.version }, as_of: AS_OF, source: 'episodes' as const, interval_level: '0.95' };

describe('health_premium.csv (SPEC §4, v3)', () => {
  const data = dataset({
    episodes: [
      opiateEpisode('E1', '2013-01-01', '2013-09-01', { client_id: 'C1', area_code: 'B1' }),
      opiateEpisode('E2', '2013-05-01', '2013-06-01', { client_id: 'C2', area_code: 'B1', exit_reason: 'dropped_out' }),
      opiateEpisode('E3', '2014-05-01', '2014-09-01', { client_id: 'C3', area_code: 'B1' }),
      episode('E4', '2014-05-01', undefined, { client_id: 'C4', area_code: '=cmd', substances: ['cannabis'] }),
    ],
  });
  const run = runHealthPremium({ scheme, data, baselineStart: BASELINE, currentStart: CURRENT, asOf: AS_OF });
  const csv = healthPremiumCsv(run.result);

  it('has the SPEC columns, rates with 6 places, money with 2, rows by area then indicator', () => {
    expect(csv).toBe(
      [
        'area_code,indicator,baseline_numerator,baseline_denominator,baseline_rate,current_numerator,current_denominator,current_rate,status,eligible,allocation',
        "'=cmd,alcohol,0,0,,0,0,,final,,0.00",
        "'=cmd,combined,0,0,,0,1,0.000000,final,false,0.00",
        "'=cmd,non_opiate,0,0,,0,1,0.000000,final,,0.00",
        "'=cmd,opiate,0,0,,0,0,,final,,0.00",
        'B1,alcohol,0,0,,0,0,,final,,0.00',
        'B1,combined,1,2,0.500000,1,1,1.000000,final,true,5000000.00',
        'B1,non_opiate,0,0,,0,0,,final,,0.00',
        'B1,opiate,1,2,0.500000,1,1,1.000000,final,,0.00',
        '',
      ].join('\n'),
    );
  });

  it('SPEC §4 (v3): a local indicator is a row under its own name, judged, sorted among the national ones; every row has an allocation', () => {
    const local = [
      { area_code: 'B1', indicator: 'housing_ok', direction: 'higher' as const, baseline: { measure: { kind: 'rate' as const, numerator: 1, denominator: 3 }, status: 'final' as const }, current: { measure: { kind: 'rate' as const, numerator: 2, denominator: 3 }, status: 'final' as const } },
    ];
    const withLocal = runHealthPremium({ scheme, data, baselineStart: BASELINE, currentStart: CURRENT, asOf: AS_OF, local });
    const lines = healthPremiumCsv(withLocal.result).split('\n').filter((l) => l.startsWith('B1,'));
    expect(lines).toEqual([
      'B1,alcohol,0,0,,0,0,,final,,0.00',
      'B1,combined,1,2,0.500000,1,1,1.000000,final,true,2500000.00',
      'B1,housing_ok,1,3,0.333333,2,3,0.666667,final,true,2500000.00', // 2/3 = 0.6666666… rounds half-up
      'B1,non_opiate,0,0,,0,0,,final,,0.00',
      'B1,opiate,1,2,0.500000,1,1,1.000000,final,,0.00',
    ]);
  });

  it('the JSON gives the reason for every row and what summary.json needs', () => {
    const doc = JSON.parse(healthPremiumJson(run.result, run.segments, info));
    expect(doc).toMatchObject({ national_indicator: 'combined', paid: '5000000.00', unallocated: { total: '0.00' }, provisional: false, local_supplied: false });
    expect(doc.rows).toHaveLength(8);
    expect(doc.rows[5]).toMatchObject({ area_code: 'B1', indicator: 'combined', eligible: true, baseline: { rate: '0.500000', lower: '0.094531', upper: '0.905469' } });
    expect(doc.rows[5].reason).toContain('Eligible: it shares the whole pot by denominator.');
    expect(doc.notes[0]).toContain('whole pot is judged on the national indicator');
  });

  it('the terminal summary shows the judged rows with their reasons', () => {
    const text = healthPremiumText(run.result, info);
    expect(text).toContain('B1  combined: 0.500000 (1/2) → 1.000000 (1/1) [final] eligible, £5,000,000.00');
    expect(text).toContain('Paid £5,000,000.00; unallocated £0.00.');
  });

  it('segments CSV carries Wilson intervals', () => {
    const seg = healthPremiumSegmentsCsv(run.segments, '0.95').split('\n');
    expect(seg[0]).toBe('area_code,segment,indicator,baseline_numerator,baseline_denominator,baseline_rate,baseline_lower,baseline_upper,current_numerator,current_denominator,current_rate,current_lower,current_upper,status');
    expect(seg).toContain('B1,age:35-49,opiate,1,2,0.500000,0.094531,0.905469,1,1,1.000000,0.206549,1.000000,final');
  });
});

describe('byte-identical outputs whatever the input row order (R-PAY-7)', () => {
  it('CSV, segments and JSON (property)', () => {
    const out = (d: Dataset, asOf: string) => {
      const r = runHealthPremium({ scheme, data: d, baselineStart: '2020-04-01', currentStart: '2021-04-01', asOf });
      return healthPremiumCsv(r.result) + healthPremiumSegmentsCsv(r.segments, '0.95') + healthPremiumJson(r.result, r.segments, { ...info, as_of: asOf });
    };
    fc.assert(
      fc.property(datasetArb.chain((d) => fc.tuple(fc.constant(d), shuffledArb(d))), fc.constantFrom('2021-06-30', '2022-03-31', '2022-09-30'), ([d, s], asOf) => {
        expect(out(s, asOf)).toBe(out(d, asOf));
      }),
      { numRuns: 60 },
    );
  });
});
