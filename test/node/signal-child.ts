/**
 * Child process of the temp and output-folder tests: holds something, says where on stdout, then
 * waits to be killed.
 * Usage: signal-child.ts temp <parent> | write <out dir>
 */
import { writeOutputFiles } from '../../src/io/write.js';
import { makeTempDir } from '../../src/node/temp.js';

const [mode, where] = process.argv.slice(2);
const forever = () => new Promise<never>(() => setInterval(() => undefined, 1 << 30));
if (mode === 'temp') {
  const dir = await makeTempDir(where);
  process.stdout.write(`${dir}\n`);
  await forever();
} else if (mode === 'write') {
  await writeOutputFiles(where!, [
    { name: 'summary.json', content: '{}\n' },
    {
      name: 'outcomes.csv',
      content: (async function* () {
        yield 'client_id\n';
        // Halfway through the outputs: the staging folder holds summary.json and part of outcomes.csv.
        process.stdout.write('writing\n');
        await forever();
      })(),
    },
  ]);
}
