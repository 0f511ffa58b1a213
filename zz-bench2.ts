import { readDataset } from './src/io/dataset.ts';
const dir = process.argv[2]!;
const t0 = performance.now(); const c0 = process.cpuUsage();
const r = await readDataset(dir);
const s = (performance.now() - t0) / 1000; const c = process.cpuUsage(c0);
const n = r.counts.episodes!.read;
console.log(dir, n, 'wall', s.toFixed(2) + 's', Math.round(n / s).toLocaleString(), 'rows/s;', 'cpu user', (c.user / 1e6).toFixed(2), 'sys', (c.system / 1e6).toFixed(2), 'rss MB', Math.round(process.memoryUsage().rss / 1e6));
