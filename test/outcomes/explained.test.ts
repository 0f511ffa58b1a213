/**
 * The library's in-memory result (runScheme) explains every decision: its steps with their notes,
 * evidence and windows, byte for byte as they were before decisions could be made without them
 * (OutcomeContext.explain: a run writing files skips the words). The digests pin the whole JSON of
 * the demo's clients — key order, evidence order and every note — so a change to any explanation
 * shows here; when the change is meant, write the new digest.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { runScheme } from '../../src/run/index.js';

const DEMO = new URL('../../examples/demo/', import.meta.url).pathname;

describe('explained decisions of the library call (runScheme)', () => {
  it.each([
    ['national-model-2012', 'c5673f16e5540bab723fae72356d48241d4196db1158450ee168a97f38574280'],
    ['employment-outcome', '44aca50b4fd4f9db60eb553eca604e5ca8bcaf6438411b09a6b26270d08f78c0'],
  ] as const)('%s on the demo, as of 2015-03-31: every step explained, the JSON unchanged', async (id, digest) => {
    const scheme = presetScheme(id);
    const read = await readDataset(DEMO, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
    const run = runScheme(read, scheme, { asOf: '2015-03-31' });
    const steps = run.clients.flatMap((c) => c.decisions.flatMap((d) => d.steps));
    expect(steps.length).toBeGreaterThan(1000);
    expect(steps.filter((s) => s.note === '')).toEqual([]);
    expect(createHash('sha256').update(JSON.stringify(run.clients)).digest('hex')).toBe(digest);
  });
});
