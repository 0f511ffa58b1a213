import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/money/amount.js';
import { clientItems } from '../../src/payments/items.js';
import { byClient, decision, episode, journey, met, testScheme } from './builders.js';

const summary = (items: ReturnType<typeof clientItems>['items']) =>
  items.map((i) => `${i.payment_type} ${i.provider_id} ${i.payable_on} ${i.outcome_id || '-'} ${i.tariff_band} ${formatMoney(i.amount)}`).sort();

describe('per-client items (R-PAY-2, R-JNY-4)', () => {
  it('pays attachment on journey start to the first episode provider, outcomes on achieved_on to the decision provider', () => {
    const j = journey(
      episode({ id: 'E1', provider: 'P1', start: '2012-05-01', end: '2012-08-01', exit: 'transferred_not_in_custody', band: '2' }),
      episode({ id: 'E2', provider: 'P2', start: '2012-08-10', end: '2012-12-01' }),
    );
    const { items } = clientItems(byClient([j], [met(j, 'ffd', '2013-06-01', { provider: 'P2' })]), testScheme().tariff, '2014-03-31');
    expect(summary(items)).toEqual(['attachment P1 2012-05-01 - 2 150.00', 'outcome P2 2013-06-01 ffd 2 1500.00']);
  });

  it('worked example: a journey without a band is paid at the default band, or not at all (counted unbanded)', () => {
    const j = journey(episode({ id: 'E1', start: '2012-05-01', end: '2012-09-01' }));
    const d = met(j, 'ffd', '2013-03-01');
    const noDefault = clientItems(byClient([j], [d]), testScheme().tariff, '2014-03-31');
    expect(noDefault.items).toEqual([]);
    expect(noDefault.unpriced.unbanded).toEqual({ journeys: 1, items: 2 });

    const withDefault = clientItems(byClient([j], [d]), testScheme({ tariff: { defaultBand: '1' } }).tariff, '2014-03-31');
    expect(summary(withDefault.items)).toEqual(['attachment P1 2012-05-01 - 1 100.00', 'outcome P1 2013-03-01 ffd 1 1000.00']);
    expect(withDefault.unpriced.unbanded).toEqual({ journeys: 0, items: 0 });
  });

  it('a band the tariff does not know is not paid and is reported', () => {
    const j = journey(episode({ id: 'E1', start: '2012-05-01', band: '9' }));
    const { items, unpriced } = clientItems(byClient([j]), testScheme().tariff, '2014-03-31');
    expect(items).toEqual([]);
    expect(unpriced.unknown_band).toEqual({ items: 1, bands: ['9'] });
  });

  it('R-PAY-2: a band added to a tariff between two calls is priced by the second', () => {
    const j = journey(episode({ id: 'E1', start: '2012-05-01', band: '9' }));
    const tariff = testScheme().tariff!;
    expect(clientItems(byClient([j]), tariff, '2014-03-31').unpriced.unknown_band.items).toBe(1);
    tariff.bands.push('9');
    tariff.attachment!['9'] = '90';
    const again = clientItems(byClient([j]), tariff, '2014-03-31');
    expect(summary(again.items)).toEqual(['attachment P1 2012-05-01 - 9 90.00']);
    expect(again.unpriced.unknown_band.items).toBe(0);
  });

  it('one payment per journey and outcome, the earliest met, whatever order the decisions come in (R-OUT-10)', () => {
    const j = journey(episode({ id: 'E1', start: '2012-05-01', end: '2012-09-01', band: '1' }));
    const later = met(j, 'ffd', '2013-06-01', { provider: 'P2' });
    const earlier = met(j, 'ffd', '2013-03-01');
    for (const order of [[later, earlier], [earlier, later]]) {
      const { items } = clientItems(byClient([j], order), testScheme().tariff, '2014-03-31');
      expect(summary(items)).toEqual(['attachment P1 2012-05-01 - 1 100.00', 'outcome P1 2013-03-01 ffd 1 1000.00']);
    }
  });

  it('pays only met decisions with a price, and nothing dated after asOf', () => {
    const j = journey(episode({ id: 'E1', start: '2012-05-01', end: '2012-09-01', band: '1' }));
    const decisions = [
      met(j, 'ffd', '2013-03-01'),
      decision(j, 'abst', 'not_met'),
      met(j, 'emp', '2013-01-01'), // no outcome price for emp in the test tariff
    ];
    expect(summary(clientItems(byClient([j], decisions), testScheme().tariff, '2013-02-28').items)).toEqual(['attachment P1 2012-05-01 - 1 100.00']);
  });

  it('R-OUT-10: an outcome of a journey is paid once even if listed twice', () => {
    const j = journey(episode({ id: 'E1', start: '2012-05-01', end: '2012-09-01', band: '1' }));
    const { items } = clientItems(byClient([j], [met(j, 'ffd', '2013-03-05'), met(j, 'ffd', '2013-03-01')]), testScheme().tariff, '2014-03-31');
    expect(summary(items).filter((s) => s.startsWith('outcome'))).toEqual(['outcome P1 2013-03-01 ffd 1 1000.00']);
  });

  it('R-OUT-5: each sustainment date is an item, to the provider in charge on that date', () => {
    const scheme = testScheme({ tariff: { outcomes: { emp: { '1': '800.00', '2': '800.00', '3': '800.00' } }, sustainment: { emp: { '1': '60.00', '2': '60.00', '3': '60.00' } } } });
    const j = journey(
      episode({ id: 'E1', provider: 'P1', start: '2012-05-01', band: '1', end: '2012-11-01', exit: 'transferred_not_in_custody' }),
      episode({ id: 'E2', provider: 'P2', start: '2012-11-05', band: '1' }),
    );
    const d = met(j, 'emp', '2012-10-01', { provider: 'P1', sustainment: ['2012-10-29', '2012-11-26', '2012-12-24'] });
    const { items } = clientItems(byClient([j], [d]), scheme.tariff, '2012-12-01');
    expect(summary(items)).toEqual([
      'attachment P1 2012-05-01 - 1 100.00',
      'outcome P1 2012-10-01 emp 1 800.00',
      'sustainment P1 2012-10-29 emp 1 60.00',
      'sustainment P2 2012-11-26 emp 1 60.00',
    ]);
  });
});
