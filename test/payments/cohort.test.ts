import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/money/amount.js';
import { calculatePayments } from '../../src/payments/index.js';
import { byClient, decision, episode, journey, met, testScheme } from './builders.js';

// Five P1 journeys, all band 1, in treatment Jan–Feb 2012; J5 stays open. ffd is met by J1 on
// 1 May, J2 on 1 Aug, J3 on 15 Nov 2012; J4 not met; J5 pending; J6 not eligible.
const js = [1, 2, 3, 4, 6].map((i) => journey(episode({ id: `J${i}`, client: `C${i}`, start: '2012-01-10', end: '2012-02-01', band: '1' })));
const j5 = journey(episode({ id: 'J5', client: 'C5', start: '2012-01-10', band: '1' }));
const [j1, j2, j3, j4, j6] = js as [typeof j5, typeof j5, typeof j5, typeof j5, typeof j5];
const decisions = [
  met(j1, 'ffd', '2012-05-01'),
  met(j2, 'ffd', '2012-08-01'),
  met(j3, 'ffd', '2012-11-15'),
  decision(j4, 'ffd', 'not_met'),
  decision(j5, 'ffd', 'pending'),
  decision(j6, 'ffd', 'not_eligible', { reason: 'not_in_population' }),
];
const clients = byClient([j1, j2, j3, j4, j5, j6], decisions);

const cohortScheme = (measure: Record<string, unknown>, window: Record<string, unknown> = {}) =>
  testScheme({
    tariff: { attachment: { '1': '0.00', '2': '0.00', '3': '0.00' }, outcomes: {} },
    cohortTariff: { cohorts: [{ id: 'all', bands: ['1', '2', '3'] }], window, measures: [{ outcome: 'ffd', ...measure }] },
  });

describe('cohort tariff (R-PAY-3)', () => {
  it('worked example: the rolling 12-month rate crosses a threshold and the price per member rises', () => {
    const scheme = cohortScheme({ schedule: [{ minRate: '0.2', pricePerMember: '10.00' }, { minRate: '0.4', pricePerMember: '25.00' }] });
    const r = calculatePayments({ clients }, scheme, { asOf: '2013-03-31' });
    const rates = r.cohorts.map((c) => `${c.period_start} ${c.window_start}..${c.window_end} ${c.met}/${c.members} step ${c.step ?? '-'} ${formatMoney(c.amount)}`);
    expect(rates).toEqual([
      '2012-04-01 2011-07-01..2012-06-30 1/5 step 0.2 50.00', // 20%: £10 × 5
      '2012-07-01 2011-10-01..2012-09-30 2/5 step 0.4 125.00', // 40% reaches the next step: £25 × 5
      '2012-10-01 2012-01-01..2012-12-31 3/5 step 0.4 125.00',
      '2013-01-01 2012-04-01..2013-03-31 0/1 step - 0.00', // only the open J5 is in treatment in this window
    ]);
    const cohortRows = r.rows.filter((x) => x.payment_type === 'cohort').map((x) => `${x.period_start} ${x.outcome_id || '-'} ${x.tariff_band} ${x.count} ${formatMoney(x.amount)}`);
    expect(cohortRows).toEqual(['2012-04-01 - 1+2+3 1 50.00', '2012-07-01 - 1+2+3 1 125.00', '2012-10-01 - 1+2+3 1 125.00']);
    // Payable on the period's last day, so it falls in that period.
    expect(r.lines.filter((l) => l.payment_type === 'cohort').map((l) => l.payable_on)).toEqual(['2012-06-30', '2012-09-30', '2012-12-31']);
  });

  it('a period is paid only once it has ended by asOf, and never changes when asOf moves later', () => {
    const scheme = cohortScheme({ schedule: [{ minRate: '0.2', pricePerMember: '10.00' }] });
    const early = calculatePayments({ clients }, scheme, { asOf: '2012-09-29' }).cohorts.map((c) => `${c.period_start} ${c.met}/${c.members}`);
    const late = calculatePayments({ clients }, scheme, { asOf: '2014-03-31' }).cohorts.map((c) => `${c.period_start} ${c.met}/${c.members}`);
    expect(early).toEqual(['2012-04-01 1/5']);
    expect(late.slice(0, 1)).toEqual(early);
  });

  it('per point above a baseline, and fixed 12-month windows paid in their last period', () => {
    const scheme = cohortScheme({ perPoint: { baseline: '0.1', pricePerPoint: '7.50' } }, { kind: 'fixed', months: 12 });
    const r = calculatePayments({ clients }, scheme, { asOf: '2013-03-31' });
    // One window 2012-04-01..2013-03-31: only J5 is in treatment → rate 0 → below baseline, nothing paid.
    expect(r.cohorts.map((c) => `${c.window_start}..${c.window_end} ${c.met}/${c.members} ${formatMoney(c.amount)}`)).toEqual([
      '2012-04-01..2013-03-31 0/1 0.00',
    ]);
    const rolling = calculatePayments({ clients }, cohortScheme({ perPoint: { baseline: '0.1', pricePerPoint: '7.50' } }), { asOf: '2012-09-30' });
    // 2/5 = 40% → 30 points above 10% × £7.50 = £225.00
    expect(rolling.cohorts.map((c) => formatMoney(c.amount))).toEqual(['75.00', '225.00']);
  });

  it('members are counted per provider of the first episode and per cohort of bands', () => {
    const other = journey(episode({ id: 'K1', client: 'C9', provider: 'P2', start: '2012-03-01', end: '2012-03-20', band: '3' }));
    const scheme = testScheme({
      tariff: { outcomes: {} },
      cohortTariff: {
        cohorts: [{ id: 'low', bands: ['1', '2'] }, { id: 'high', bands: ['3'] }],
        measures: [{ outcome: 'ffd', schedule: [{ minRate: '0', pricePerMember: '1.00' }] }],
      },
    });
    const r = calculatePayments({ clients: [...clients, ...byClient([other], [met(other, 'ffd', '2012-09-20')])] }, scheme, { asOf: '2012-06-30' });
    expect(r.cohorts.map((c) => `${c.provider_id} ${c.cohort_id} ${c.met}/${c.members}`)).toEqual(['P1 low 1/5', 'P2 high 0/1']);
  });

  it('rates come in order of provider, period, cohort and outcome, each in code point order (R-PAY-3)', () => {
    // Providers, cohorts and outcomes named against the order the tariff and the clients give them:
    // P1 has members of both cohorts, each with both outcomes.
    const zeta = journey(episode({ id: 'K1', client: 'C9', provider: 'P2', start: '2012-01-05', end: '2012-01-20', band: '1' }));
    const alpha = journey(episode({ id: 'K2', client: 'C8', provider: 'P10', start: '2012-01-05', end: '2012-01-20', band: '3' }));
    const high = journey(episode({ id: 'K3', client: 'C7', provider: 'P1', start: '2012-01-05', end: '2012-01-20', band: '3' }));
    const scheme = testScheme({
      tariff: { outcomes: {} },
      cohortTariff: {
        cohorts: [{ id: 'z-low', bands: ['1', '2'] }, { id: 'a-high', bands: ['3'] }],
        measures: [
          { outcome: 'ffd', schedule: [{ minRate: '0', pricePerMember: '1.00' }] },
          { outcome: 'abst', schedule: [{ minRate: '0', pricePerMember: '1.00' }] },
        ],
      },
    });
    const more = [zeta, alpha, high];
    const all = [
      ...byClient([j1, j2, j3, j4, j5, j6], [...decisions, met(j1, 'abst', '2012-06-01')]),
      ...byClient(more, more.flatMap((j) => [met(j, 'ffd', '2012-05-01'), decision(j, 'abst', 'not_met')])),
    ];
    const r = calculatePayments({ clients: all }, scheme, { asOf: '2013-03-31' });
    const keys = r.cohorts.map((c) => [c.provider_id, c.period_start, c.cohort_id, c.outcome_id]);
    expect(new Set(keys.map((k) => k[0])).size).toBe(3);
    expect(new Set(keys.map((k) => k[1])).size).toBeGreaterThan(1);
    const byCodePoint = (a: string[], b: string[]) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
      return 0;
    };
    expect(keys).toEqual([...keys].sort(byCodePoint));
    expect(new Set(keys.map((k) => k[2])).size).toBe(2);
    expect(new Set(keys.map((k) => k[3])).size).toBe(2);
    expect(keys.slice(0, 4)).toEqual([
      ['P1', '2012-04-01', 'a-high', 'abst'],
      ['P1', '2012-04-01', 'a-high', 'ffd'],
      ['P1', '2012-04-01', 'z-low', 'abst'],
      ['P1', '2012-04-01', 'z-low', 'ffd'],
    ]);
  });
});
