/**
 * `recovery-pbr demo`: the main job on the bundled demo cohort (examples/demo, 2,000 synthetic
 * clients): the national model as of 2015-03-31, outputs in ./out/demo, tables on the terminal.
 * @module
 */
import { join } from 'node:path';
import type { CliCommand } from '../command.js';
import { packageRoot } from '../version.js';
import { command as run } from './run.js';

/** Where the demo cohort lives in the package. */
export const DEMO_DATA = join(packageRoot(), 'examples', 'demo');

/** `recovery-pbr demo`. */
export const command: CliCommand = {
  name: 'demo',
  summary: 'run the national model on the bundled demo cohort (writes ./out/demo)',
  usage: `Usage: recovery-pbr demo [--out <folder>]

Runs the preset national-model-2012 on the synthetic demo cohort that ships with the package
(examples/demo, 2,000 clients) as known on 2015-03-31, prints the total paid, the outcome counts by
band and status and the payments, and writes outcomes.csv, payments.csv, rejections.csv and
summary.json to --out (default ./out/demo). The same as:
  recovery-pbr run --scheme national-model-2012 --data examples/demo --as-of 2015-03-31 --out out/demo`,
  options: { out: { type: 'string' } },
  async run(values, io) {
    return run.run(
      { scheme: 'national-model-2012', data: DEMO_DATA, 'as-of': '2015-03-31', out: (values['out'] as string | undefined) ?? 'out/demo' },
      io,
      [],
    );
  },
};
