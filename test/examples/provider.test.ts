import { describe, expect, it } from 'vitest';
import { providerExample } from '../../examples/provider.js';

describe('examples/provider.ts on the demo data', () => {
  it("forecasts next year's income with a P10–P90 band, reproducibly", async () => {
    const a = await providerExample('examples/demo', '2015-03-31');
    expect(a.projected.length).toBeGreaterThan(0);
    // The outcomes already pending at asOf are part of the income to come (issue #12).
    expect(a.forecast.pipeline.pending).toBeGreaterThan(0);
    expect(a.forecast.total.pipeline.greaterThan(0)).toBe(true);
    expect(a.text).toMatch(/of which £[\d,.]+ from the pending outcomes/);
    for (const q of [...a.forecast.quarters, a.forecast.total]) {
      expect(q.p10.lessThanOrEqualTo(q.p50)).toBe(true);
      expect(q.p50.lessThanOrEqualTo(q.p90)).toBe(true);
    }
    // The simulated mean is near the exact expectation (no caps in the national model).
    const t = a.forecast.total;
    expect(t.mean.minus(t.expected).abs().lessThanOrEqualTo(t.p90.minus(t.p10).dividedBy(4).plus(1))).toBe(true);
    const b = await providerExample('examples/demo', '2015-03-31');
    expect(b.text).toBe(a.text);
  });
});
