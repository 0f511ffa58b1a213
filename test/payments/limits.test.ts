import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/money/amount.js';
import { calculatePayments } from '../../src/payments/index.js';
import { byClient, episode, journey, met, testScheme } from './builders.js';

describe('per-client limits (R-OUT-10)', () => {
  const j1 = journey(episode({ id: 'E1', start: '2012-04-10', end: '2012-05-01', band: '1' }));
  const j2 = journey(episode({ id: 'E2', start: '2012-07-01', end: '2012-08-01', band: '1' }));
  const j3 = journey(episode({ id: 'E3', start: '2013-05-01', end: '2013-06-01', band: '1' }));
  const decisions = [met(j2, 'abst', '2012-08-01'), met(j1, 'abst', '2012-05-01'), met(j3, 'abst', '2013-06-01')];

  it('by default each journey may be paid the outcome once: three journeys, three payments', () => {
    const r = calculatePayments({ clients: byClient([j1, j2, j3], decisions) }, testScheme(), { asOf: '2014-03-31' });
    expect(r.lines.filter((l) => l.payment_type === 'outcome' && l.status === 'payable')).toHaveLength(3);
  });

  it('maxPerClientPerYear 1: the second payment in the same contract year is not paid and is counted', () => {
    const r = calculatePayments({ clients: byClient([j1, j2, j3], decisions) }, testScheme({ tariff: { maxPerClientPerYear: { abst: 1 } } }), {
      asOf: '2014-03-31',
    });
    const outcome = r.lines.filter((l) => l.payment_type === 'outcome').map((l) => `${l.journey_id} ${l.status}`);
    expect(outcome).toEqual(['E1 payable', 'E2 over_client_limit', 'E3 payable']);
    expect(r.counts.over_client_limit.items).toBe(1);
    expect(formatMoney(r.counts.over_client_limit.amount)).toBe('500.00');
    expect(formatMoney(r.totals.by_type.outcome)).toBe('1000.00');
  });
});
