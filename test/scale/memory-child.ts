/**
 * Child process of the memory test: runs one cohort and prints its peak RSS (MiB) as JSON.
 * Usage: memory-child.ts <data dir> folder <partitions> | memory
 */
import { readDataset } from '../../src/node/run-folder.js';
import { runFolder } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { runScheme } from '../../src/run/index.js';

const [dir, mode, partitions] = process.argv.slice(2);
const scheme = presetScheme('national-model-2012');
const asOf = '2015-03-31';
let outcomes = 0;
if (mode === 'folder') {
  const run = await runFolder(dir!, scheme, { asOf, workers: 0, partitions: Number(partitions) || 1 });
  try {
    for (const piece of run.outcomesCsv()) outcomes += piece.length;
  } finally {
    await run.dispose();
  }
} else {
  const read = await readDataset(dir!, { exitReasonMap: scheme.exitReasons });
  const run = runScheme(read, scheme, { asOf });
  outcomes = run.decisions.length;
}
process.stdout.write(JSON.stringify({ rssMiB: process.resourceUsage().maxRSS / 1024, outcomes }) + '\n');
