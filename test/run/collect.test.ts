/**
 * `readFolderDataset` (what compare, calibrate and forecast read with): the same usable records,
 * counts and rejections as the in-memory reader (R-VAL-1..3), whatever the number of buckets and
 * threads; records are grouped by client, and every rule is independent of record order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/node/run-folder.js';
import { readFolderDataset } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { INPUT_FILES } from '../../src/schema/codes.js';
import type { Dataset } from '../../src/schema/dataset.js';
import { tempDir as temp } from '../io/helpers.js';
import { runCli as cli } from '../support/cli.js';
import { splitIntoParts } from './support.js';

const demo = 'examples/demo';
const scheme = presetScheme('wigan-cohort-2012');

/** Each kind's records as sorted JSON lines (order-free). */
function canonical(data: Dataset): Record<string, string[] | undefined> {
  return Object.fromEntries(INPUT_FILES.map((f) => [f, data[f]?.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort()]));
}

describe('readFolderDataset == readDataset (R-VAL-1..3)', () => {
  it.each([[{ buckets: 1, workers: 0 }], [{ buckets: 5, workers: 0 }], [{ buckets: 3, workers: 2 }]] as const)('%j', async (opts) => {
    const expected = await readDataset(demo, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
    const got = await readFolderDataset(demo, scheme, { tempDir: temp('rpbr-collect-'), ...opts });
    expect(got.counts).toEqual(expected.counts);
    expect(got.rejections).toEqual(expected.rejections);
    expect(got.rejected).toBe(expected.rejections.length);
    expect(canonical(got.data)).toEqual(canonical(expected.data));
    // Grouped by client, in client_id order.
    const ids = got.data.episodes.map((e) => e.client_id);
    expect(ids).toEqual([...ids].sort());
  });
});

describe('recovery-pbr compare on a folder of parts', () => {
  it('gives the same comparison as on the whole files', async () => {
    const data = temp('rpbr-parts-');
    // Rows dealt across three parts: the comparison must not depend on where a row was.
    splitIntoParts(demo, data, 'episodes', ['0.csv', '1.csv', '2.csv'], (i) => i % 3);
    const args = (dir: string, out: string) => ['compare', '--scheme', 'national-model-2012', '--set', 'tariff.outcomes.free-from-dependence.2=2000.00', '--data', dir, '--as-of', '2015-03-31', '--out', out];
    const a = temp('rpbr-out-');
    const b = temp('rpbr-out-');
    const whole = await cli(args(demo, a));
    const split = await cli(args(data, b));
    expect(whole.code).toBe(0);
    expect(split.code).toBe(0);
    expect(split.stdout).toBe(whole.stdout);
    expect(readFileSync(join(b, 'comparison.csv'), 'utf8')).toBe(readFileSync(join(a, 'comparison.csv'), 'utf8'));
  });
});

describe('recovery-pbr health-premium on a folder of parts', () => {
  it('gives the same indicators and allocation as on the whole files; summary.json lists the parts', async () => {
    const data = temp('rpbr-parts-');
    splitIntoParts(demo, data, 'clients', ['a.csv', 'b.csv'], (i) => (i % 2 === 1 ? 0 : 1));
    const args = (dir: string, out: string) => ['health-premium', '--data', dir, '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', out];
    const a = temp('rpbr-out-');
    const b = temp('rpbr-out-');
    expect((await cli(args(demo, a))).code).toBe(0);
    expect((await cli(args(data, b))).code).toBe(0);
    for (const f of ['health_premium.csv', 'health_premium_segments.csv']) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
    const inputs = JSON.parse(readFileSync(join(b, 'summary.json'), 'utf8')).inputs as Record<string, { file: string; parts?: unknown[] }>;
    expect(inputs['clients']!.file).toBe('clients/');
    expect(inputs['clients']!.parts).toHaveLength(2);
  });
});
