/**
 * `npm run bench` (issue #6; never part of `npm test`): the national preset end to end on generated
 * cohorts of 10k / 100k / 1M clients, with the wall time, episodes per second, peak RSS and the
 * growth between sizes, plus two baselines: merely reading every byte of the input files, and the
 * same free-from-dependence rules written as SQL in DuckDB (when DuckDB can be installed in a
 * scratch folder outside the repository; otherwise skipped with a message).
 *
 * Options: --sizes 10k,100k,1m   --quick (10k and 100k)   --seed 7   --workers N   --no-build
 *          --no-duckdb   --as-of 2015-03-31
 * Cohorts are cached in ~/.cache/recovery-pbr/bench/<clients>-seed<seed> (reused when present).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, homedir, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'recovery-pbr');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i !== -1 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const parseSize = (s: string): number => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--sizes: '${s}' is not a size such as 10k or 1m`);
  return Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1));
};
const sizes = option('sizes', flag('quick') ? '10k,100k' : '10k,100k,1m').split(',').map(parseSize);
const seed = Number(option('seed', '7'));
const asOf = option('as-of', '2015-03-31');
const workers = option('workers', '');
const log = (s: string) => process.stderr.write(s + '\n');

function build(): void {
  if (flag('no-build')) return;
  log('building dist/ (tsup)…');
  execFileSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--silent'], { cwd: root, stdio: 'inherit' });
}

function cohort(clients: number): string {
  const dir = join(cacheDir, 'bench', `${clients}-seed${seed}`);
  if (existsSync(join(dir, 'episodes.csv'))) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  log(`generating ${clients.toLocaleString('en-GB')} clients (seed ${seed}) into ${dir}…`);
  execFileSync(process.execPath, [join(root, 'dist', 'cli.js'), 'generate', '--clients', String(clients), '--seed', String(seed), '--out', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(tmp, dir);
  return dir;
}

interface RunFigures {
  seconds: number;
  maxRssMiB: number;
  episodes: number;
  rows: number;
  clients: number;
  ffd: Record<string, number>;
}

function runOnce(dir: string): RunFigures {
  const out = mkdtempSync(join(tmpdir(), 'rpbr-bench-out-'));
  const result = join(out, 'result.json');
  try {
    const cli = ['run', '--scheme', 'national-model-2012', '--data', dir, '--as-of', asOf, '--out', join(out, 'run'), '--quiet', ...(workers ? ['--workers', workers] : [])];
    const r = spawnSync(process.execPath, [join(root, 'bench', 'child.mjs'), ...cli], { env: { ...process.env, BENCH_RESULT: result }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`run failed (exit ${r.status})`);
    const fig = JSON.parse(readFileSync(result, 'utf8')) as { seconds: number; maxRssMiB: number };
    const summary = JSON.parse(readFileSync(join(out, 'run', 'summary.json'), 'utf8')) as {
      inputs: Record<string, { read: number }>;
      outcomes: { clients: number; by_outcome: Record<string, Record<string, number>> };
    };
    const rows = Object.values(summary.inputs).reduce((a, i) => a + i.read, 0);
    return { ...fig, episodes: summary.inputs['episodes']!.read, rows, clients: summary.outcomes.clients, ffd: summary.outcomes.by_outcome['free-from-dependence']! };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function scan(dir: string): { seconds: number; bytes: number } {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'scan.mjs'), dir], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as { seconds: number; bytes: number };
}

/** The DuckDB package's entry, installed (once) in a scratch folder outside the repository. */
function duckdbEntry(): string | undefined {
  if (flag('no-duckdb')) return undefined;
  const scratch = join(cacheDir, 'duckdb');
  const req = createRequire(join(scratch, 'package.json'));
  try {
    return req.resolve('@duckdb/node-api');
  } catch {
    // not installed yet
  }
  try {
    mkdirSync(scratch, { recursive: true });
    if (!existsSync(join(scratch, 'package.json'))) execFileSync('sh', ['-c', `echo '{"name":"duckdb-scratch","private":true}' > package.json`], { cwd: scratch });
    log(`installing @duckdb/node-api in ${scratch} (not part of the project)…`);
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '@duckdb/node-api'], { cwd: scratch, stdio: ['ignore', 'ignore', 'inherit'] });
    return req.resolve('@duckdb/node-api');
  } catch (e) {
    log(`DuckDB baseline skipped: could not install @duckdb/node-api (${(e as Error).message.split('\n')[0]}).`);
    return undefined;
  }
}

function duckdb(entry: string, dir: string): { ffdSeconds: number; scanAllSeconds: number; statuses: Record<string, number> } | undefined {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'duckdb.mjs'), entry, dir, asOf], { encoding: 'utf8' });
  if (r.status !== 0) {
    log(`DuckDB baseline failed: ${r.stderr.split('\n')[0]}`);
    return undefined;
  }
  return JSON.parse(r.stdout) as { ffdSeconds: number; scanAllSeconds: number; statuses: Record<string, number> };
}

const fmt = (n: number, d = 1) => n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
const human = (n: number) => (n >= 1e6 ? `${fmt(n / 1e6, n % 1e6 ? 1 : 0)}M` : n >= 1e3 ? `${fmt(n / 1e3, 0)}k` : String(n));

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(header), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

build();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
log(`machine: ${cpus().length} cores (${cpu}), ${fmt(totalmem() / 2 ** 30, 1)} GiB memory, Node ${process.version}, load average ${loadavg().map((x) => fmt(x, 2)).join(' ')}`);
const entry = duckdbEntry();
const results: { clients: number; run: RunFigures; scan: { seconds: number; bytes: number }; duck: ReturnType<typeof duckdb> }[] = [];
for (const clients of sizes) {
  const dir = cohort(clients);
  scan(dir); // warm the page cache, as for every later read
  log(`running ${human(clients)}…`);
  const run = runOnce(dir);
  const s = scan(dir);
  const duck = entry ? duckdb(entry, dir) : undefined;
  results.push({ clients, run, scan: s, duck });
}

const rows = results.map((r, i) => {
  const prev = results[i - 1];
  const growth = prev ? `${fmt(r.run.seconds / prev.run.seconds, 2)}× / ${fmt(r.run.maxRssMiB / prev.run.maxRssMiB, 2)}×` : '–';
  return [
    human(r.clients),
    fmt(r.run.rows / 1e6, 2) + 'M',
    fmt(r.scan.bytes / 2 ** 20, 0),
    fmt(r.run.seconds, 1),
    fmt(r.run.episodes / r.run.seconds, 0),
    fmt(r.run.rows / r.run.seconds, 0),
    fmt(r.run.maxRssMiB, 0),
    growth,
    fmt(r.scan.seconds, 2),
    fmt(r.run.seconds / r.scan.seconds, 0) + '×',
    r.duck ? fmt(r.duck.ffdSeconds, 2) : 'skipped',
    r.duck ? fmt(r.duck.scanAllSeconds, 2) : 'skipped',
  ];
});
process.stdout.write(
  '\n' +
    table(
      ['clients', 'rows', 'MiB', 'run s', 'episodes/s', 'rows/s', 'peak RSS MiB', 'growth (time / RSS)', 'scan s', 'run/scan', 'DuckDB FFD s', 'DuckDB read-all s'],
      rows,
    ) +
    '\n\n' +
    `run: recovery-pbr run --scheme national-model-2012 --as-of ${asOf} (all six files, five outcomes, payments), wall time and peak RSS of the process (threads included).\n` +
    'scan: reading every byte of the six files once. DuckDB FFD: free-from-dependence only, as SQL on episodes.csv; DuckDB read-all: count(*) of each of the six files.\n' +
    results
      .filter((r) => r.duck)
      .map((r) => `${human(r.clients)}: free-from-dependence met / not_met / pending — recovery-pbr ${r.run.ffd['met']} / ${r.run.ffd['not_met']} / ${r.run.ffd['pending']}; SQL ${r.duck!.statuses['met'] ?? 0} / ${r.duck!.statuses['not_met'] ?? 0} / ${r.duck!.statuses['pending'] ?? 0} (the SQL leaves out death, R-OUT-9)`)
      .join('\n') +
    '\n',
);
