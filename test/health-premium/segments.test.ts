import { describe, expect, it } from 'vitest';
import { computeIndicators } from '../../src/health-premium/indicators.js';
import { ageBandOf, isNewerUser, segmentIndicators } from '../../src/health-premium/segments.js';
import { dataset, episode, opiateEpisode } from '../support/builders.js';
import { AS_OF, BASELINE, CURRENT, hpOf, hpScheme } from './support.js';

describe('age bands', () => {
  it.each([
    [17, 'under_18'],
    [18, '18-24'],
    [24, '18-24'],
    [25, '25-34'],
    [49, '35-49'],
    [50, '50+'],
    [undefined, 'unknown'],
  ])('age %s is in band %s', (age, band) => {
    expect(ageBandOf(age, [18, 25, 35, 50])).toBe(band);
  });
});

describe('newer opiate users (Drug Strategy 2017 segmentation)', () => {
  it('first journey on or after the period end minus N years', () => {
    // Current period 2014-04-01 to 2015-03-31; 2 years back from 2015-04-01 is 2013-04-01.
    expect(isNewerUser({ first_journey_start: '2013-04-01' }, CURRENT, 12, 2)).toBe(true);
    expect(isNewerUser({ first_journey_start: '2013-03-31' }, CURRENT, 12, 2)).toBe(false);
    expect(isNewerUser({ first_journey_start: '2013-03-31' }, CURRENT, 12, 3)).toBe(true);
  });

  const data = dataset({
    episodes: [
      // C1: long-standing opiate user (first journey 2010), completes in the current period.
      opiateEpisode('E0', '2010-01-01', '2010-06-01', { client_id: 'C1', age_at_start: 44 }),
      opiateEpisode('E1', '2014-05-01', '2014-08-01', { client_id: 'C1', age_at_start: 48 }),
      // C2: newer opiate user, does not complete.
      opiateEpisode('E2', '2014-01-01', undefined, { client_id: 'C2', age_at_start: 23 }),
      // C3: newer opiate user, completes.
      opiateEpisode('E3', '2014-06-01', '2014-10-01', { client_id: 'C3', age_at_start: 22 }),
      // C4: non-opiate, not in the opiate segments.
      episode('E4', '2014-06-01', undefined, { client_id: 'C4', substances: ['cannabis'], age_at_start: 19 }),
    ],
  });
  const hp = hpOf();
  const computed = computeIndicators(data, { ...hpScheme(), healthPremium: hp }, { baseline: BASELINE, current: CURRENT, asOf: AS_OF });
  const rows = segmentIndicators(computed.clients, { hp, baselineStart: BASELINE, currentStart: CURRENT, asOf: AS_OF });
  const find = (segment: string, indicator: string) => rows.find((r) => r.segment === segment && r.indicator === indicator);

  it('newer and longer-term opiate users are counted apart, on the opiate indicator only', () => {
    expect(find('newer_users', 'opiate')!.current).toMatchObject({ numerator: 1, denominator: 2 });
    expect(find('longer_term_users', 'opiate')!.current).toMatchObject({ numerator: 1, denominator: 1 });
    expect(find('newer_users', 'combined')).toBeUndefined();
  });

  it('age bands use age at start of the latest journey in the period, for every indicator', () => {
    expect(find('age:18-24', 'opiate')!.current).toMatchObject({ numerator: 1, denominator: 2 });
    expect(find('age:18-24', 'non_opiate')!.current).toMatchObject({ numerator: 0, denominator: 1 });
    expect(find('age:18-24', 'combined')!.current).toMatchObject({ numerator: 1, denominator: 3 });
    expect(find('age:35-49', 'opiate')!.current).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('leaves out segments with no one in either period and sorts by area, segment, indicator', () => {
    expect(rows.every((r) => r.baseline.denominator > 0 || r.current.denominator > 0)).toBe(true);
    const keys = rows.map((r) => `${r.area_code}|${r.segment}|${r.indicator}`);
    expect([...keys].sort()).toEqual(keys);
  });

  it('the newer-user cut-off is a parameter', () => {
    const hp10 = hpOf({ segments: { newerUserYears: 10 } });
    const all = segmentIndicators(computed.clients, { hp: hp10, baselineStart: BASELINE, currentStart: CURRENT, asOf: AS_OF });
    expect(all.find((r) => r.segment === 'newer_users')!.current).toMatchObject({ numerator: 2, denominator: 3 });
    expect(all.find((r) => r.segment === 'longer_term_users')).toBeUndefined();
  });
});
