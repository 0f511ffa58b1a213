import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZERO, formatMoney, money } from '../../src/money/amount.js';
import { calculatePayments, paymentsCsv } from '../../src/payments/index.js';
import { byClient, episode, journey, met, testScheme } from './builders.js';
import { arbitraryRun } from './generators.js';

describe('caps per provider per contract year (R-PAY-4)', () => {
  it('worked example: a cap that binds mid-quarter pays the crossing item in part and cuts the rest', () => {
    const scheme = testScheme({ contract: { providers: { P1: { annualValue: '10000.00', pbrShare: '1', cap: '2000.00' } } } });
    const c1 = journey(episode({ id: 'E1', client: 'C1', start: '2012-05-01', end: '2012-06-01', band: '2' }));
    const c2 = journey(episode({ id: 'E2', client: 'C2', start: '2012-06-20', band: '3' }));
    const c3 = journey(episode({ id: 'E3', client: 'C3', start: '2012-07-02', end: '2012-08-01', band: '1' }));
    const c4 = journey(episode({ id: 'E4', client: 'C4', start: '2012-09-01', band: '2' }));
    const c5 = journey(episode({ id: 'E5', client: 'C5', start: '2013-04-02', band: '1' }));
    const decisions = [met(c1, 'ffd', '2012-06-10'), met(c3, 'abst', '2012-08-15')];
    const r = calculatePayments({ clients: byClient([c1, c2, c3, c4, c5], decisions) }, scheme, { asOf: '2013-06-30' });
    // Year 2012-13: 150 (C1 att) + 1500 (C1 ffd, 10 Jun) + 200 (C2 att, 20 Jun) = 1850 in Q1; Q2: C3 att
    // 100 on 2 Jul → 1950; C3 abst 500 on 15 Aug crosses the cap: 50 paid, 450 cut; C4 att 150 on
    // 1 Sep cut entirely. Year 2013-14 starts afresh.
    expect(paymentsCsv(r.rows)).toBe(
      [
        'provider_id,payer,period_start,payment_type,outcome_id,tariff_band,count,amount,capped_amount',
        'P1,default,2012-04-01,attachment,,2,1,150.00,0.00',
        'P1,default,2012-04-01,attachment,,3,1,200.00,0.00',
        'P1,default,2012-04-01,outcome,ffd,2,1,1500.00,0.00',
        'P1,default,2012-07-01,attachment,,1,1,100.00,0.00',
        'P1,default,2012-07-01,attachment,,2,1,0.00,150.00',
        'P1,default,2012-07-01,outcome,abst,1,1,50.00,450.00',
        'P1,default,2013-04-01,attachment,,1,1,100.00,0.00',
        '',
      ].join('\n'),
    );
    expect(formatMoney(r.counts.capped.amount)).toBe('600.00');
    expect(r.counts.capped.items).toBe(2);
  });

  it('only the payment types in capCovers count against the cap', () => {
    const scheme = testScheme({
      contract: { capCovers: ['outcome'], providers: { P1: { annualValue: '0', pbrShare: '1', cap: '1000.00' } } },
    });
    const j = journey(episode({ id: 'E1', start: '2012-05-01', end: '2012-06-01', band: '2' }));
    const r = calculatePayments({ clients: byClient([j], [met(j, 'ffd', '2012-06-10')]) }, scheme, { asOf: '2013-03-31' });
    const by = Object.fromEntries(r.lines.map((l) => [l.payment_type, `${formatMoney(l.paid)}/${formatMoney(l.capped)}`]));
    expect(by).toEqual({ attachment: '150.00/0.00', outcome: '1000.00/500.00' });
  });

  it('property: no provider is paid above its cap in any contract year, and paid + capped = amount', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.integer({ min: 0, max: 5000 }), ({ clients, asOf }, cap) => {
        const scheme = testScheme({ contract: { defaultTerms: { annualValue: '50000.00', pbrShare: '0.5', cap: `${cap}.00` } } });
        const r = calculatePayments({ clients }, scheme, { asOf });
        const perYear = new Map<string, ReturnType<typeof money>>();
        for (const l of r.lines) {
          expect(l.paid.plus(l.capped).equals(l.status === 'payable' ? l.amount : ZERO)).toBe(true);
          if (l.payment_type === 'fixed' || l.status !== 'payable') continue;
          const k = `${l.provider_id}|${l.contract_year}`;
          perYear.set(k, (perYear.get(k) ?? ZERO).plus(l.paid));
        }
        for (const v of perYear.values()) expect(v.lessThanOrEqualTo(cap)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('property: the cut is chronological — once an item is cut, every later item of that provider-year is cut', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.integer({ min: 0, max: 3000 }), ({ clients, asOf }, cap) => {
        const scheme = testScheme({ contract: { defaultTerms: { annualValue: '0', pbrShare: '1', cap: `${cap}.00` } } });
        const r = calculatePayments({ clients }, scheme, { asOf });
        const cutSeen = new Set<string>();
        for (const l of r.lines) {
          if (l.status !== 'payable' || l.payment_type === 'fixed') continue;
          const k = `${l.provider_id}|${l.contract_year}`;
          if (cutSeen.has(k)) expect(l.paid.isZero()).toBe(true);
          if (l.capped.greaterThan(0)) cutSeen.add(k);
        }
      }),
      { numRuns: 60 },
    );
  });
});
