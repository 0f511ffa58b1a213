/**
 * The progress a run on a data folder reports (src/node/run-folder.ts, `onProgress`), which the
 * command line's progress bar shows: at most ten reports a second, but each phase at least once,
 * however quickly it passes.
 */
import { describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { runFolder, type RunProgress } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { tempDir } from '../io/helpers.js';

describe('runFolder onProgress', () => {
  it('reports reading, then deciding, then writing, even when deciding takes a few milliseconds', async () => {
    const dir = tempDir();
    await writeGeneratedDataset({ clients: 20, seed: 3 }, dir);
    const seen: RunProgress[] = [];
    const run = await runFolder(dir, presetScheme('national-model-2012'), { asOf: '2015-03-31', onProgress: (p) => seen.push(p) });
    await run.dispose();
    const phases = seen.map((p) => p.phase).filter((p, i, all) => i === 0 || p !== all[i - 1]);
    expect(phases).toEqual(['read', 'evaluate', 'write']);
    const decided = seen.find((p) => p.phase === 'evaluate');
    expect(decided).toMatchObject({ clients: 20 });
  });
});
