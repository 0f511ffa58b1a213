// Runs the built command line in this process and writes its wall time and peak RSS (worker
// threads included: they share the process) to the file named by BENCH_RESULT.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const { main, processIO } = await import(pathToFileURL(cli).href);
const t0 = performance.now();
const code = await main(process.argv.slice(2), processIO());
const seconds = (performance.now() - t0) / 1000;
writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ code, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
process.exitCode = code;
