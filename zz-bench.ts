import { openCsv } from './src/io/csv.ts';
import { openNdjson } from './src/io/ndjson.ts';
const [mode, how] = process.argv.slice(2);
const t0 = performance.now();
let n = 0;
const s = mode === 'csv' ? await openCsv('/tmp/exp/big/episodes.csv') : await openNdjson('/tmp/exp/bignd/episodes.ndjson');
if (how === 'batches') { for await (const b of s.batches) n += b.length; } else { for await (const r of s.rows) n++; }
const sec = (performance.now() - t0) / 1000;
console.log(mode, how, n, sec.toFixed(2) + 's', Math.round(n / sec).toLocaleString(), 'rows/s');
