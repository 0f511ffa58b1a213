import { presetScheme } from './src/presets/index.ts';
import { inMemoryOutputs, folderOutputs } from './test/run/support.ts';
const dir = process.argv[2]!;
for (const id of ['national-model-2012', 'wigan-cohort-2012', 'employment-outcome']) {
  const scheme = presetScheme(id);
  let t = performance.now();
  const a = await inMemoryOutputs(dir, scheme, '2015-03-31');
  console.log(id, 'memory', (performance.now() - t).toFixed(0));
  for (const o of [{ buckets: 1, workers: 0 }, { buckets: 4, workers: 0 }, { buckets: 5, workers: 2 }]) {
    t = performance.now();
    const b = await folderOutputs(dir, scheme, { asOf: '2015-03-31', ...o });
    const same = (['outcomes', 'payments', 'rejections', 'summary'] as const).map((k) => `${k}:${a[k] === b[k]}`);
    console.log(JSON.stringify(o), (performance.now() - t).toFixed(0), same.join(' '));
    if (a.summary !== b.summary) { require('fs').writeFileSync('/tmp/scale/a.json', a.summary); require('fs').writeFileSync('/tmp/scale/b.json', b.summary); }
  }
}
