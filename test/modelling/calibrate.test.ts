import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibratePrices, fewestSummingTo } from '../../src/modelling/calibrate.js';
import { calibratedSchemeDocument } from '../../src/modelling/calibrated-scheme.js';
import { isRecoveryPbrError } from '../../src/errors.js';
import { decimal, formatMoney, money, roundToPenny } from '../../src/money/amount.js';
import { loadScheme, provenanceAt } from '../../src/schema/scheme/index.js';
import { calculatePayments } from '../../src/payments/index.js';
import { TEST_OUTCOMES, byClient, episode, journey, met, testScheme } from '../payments/builders.js';
import { arbitraryRun } from '../payments/generators.js';

// Three band-1 and two band-2 journeys of P1, and one band-3 journey of P2, all free from dependence.
const js = [
  ...[1, 2, 3].map((i) => journey(episode({ id: `A${i}`, client: `A${i}`, start: '2012-05-01', end: '2012-06-01', band: '1' }))),
  ...[1, 2].map((i) => journey(episode({ id: `B${i}`, client: `B${i}`, start: '2012-05-01', end: '2012-06-01', band: '2' }))),
  journey(episode({ id: 'C1', client: 'C1', provider: 'P2', start: '2012-05-01', end: '2012-06-01', band: '3' })),
];
const clients = byClient(js, js.map((j) => met(j, 'ffd', '2012-12-01')));
const asOf = '2013-03-31';

describe('price calibration', () => {
  it('worked example: one factor on all outcome prices meets the budget to the penny', () => {
    // ffd at base prices: 3 × 1000 + 2 × 1500 + 2000 = 8000; abst is not paid on this data.
    const r = calibratePrices({ clients }, testScheme(), { asOf, target: '9600.00' });
    expect(r.exact).toBe(true);
    expect(r.best!.factor.toString()).toBe('1.2');
    expect(r.best!.prices).toEqual({ abst: { '1': '600.00', '2': '900.00', '3': '1200.00' }, ffd: { '1': '1200.00', '2': '1800.00', '3': '2400.00' } });
    expect(r.counts.ffd).toEqual({ '1': 3, '2': 2, '3': 1 });
    // The calibrated scheme pays exactly the target on the same data.
    expect(formatMoney(calculatePayments({ clients }, r.scheme!, { asOf }).totals.by_type.outcome)).toBe('9600.00');
    // The calibrated scheme says what it is: a new id and version, and each changed price's provenance.
    expect(r.scheme!.id).toBe('test-calibrated');
    expect(r.scheme!.version).toMatch(/^1\+calibrated\.20130331\.[0-9a-f]{8}$/);
    const p = provenanceAt(r.scheme!.provenance, 'tariff.outcomes.ffd.2')!.provenance;
    expect(p.kind).toBe('calibrated');
    expect(p.calibration).toEqual({ scheme: 'test 1', from: '1500.00', factor: '1.2', target: '9600.00', amount: '9600.00', of: 'outcome', keep: 'all', asOf });
    expect(p.note).toMatch(/from £1,500\.00 in test 1 \(one factor on all outcome prices, factor 1\.2\)/);
  });

  it('the calibrated scheme: document and parsed scheme agree, versions tell calibrations apart, unchanged prices keep their provenance', () => {
    const document = {
      id: 'test',
      version: '2.1.0+local.7',
      title: 'Test',
      outcomes: TEST_OUTCOMES,
      tariff: {
        bands: ['1', '2', '3'],
        attachment: { '1': '100.00', '2': '150.00', '3': '200.00' },
        // A wrapped section: its provenance must survive for the prices calibration leaves alone.
        outcomes: { value: { ffd: { '1': '1000.00', '2': '1500.00', '3': '2000.00' }, abst: { '1': '0.00', '2': '750.00', '3': '1000.00' } }, provenance: { kind: 'illustrative', note: 'test prices' } },
      },
    };
    const scheme = loadScheme(document);
    const r = calibratePrices({ clients }, scheme, { asOf, target: '9600.00', data: 'sha256:abc' });
    const doc = calibratedSchemeDocument(document, scheme, r)!;
    expect(doc['$schema']).toBe('./scheme.schema.json');
    const loaded = loadScheme(doc);
    expect(loaded.id).toBe('test-calibrated');
    expect(loaded.version).toMatch(/^2\.1\.0\+calibrated\.20130331\.[0-9a-f]{8}$/);
    expect(loaded.version).toBe(r.scheme!.version);
    expect(loaded.title).toBe('Test — calibrated to £9,600.00 of outcome payments as of 2013-03-31');
    expect(loaded.tariff).toEqual(r.scheme!.tariff);
    // abst band 1 stays £0.00 (0 × factor): unchanged, it keeps the section's provenance.
    expect(loaded.tariff!.outcomes.abst).toEqual({ '1': '0.00', '2': '900.00', '3': '1200.00' });
    expect(provenanceAt(loaded.provenance, 'tariff.outcomes.abst.1')!.provenance.kind).toBe('illustrative');
    const changed = provenanceAt(loaded.provenance, 'tariff.outcomes.abst.2')!.provenance;
    expect(changed.kind).toBe('calibrated');
    expect(changed.calibration?.data).toBe('sha256:abc');
    expect(changed.calibration?.scheme).toBe('test 2.1.0+local.7');
    // Calibrating the calibrated scheme keeps the id; another target gives another version.
    const again = calibratePrices({ clients }, loaded, { asOf, target: '9800.00' });
    expect(again.scheme!.id).toBe('test-calibrated');
    expect(again.scheme!.version).not.toBe(loaded.version);
    expect(calibratePrices({ clients }, scheme, { asOf, target: '9600.00', data: 'sha256:abc' }).scheme!.version).toBe(loaded.version);
  });

  it('refuses a provider with no journeys in the data, naming those it has', () => {
    expect(() => calibratePrices({ clients }, testScheme(), { asOf, target: '100.00', provider: 'P9' })).toThrow(/provider 'P9' has no journeys in the data as of 2013-03-31.*providers in the data: P1, P2/);
    try {
      calibratePrices({ clients }, testScheme(), { asOf, target: '100.00', provider: 'P9' });
    } catch (e) {
      expect(isRecoveryPbrError(e) && e.code).toBe('options');
    }
  });

  it('when no penny prices can meet the target, reports the nearest totals on both sides and why', () => {
    // Only P1's band-1 items: 3 of them, so the measured total moves in steps of 3p.
    const r = calibratePrices({ clients }, testScheme(), { asOf, target: '1000.00', provider: 'P1', outcomes: ['ffd'], keep: 'outcome', weights: { bands: { '1': 1, '2': 0, '3': 0 } } });
    expect(r.exact).toBe(false);
    expect(formatMoney(r.below!.amount)).toBe('999.99');
    expect(formatMoney(r.above!.amount)).toBe('1000.02');
    expect(r.below!.prices.ffd!['1']).toBe('333.33');
    expect(r.above!.prices.ffd!['1']).toBe('333.34');
    expect(r.best).toBe(r.below); // 1p under is nearer than 2p over
    expect(r.reason).toMatch(/ffd band 1 from £333\.33 to £333\.34 \(paid on 3 items\)/);
  });

  it('worked example: when the factor steps over the target, one price moves a penny to meet it', () => {
    // T(f) = 3·round(1000f) + 2·round(1500f) + round(2000f): above factor 1.2 it steps 9600.01 (band 3
    // up a penny), 9600.03 (band 2), 9600.06 (band 1). 9600.04 lies between two steps.
    const strict = calibratePrices({ clients }, testScheme(), { asOf, target: '9600.04', outcomes: ['ffd'], nudge: false });
    expect(strict.exact).toBe(false);
    expect([formatMoney(strict.below!.amount), formatMoney(strict.above!.amount)]).toEqual(['9600.03', '9600.06']);
    const r = calibratePrices({ clients }, testScheme(), { asOf, target: '9600.04', outcomes: ['ffd'] });
    expect(r.exact).toBe(true);
    expect(r.best!.prices.ffd).toEqual({ '1': '1200.00', '2': '1800.01', '3': '2400.02' });
    expect(r.best!.nudged).toEqual([{ outcome_id: 'ffd', band: '3', from: '2400.01', to: '2400.02', count: 1 }]);
    expect(formatMoney(calculatePayments({ clients }, r.scheme!, { asOf }).totals.by_type.outcome)).toBe('9600.04');
  });

  it('calibrates to one provider, and to total payments holding the others fixed', () => {
    const p2 = calibratePrices({ clients }, testScheme(), { asOf, target: '3000.00', provider: 'P2' });
    expect(p2.exact).toBe(true);
    expect(p2.best!.prices.ffd!['3']).toBe('3000.00');
    // Total = attachments (3 × 100 + 2 × 150 + 200 = 800) + outcomes; target 8800 → outcomes 8000 → factor 1.
    const total = calibratePrices({ clients }, testScheme(), { asOf, target: '8800.00', of: 'total' });
    expect(total.exact).toBe(true);
    expect(total.best!.factor.toString()).toBe('1');
  });

  it('keep band: band relativities and the ratios between outcomes within a band kept, unless outcomes are re-weighted', () => {
    // Without weights: the same prices as keep all (ffd is twice abst in every band, as in the scheme).
    const plain = calibratePrices({ clients }, testScheme(), { asOf, target: '9600.00', keep: 'band' });
    expect(plain.best!.prices).toEqual(calibratePrices({ clients }, testScheme(), { asOf, target: '9600.00' }).best!.prices);
    expect(plain.best!.prices.abst).toEqual({ '1': '600.00', '2': '900.00', '3': '1200.00' });
    // ffd weighted 2: its prices are doubled before the common factor, so ffd is now 4 × abst in each band.
    const r = calibratePrices({ clients }, testScheme(), { asOf, target: '8000.00', keep: 'band', weights: { outcomes: { ffd: 2 } } });
    expect(r.exact).toBe(true);
    const p = r.best!.prices.ffd!;
    expect(money(p['2']!).dividedBy(money(p['1']!)).toString()).toBe('1.5');
    // 2 × (1000, 1500, 2000) × f on 3 + 2 + 1 items = 16000 f = 8000 → f = 0.5.
    expect(p).toEqual({ '1': '1000.00', '2': '1500.00', '3': '2000.00' });
    expect(r.best!.prices.abst).toEqual({ '1': '250.00', '2': '375.00', '3': '500.00' });
    expect(r.best!.prices.abst!['2']).toBe(formatMoney(roundToPenny(money(p['2']!).dividedBy(4))));
  });

  it('keep outcome: each outcome at its mean price, bands set by their weights (default: one price in every band)', () => {
    const r = calibratePrices({ clients }, testScheme(), { asOf, target: '9000.00', keep: 'outcome' });
    expect(r.exact).toBe(true);
    // ffd mean 1500, abst mean 750: 6 paid ffd items × 1500 f = 9000 → f = 1.
    expect(r.best!.prices).toEqual({ abst: { '1': '750.00', '2': '750.00', '3': '750.00' }, ffd: { '1': '1500.00', '2': '1500.00', '3': '1500.00' } });
  });

  it('caps that bind limit what any price can reach', () => {
    const scheme = testScheme({ contract: { defaultTerms: { annualValue: '0', pbrShare: '1', cap: '5000.00' } } });
    const r = calibratePrices({ clients }, scheme, { asOf, target: '20000.00' });
    expect(r.exact).toBe(false);
    expect(r.reason).toMatch(/Caps limit/);
    // Capped calibration still hits reachable targets exactly.
    const ok = calibratePrices({ clients }, scheme, { asOf, target: '5500.00' });
    expect(ok.exact).toBe(true);
    expect(formatMoney(calculatePayments({ clients }, ok.scheme!, { asOf }).totals.by_type.outcome)).toBe('5500.00');
  });

  it('fewestSummingTo picks the fewest counts adding up to the gap', () => {
    expect(fewestSummingTo([4, 8, 8, 10], 20)).toEqual([0, 1, 2]);
    expect(fewestSummingTo([5, 7, 13], 20)).toEqual([1, 2]);
    expect(fewestSummingTo([3, 3], 1)).toBeUndefined();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 10 }), fc.integer({ min: 1, max: 200 }), (vs, t) => {
        const pick = fewestSummingTo(vs, t);
        if (pick) expect(pick.reduce((s, i) => s + vs[i]!, 0)).toBe(t);
        // brute force: no smaller subset exists, and none at all when undefined
        let min = Infinity;
        for (let m = 0; m < 1 << vs.length; m++) {
          let sum = 0;
          let n = 0;
          vs.forEach((v, i) => {
            if (m & (1 << i)) (sum += v), n++;
          });
          if (sum === t) min = Math.min(min, n);
        }
        expect(pick ? pick.length : Infinity).toBe(min);
      }),
    );
  });

  it('property: a total reachable by some prices is hit exactly, and the scheme found pays it', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.integer({ min: 1, max: 400 }), ({ clients: cs, asOf: at }, pct) => {
        const base = testScheme();
        const g = decimal(pct).dividedBy(100);
        const scaled = testScheme({
          tariff: {
            outcomes: Object.fromEntries(
              Object.entries(base.tariff!.outcomes).map(([o, t]) => [o, Object.fromEntries(Object.entries(t).map(([b, p]) => [b, roundToPenny(money(p).times(g)).toFixed(2)]))]),
            ),
          },
        });
        const target = calculatePayments({ clients: cs }, scaled, { asOf: at }).totals.by_type.outcome;
        const r = calibratePrices({ clients: cs }, base, { asOf: at, target });
        if (calculatePayments({ clients: cs }, base, { asOf: at }).totals.by_type.outcome.isZero()) return; // nothing to scale
        expect(r.exact).toBe(true);
        expect(calculatePayments({ clients: cs }, r.scheme!, { asOf: at }).totals.by_type.outcome.equals(target)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('property: any target is either hit exactly or lies strictly between the nearest totals reported', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.integer({ min: 0, max: 2_000_000 }), ({ clients: cs, asOf: at }, pence) => {
        const target = decimal(pence).dividedBy(100);
        const base = testScheme();
        if (calculatePayments({ clients: cs }, base, { asOf: at }).totals.by_type.outcome.isZero()) return;
        const r = calibratePrices({ clients: cs }, base, { asOf: at, target });
        if (r.exact) {
          expect(calculatePayments({ clients: cs }, r.scheme!, { asOf: at }).totals.by_type.outcome.equals(target)).toBe(true);
        } else {
          expect(r.below!.amount.lessThan(target)).toBe(true);
          expect(r.above!.amount.greaterThan(target)).toBe(true);
          expect(r.below!.factor.lessThan(r.above!.factor)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('property: with caps that may bind, an exact answer pays the target and a miss is bracketed', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 600_000 }), fc.constantFrom<'outcome' | 'total'>('outcome', 'total'), ({ clients: cs, asOf: at }, cap, pence, of) => {
        const scheme = testScheme({ contract: { defaultTerms: { annualValue: '0', pbrShare: '1', cap: `${cap}.00` } } });
        const target = decimal(pence).dividedBy(100);
        if (calculatePayments({ clients: cs }, scheme, { asOf: at }).totals.by_type.outcome.isZero()) return;
        const r = calibratePrices({ clients: cs }, scheme, { asOf: at, target, of });
        const paid = (s: typeof scheme) => {
          const t = calculatePayments({ clients: cs }, s, { asOf: at }).totals;
          return of === 'total' ? t.total : t.by_type.outcome;
        };
        if (r.exact) expect(paid(r.scheme!).equals(target)).toBe(true);
        else {
          if (r.below) expect(r.below.amount.lessThan(target)).toBe(true);
          if (r.above) expect(r.above.amount.greaterThan(target)).toBe(true);
          if (r.best) expect(paid(r.scheme!).equals(r.best.amount)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});
