import { readDataset } from './src/io/dataset.ts';
import { presetScheme } from './src/presets/index.ts';
const scheme = presetScheme('national-model-2012');
let t = performance.now();
const read = await readDataset(process.argv[2]!, { exitReasonMap: scheme.exitReasons });
console.log('read', (performance.now() - t).toFixed(0));
