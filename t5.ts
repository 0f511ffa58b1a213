import { presetScheme } from './src/presets/index.ts';
import { folderOutputs } from './test/run/support.ts';
const dir = process.argv[2]!;
const scheme = presetScheme('national-model-2012');
const t = performance.now();
const b = await folderOutputs(dir, scheme, { asOf: '2015-03-31', buckets: +process.argv[3]!, workers: +process.argv[4]!, onProgress: (p) => { if (p.phase !== 'read') console.log(p.phase, (performance.now() - t).toFixed(0)); } });
console.log('total', (performance.now() - t).toFixed(0), process.memoryUsage().rss / 1e6);
