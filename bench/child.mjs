// Runs the built command line in this process and writes its wall time, CPU time and peak RSS
// (worker threads included: they share the process) to the file named by BENCH_RESULT.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const { main, processIO } = await import(pathToFileURL(cli).href);
const t0 = performance.now();
const c0 = process.cpuUsage();
const code = await main(process.argv.slice(2), processIO());
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ code, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
process.exitCode = code;
