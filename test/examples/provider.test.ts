import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Needs the dataset reader (src/io/dataset.ts) and the demo data (examples/demo), from other branches.
const ready = existsSync(new URL('../../src/io/dataset.ts', import.meta.url)) && existsSync(new URL('../../examples/demo/episodes.csv', import.meta.url));

describe.skipIf(!ready)('examples/provider.ts on the demo data', () => {
  it("forecasts next year's income with a P10–P90 band, reproducibly", async () => {
    // Imported here: the example reads data with src/io, which must exist before it can load.
    const { providerExample } = await import('../../examples/provider.js');
    const a = await providerExample('examples/demo', '2014-03-31');
    expect(a.projected.length).toBeGreaterThan(0);
    for (const q of [...a.forecast.quarters, a.forecast.total]) {
      expect(q.p10.lessThanOrEqualTo(q.p50)).toBe(true);
      expect(q.p50.lessThanOrEqualTo(q.p90)).toBe(true);
    }
    // The simulated mean is near the exact expectation (no caps in the national model).
    const t = a.forecast.total;
    expect(t.mean.minus(t.expected).abs().lessThanOrEqualTo(t.p90.minus(t.p10).dividedBy(4).plus(1))).toBe(true);
    const b = await providerExample('examples/demo', '2014-03-31');
    expect(b.text).toBe(a.text);
  });
});
