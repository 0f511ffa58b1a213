import { presetScheme } from './src/presets/index.ts';
import { runFolder } from './src/node/run-folder.ts';
const scheme = presetScheme(process.argv[5] ?? 'national-model-2012');
for (let rep = 0; rep < 2; rep++) {
const t = performance.now();
let t1 = 0;
const run = await runFolder(process.argv[2]!, scheme, { asOf: '2015-03-31', buckets: +process.argv[3]!, workers: +process.argv[4]!, onProgress: (p) => { if (p.phase === 'evaluate' && p.bucketsDone === 0) t1 = performance.now(); } });
const t2 = performance.now();
await run.dispose();
console.log(`phase1 ${(t1 - t).toFixed(0)} phase2 ${(t2 - t1).toFixed(0)} cpu ${(process.cpuUsage().user/1000).toFixed(0)}`);
}
