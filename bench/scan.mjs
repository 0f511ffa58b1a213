// Baseline: read every byte of the six input files once (1 MiB reads) and count line breaks, so
// that each byte is touched. Prints {seconds, bytes, lines}.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const t0 = performance.now();
const buf = Buffer.allocUnsafe(1 << 20);
let bytes = 0;
let lines = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.csv')).sort()) {
  const fd = openSync(join(dir, name), 'r');
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    bytes += n;
    for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
  }
  closeSync(fd);
}
process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000, bytes, lines }) + '\n');
