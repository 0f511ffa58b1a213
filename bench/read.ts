/**
 * `npm run bench:read` (issue #11; never part of `npm test`): reading alone, from the sources. The
 * six CSV files of a cohort that `npm run bench` generated are read whole, on this one thread, into
 * one `PartitionReader` (one partition; records and cell readers written out as Node's partitions
 * ask), each file timed apart: the cost of tokenizing and parsing cells into columns without the
 * rules, the threads or the outputs. The files are read into memory first, so the disk is not timed.
 * Each run makes a new reader (its tables start empty); the first run also warms the JIT, so
 * compare later runs. It overstates what a change gains in a whole run (bench/README.md).
 *
 * Options: --size 1m (the cohort ~/.cache/recovery-pbr/bench/<clients>-seed<seed>)   --seed 7
 *          --data <folder> (any folder of the six CSV files instead)   --runs 3
 *          --files episodes,reviews (a subset; read in the order a partition reads them)
 * Run it from two checkouts in turn to compare a change (the machine's speed varies between
 * spells: compare pairs, not single runs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PartitionReader } from '../src/pipeline/read.js';
import { INPUT_FILES } from '../src/schema/codes.js';
import { benchArgs, type BenchArgs } from './args.js';
import { cohortDir, parseSize } from './cohort.js';

/** A message and exit 1, not a stack trace. */
const fail = (message: string): never => {
  console.error(`bench:read: ${message}`);
  process.exit(1);
};

let args: BenchArgs;
let clients = 0;
let seed = 0;
let runs = 0;
try {
  args = benchArgs(process.argv.slice(2), ['size', 'seed', 'data', 'runs', 'files']);
  clients = parseSize(args.option('size', '100k'), '--size');
  seed = args.whole('seed', '7', 0);
  runs = args.whole('runs', '3', 1);
} catch (e) {
  fail((e as Error).message);
}
const { option } = args!;
const size = option('size', '100k');
const given = args!.has('data');
const dir = option('data', cohortDir(clients, seed));
const asked = option('files', INPUT_FILES.join(',')).split(',');
for (const f of asked) if (!(INPUT_FILES as readonly string[]).includes(f)) fail(`--files: '${f}' is not one of ${INPUT_FILES.join(', ')}`);
// In the order a partition reads them (episodes first: reviews name their episodes), each once.
const files = INPUT_FILES.filter((f) => asked.includes(f));
for (const f of files) {
  if (existsSync(join(dir, `${f}.csv`))) continue;
  fail(`${join(dir, `${f}.csv`)} is missing${given ? '' : `: generate the cohort with npm run bench -- --sizes ${size} --seed ${seed} --no-run --no-duckdb`}`);
}

const before = process.memoryUsage().rss;
const bytes = files.map((f) => readFileSync(join(dir, `${f}.csv`)));
const held = process.memoryUsage().rss;
const PIECE = 4 << 20;
console.log(`reading ${files.join(', ')} of ${dir} (${(bytes.reduce((a, b) => a + b.length, 0) / 2 ** 20).toFixed(0)} MiB, held in memory: RSS ${Math.round(before / 2 ** 20)} → ${Math.round(held / 2 ** 20)} MiB) on one thread, ${runs} runs`);
for (let run = 1; run <= runs; run++) {
  const reader = new PartitionReader({ allocBytes: (n) => Buffer.alloc(n), compileRecords: true });
  const parts: string[] = [];
  const start = process.hrtime.bigint();
  try {
    for (const [i, f] of files.entries()) {
      const t = process.hrtime.bigint();
      const kind = (INPUT_FILES as readonly string[]).indexOf(f);
      const sink = reader.csv(kind, 0);
      const b = bytes[i]!;
      for (let at = 0; at < b.length; at += PIECE) sink.push(b.subarray(at, Math.min(b.length, at + PIECE)));
      sink.end();
      parts.push(`${f} ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(2)} s (${reader.read[kind]!.toLocaleString('en-GB')} rows)`);
    }
  } catch (e) {
    fail(`reading ${dir} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rows = reader.read.reduce((a, b) => a + b, 0);
  const rss = process.memoryUsage().rss;
  console.log(
    `run ${run}: ${seconds.toFixed(2)} s, ${Math.round(rows / seconds).toLocaleString('en-GB')} rows/s, ${reader.rejections.length} rejected, ` +
      `RSS now ${Math.round(rss / 2 ** 20)} MiB (${Math.round((rss - held) / 2 ** 20)} over the files held) — ${parts.join(', ')}`,
  );
}
