import { describe, expect, it } from 'vitest';
import { commissionerExample } from '../../examples/commissioner.js';
import { calculatePayments } from '../../src/payments/index.js';

describe('examples/commissioner.ts on the demo data', () => {
  it('compares two tariffs and calibrates to a budget', async () => {
    const r = await commissionerExample('examples/demo', '2015-03-31', '1500000.00');
    // Only band-3 free from dependence changes, by £600 per paid item.
    const changed = r.comparison.rows.filter((x) => !x.difference.isZero());
    for (const x of changed) {
      expect([x.outcome_id, x.tariff_band]).toEqual(['free-from-dependence', '3']);
      expect(x.difference.equals(x.b.count * 600)).toBe(true);
    }
    // The calibrated prices pay what calibration says, on the same outcome decisions.
    const best = r.calibration.best!;
    const paid = calculatePayments({ clients: r.comparison.runs[0].clients }, r.calibration.scheme!, { asOf: '2015-03-31' }).totals.by_type.outcome;
    expect(paid.equals(best.amount)).toBe(true);
    if (r.calibration.exact) expect(best.amount.toFixed(2)).toBe('1500000.00');
    expect(r.text).toMatch(/Calibration to £1,500,000\.00/);
  });
});
