import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, money, sumMoney } from '../../src/money/amount.js';
import { calculatePayments, paymentSummaryJson, paymentTable, paymentsCsv } from '../../src/payments/index.js';
import { PAYMENT_TYPES } from '../../src/payments/types.js';
import { mergeSchemeDocuments, parseScheme } from '../../src/schema/scheme/index.js';
import { byClient, episode, journey, met, testScheme } from './builders.js';
import { arbitraryRun } from './generators.js';

const shuffled = <T>(xs: readonly T[], seed: number): T[] => {
  const a = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const k = s % (i + 1);
    [a[i], a[k]] = [a[k]!, a[i]!];
  }
  return a;
};

describe('payments.csv and totals (SPEC §4, R-PAY-1..8)', () => {
  it('R-PAY-8: items before the contract start or after its end are not paid and are counted', () => {
    const scheme = testScheme({ contract: { start: '2012-04-01', end: '2013-03-31' } });
    const before = journey(episode({ id: 'E1', client: 'C1', start: '2012-03-31', end: '2012-04-20', band: '1' }));
    const after = journey(episode({ id: 'E2', client: 'C2', start: '2013-01-01', end: '2013-02-01', band: '2' }));
    const r = calculatePayments({ clients: byClient([before, after], [met(before, 'ffd', '2012-10-20'), met(after, 'ffd', '2013-08-01')]) }, scheme, {
      asOf: '2014-03-31',
    });
    expect(paymentsCsv(r.rows).split('\n').slice(1, -1)).toEqual([
      'P1,default,2012-10-01,outcome,ffd,1,1,1000.00,0.00',
      'P1,default,2013-01-01,attachment,,2,1,150.00,0.00',
    ]);
    expect(r.counts.outside_contract.items).toBe(2);
    expect(formatMoney(r.counts.outside_contract.amount)).toBe('1600.00'); // £100 attachment + £1,500 outcome
    expect(paymentSummaryJson(r).outside_contract).toEqual({ items: 2, amount: '1600.00' });
  });

  it('R-PAY-6: payers split each payment by share, and the parts sum to the payment', () => {
    const scheme = testScheme({
      tariff: { attachment: { '1': '100.01', '2': '150.00', '3': '200.00' } },
      payers: [{ id: 'local', share: '0.8' }, { id: 'central', share: '0.2' }],
    });
    const js = ['A', 'B', 'C'].map((c) => journey(episode({ id: `E${c}`, client: c, start: '2012-05-01', band: '1' })));
    const r = calculatePayments({ clients: byClient(js) }, scheme, { asOf: '2012-06-30' });
    // One payment of 3 × £100.01 = £300.03 → 80% = 240.024, 20% = 60.006 → 240.02 + 60.01 (largest remainder)
    expect(paymentsCsv(r.rows)).toBe(
      'provider_id,payer,period_start,payment_type,outcome_id,tariff_band,count,amount,capped_amount\n' +
        'P1,central,2012-04-01,attachment,,1,3,60.01,0.00\n' +
        'P1,local,2012-04-01,attachment,,1,3,240.02,0.00\n',
    );
  });

  it('property: payer parts sum to the payment, row by row and in total', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.integer({ min: 1, max: 99 }), ({ clients, asOf }, pct) => {
        const payers = [{ id: 'local', share: (pct / 100).toString() }, { id: 'central', share: ((100 - pct) / 100).toString() }];
        const one = calculatePayments({ clients }, testScheme(), { asOf });
        const split = calculatePayments({ clients }, testScheme({ payers }), { asOf });
        const key = (r: (typeof one.rows)[number]) => [r.provider_id, r.period_start, r.payment_type, r.outcome_id, r.tariff_band].join('|');
        for (const row of one.rows) {
          const parts = split.rows.filter((x) => key(x) === key(row));
          expect(parts.map((p) => p.payer).sort()).toEqual(['central', 'local']);
          expect(sumMoney(parts.map((p) => p.amount)).equals(row.amount)).toBe(true);
        }
        expect(sumMoney(split.rows.map((r) => r.amount)).equals(one.totals.total)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('property (R-PAY-7): same inputs in any order ⇒ byte-identical payments.csv and summary', () => {
    const scheme = testScheme({
      tariff: { defaultBand: '2', sustainment: { emp: { '1': '10.00', '2': '20.00', '3': '30.00' } } },
      contract: { defaultTerms: { annualValue: '12000.00', pbrShare: '0.4', cap: '2500.00' } },
      payers: [{ id: 'la', share: '0.7' }, { id: 'ccg', share: '0.3' }],
      cohortTariff: { cohorts: [{ id: 'all', bands: ['1', '2', '3'] }], measures: [{ outcome: 'abst', schedule: [{ minRate: '0.1', pricePerMember: '5.00' }] }] },
    });
    fc.assert(
      fc.property(arbitraryRun(), fc.integer(), ({ clients, asOf }, seed) => {
        const a = calculatePayments({ clients }, scheme, { asOf });
        const mixed = shuffled(clients, seed).map((c, i) => ({ ...c, journeys: shuffled(c.journeys, seed + i), decisions: shuffled(c.decisions, seed - i) }));
        const b = calculatePayments({ clients: mixed }, scheme, { asOf });
        expect(paymentsCsv(b.rows)).toBe(paymentsCsv(a.rows));
        expect(JSON.stringify(paymentSummaryJson(b))).toBe(JSON.stringify(paymentSummaryJson(a)));
      }),
      { numRuns: 50 },
    );
  });

  it('property: with no cap binding, outcome payments scale linearly with outcome prices', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.integer({ min: 0, max: 20 }), ({ clients, asOf }, k) => {
        const base = { tariff: { outcomes: { ffd: { '1': '10.01', '2': '20.02', '3': '30.03' }, abst: { '1': '1.00', '2': '0.50', '3': '0.01' } } } };
        const scaled = { tariff: { outcomes: { ffd: { '1': money('10.01').times(k).toFixed(2), '2': money('20.02').times(k).toFixed(2), '3': money('30.03').times(k).toFixed(2) }, abst: { '1': `${k}.00`, '2': money('0.5').times(k).toFixed(2), '3': money('0.01').times(k).toFixed(2) } } } };
        const a = calculatePayments({ clients }, testScheme(base), { asOf });
        const b = calculatePayments({ clients }, testScheme(scaled), { asOf });
        expect(b.totals.by_type.outcome.equals(a.totals.by_type.outcome.times(k))).toBe(true);
        expect(b.totals.by_type.attachment.equals(a.totals.by_type.attachment)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('property: totals are the sums of the rows (sums of rounded items, R-PAY-1)', () => {
    fc.assert(
      fc.property(arbitraryRun(), ({ clients, asOf }) => {
        const r = calculatePayments({ clients }, testScheme({ contract: { defaultTerms: { annualValue: '9999.99', pbrShare: '0.33', cap: '1500' } } }), { asOf });
        for (const t of PAYMENT_TYPES) {
          expect(sumMoney(r.rows.filter((x) => x.payment_type === t).map((x) => x.amount)).equals(r.totals.by_type[t])).toBe(true);
        }
        expect(sumMoney(r.rows.map((x) => x.capped_amount)).equals(r.totals.capped)).toBe(true);
        for (const x of r.rows) expect(x.amount.times(100).isInteger()).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('prints a readable table per provider and quarter', () => {
    const js = [
      journey(episode({ id: 'E1', client: 'C1', start: '2012-05-01', end: '2012-06-01', band: '2' })),
      journey(episode({ id: 'E2', client: 'C2', provider: 'P2', start: '2012-08-01', band: '1' })),
    ];
    const r = calculatePayments({ clients: byClient(js, [met(js[0]!, 'ffd', '2012-12-01')]) }, testScheme(), { asOf: '2013-03-31' });
    expect(paymentTable(r.rows)).toBe(
      [
        'provider  period      attachment    outcome      total  capped',
        '--------  ----------  ----------  ---------  ---------  ------',
        'P1        2012-04-01     £150.00      £0.00    £150.00   £0.00',
        '          2012-10-01       £0.00  £1,500.00  £1,500.00   £0.00',
        '          total          £150.00  £1,500.00  £1,650.00   £0.00',
        'P2        2012-07-01     £100.00      £0.00    £100.00   £0.00',
        '          total          £100.00      £0.00    £100.00   £0.00',
        '',
      ].join('\n'),
    );
  });

  it('a scheme whose payment sections contradict each other is refused with every problem by path (R-VAL-4)', () => {
    const doc = mergeSchemeDocuments(
      { id: 't', version: '1', title: 't', outcomes: [{ id: 'ffd', title: 'x', primitives: [{ type: 'successful_completion' }] }] },
      {
        tariff: { bands: ['1', '1'], defaultBand: '4', outcomes: { nope: { '1': '1.00' } }, sustainment: { ffd: { '1': '1.00' } } },
        contract: { providers: { P1: { annualValue: '1', pbrShare: '0.5' } } },
        payers: [{ id: 'a', share: '0.5' }, { id: 'a', share: '0.4' }],
        cohortTariff: {
          cohorts: [{ id: 'c', bands: ['1'] }, { id: 'c', bands: ['1', '7'] }],
          window: { kind: 'fixed', months: 4 },
          measures: [{ outcome: 'zz', schedule: [{ minRate: '0.5', pricePerMember: '1' }, { minRate: '0.4', pricePerMember: '2' }], perPoint: { baseline: '0', pricePerPoint: '1' } }],
        },
      },
    );
    const r = parseScheme(doc);
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'tariff.bands[1]',
        'tariff.defaultBand',
        'tariff.outcomes.nope',
        'tariff.sustainment.ffd',
        'contract.start',
        'payers',
        'payers[1].id',
        'cohortTariff.cohorts[1].id',
        'cohortTariff.cohorts[1].bands[0]',
        'cohortTariff.cohorts[1].bands[1]',
        'cohortTariff.window.months',
        'cohortTariff.measures[0].outcome',
        'cohortTariff.measures[0]',
        'cohortTariff.measures[0].schedule[1].minRate',
      ]),
    );
  });
});

