/**
 * `npm run bench` (issues #6 and #11; never part of `npm test`): the national preset end to end on
 * generated cohorts (10k / 100k / 1M clients by default; 2M and more on request), with the best
 * wall time of N runs, peak RSS and the growth between sizes, beside three baselines:
 *   - scan: merely reading every byte of the six input files;
 *   - SQL: the same national model (five outcomes, gateways, death, payments) written
 *     independently as DuckDB SQL (bench/national-model.sql), best of the same N runs;
 *   - read-all: DuckDB merely reading the six files.
 * It prints the ratio run ÷ SQL and whether the SQL's counts and money agree with the run's.
 * With --commands it also times the modelling commands of issue #10 (compare, calibrate, forecast,
 * health-premium) on the same cohorts, and prints a second table: command × size, with their peak
 * RSS against run's.
 * DuckDB is installed in a scratch folder outside the repository; without it the SQL columns are
 * skipped with a message.
 *
 * Options: --sizes 10k,100k,1m,2m   --quick (10k and 100k)   --runs 3   --seed 7   --workers N
 *          --threads 2 (DuckDB)   --no-build   --no-duckdb   --no-run (baselines only)
 *          --as-of 2015-03-31   --commands run,compare,calibrate,forecast,health-premium | all
 * Cohorts are cached in ~/.cache/recovery-pbr/bench/<clients>-seed<seed> (reused when present).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args.js';
import { cacheDir, cohortDir, parseSize } from './cohort.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = (() => {
  try {
    return benchArgs(process.argv.slice(2), ['sizes', 'runs', 'seed', 'workers', 'threads', 'as-of', 'commands'], ['quick', 'no-build', 'no-duckdb', 'no-run']);
  } catch (e) {
    // A message, not a stack trace.
    console.error(`bench: ${(e as Error).message}`);
    process.exit(1);
  }
})();
const { flag, option } = args;
const wholeOption = args.whole;
const sizes = option('sizes', flag('quick') ? '10k,100k' : '10k,100k,1m').split(',').map((s) => parseSize(s, '--sizes'));
const seed = wholeOption('seed', '7', 0);
const runs = wholeOption('runs', '3', 1);
const threads = wholeOption('threads', '2', 1);
const asOf = option('as-of', '2015-03-31');
const workers = option('workers', '');

/** The commands `--commands` can time, in the order they run and are shown. */
const COMMANDS = ['run', 'compare', 'calibrate', 'forecast', 'health-premium'] as const;
type CommandName = (typeof COMMANDS)[number];
/** The commands that model (what-if, calibration, forecast, Health Premium) rather than run. */
type ModelCommand = Exclude<CommandName, 'run'>;

/** `--commands run,compare,…` or `all`; `run` is always timed (the main table and the RSS ratio are against it). */
function parseCommands(list: string): CommandName[] {
  const asked = list.trim() === 'all' ? [...COMMANDS] : list.split(',').map((c) => c.trim());
  const unknown = asked.filter((c) => !(COMMANDS as readonly string[]).includes(c));
  if (unknown.length) throw new Error(`--commands: ${unknown.map((c) => `'${c}'`).join(', ')} is not one of ${COMMANDS.join(', ')} (or all)`);
  return COMMANDS.filter((c) => c === 'run' || asked.includes(c));
}
const commands = parseCommands(option('commands', 'run'));
const modelCommands = commands.filter((c): c is ModelCommand => c !== 'run');
if (modelCommands.length && flag('no-run')) throw new Error(`--no-run times no command: drop it to time ${modelCommands.join(', ')}`);
const log = (s: string) => process.stderr.write(s + '\n');

function build(): void {
  if (flag('no-build') || flag('no-run')) return;
  log('building dist/ (tsup, then the workbench page)…');
  execFileSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--silent'], { cwd: root, stdio: 'inherit' });
  // tsup empties dist/: put the workbench page back, as `prepare` does, so a bench leaves a whole build behind.
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'workbench/vite.config.ts', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
}

/** The cached cohort of `clients` clients, generated (into a partial folder, then renamed) when absent. */
function cohort(clients: number): string {
  const dir = cohortDir(clients, seed);
  if (existsSync(join(dir, 'episodes.csv'))) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  log(`generating ${clients.toLocaleString('en-GB')} clients (seed ${seed}) into ${dir}… (about ${Math.ceil((clients / 1e6) * 760)} MiB)`);
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run without --no-build / --no-run once to build it');
  execFileSync(process.execPath, [cli, 'generate', '--clients', String(clients), '--seed', String(seed), '--out', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(tmp, dir);
  return dir;
}

/** Counts by status and money of one outcome, as the run and the SQL report them. */
interface OutcomeFigures {
  met: number;
  not_met: number;
  not_eligible: number;
  pending: number;
  /** Amount paid, in pence. */
  paid: bigint;
}

interface RunFigures {
  /** Best wall time of the runs. */
  seconds: number;
  /** CPU time (user + system, all threads) of the best run. */
  cpuSeconds: number;
  allSeconds: number[];
  /** Highest peak RSS of the runs. */
  maxRssMiB: number;
  episodes: number;
  rows: number;
  clients: number;
  journeys: number;
  outcomes: Record<string, OutcomeFigures>;
  attachment: bigint;
  /** Outcome payments (not attachment), in pence: calibrate's target is taken from it. */
  outcomePaid: bigint;
  total: bigint;
}

/** Pounds with pence ('1234.50') as whole pence, exactly. */
function pence(amount: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) throw new Error(`not an amount: '${amount}'`);
  const p = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '0').padEnd(2, '0'));
  return m[1] ? -p : p;
}
const pounds = (p: bigint) => {
  const s = (p < 0n ? -p : p).toString().padStart(3, '0');
  return `${p < 0n ? '-' : ''}£${Number(s.slice(0, -2)).toLocaleString('en-GB')}.${s.slice(-2)}`;
};

/** Outcome amounts paid per outcome_id, from payments.csv (plain decimals, no quoting needed). */
function paidByOutcome(file: string): Record<string, bigint> {
  const [header, ...lines] = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean);
  const cols = header!.split(',');
  const type = cols.indexOf('payment_type');
  const outcome = cols.indexOf('outcome_id');
  const amount = cols.indexOf('amount');
  const out: Record<string, bigint> = {};
  for (const line of lines) {
    const c = line.split(',');
    if (c[type] === 'outcome') out[c[outcome]!] = (out[c[outcome]!] ?? 0n) + pence(c[amount]!);
  }
  return out;
}

/** What bench/child.mjs measured of one command line: wall time, CPU time, peak RSS. */
interface ChildFigures {
  seconds: number;
  /** User + system, all threads. */
  cpuSeconds: number;
  /** Peak RSS of the process, worker threads included. */
  maxRssMiB: number;
}

/** One timed command line: its figures, or why it failed (exit status and the tail of its stderr). */
type ChildResult = { ok: true; figures: ChildFigures } | { ok: false; reason: string };

/** Lines of a failing command's stderr kept for the report. */
const STDERR_TAIL = 12;

/**
 * Runs `recovery-pbr <cli>` once in a child process (bench/child.mjs) with its stdout discarded and
 * its stderr kept, and returns what the child measured, or the failure: exit status or signal with
 * the last lines of stderr.
 */
function timeChild(cli: string[], scratch: string): ChildResult {
  const result = join(scratch, 'result.json');
  rmSync(result, { force: true });
  const r = spawnSync(process.execPath, [join(root, 'bench', 'child.mjs'), ...cli], {
    env: { ...process.env, BENCH_RESULT: result },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0 || !existsSync(result)) {
    const how = r.error ? `could not start (${r.error.message})` : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    const tail = (r.stderr ?? '').trimEnd().split('\n').slice(-STDERR_TAIL).join('\n');
    return { ok: false, reason: `${cli[0]} failed: ${how}${tail ? `\n${tail}` : ' (nothing on stderr)'}` };
  }
  const fig = JSON.parse(readFileSync(result, 'utf8')) as ChildFigures;
  return { ok: true, figures: { seconds: fig.seconds, cpuSeconds: fig.cpuSeconds, maxRssMiB: fig.maxRssMiB } };
}

function runOnce(dir: string): Omit<RunFigures, 'allSeconds'> {
  const out = mkdtempSync(join(tmpdir(), 'rpbr-bench-out-'));
  try {
    const cli = ['run', '--scheme', 'national-model-2012', '--data', dir, '--as-of', asOf, '--out', join(out, 'run'), '--quiet', ...(workers ? ['--workers', workers] : [])];
    const r = timeChild(cli, out);
    if (!r.ok) throw new Error(r.reason);
    const fig = r.figures;
    const summary = JSON.parse(readFileSync(join(out, 'run', 'summary.json'), 'utf8')) as {
      inputs: Record<string, { read: number }>;
      outcomes: { clients: number; journeys: number; by_outcome: Record<string, Record<string, number>> };
      payments: { total: string; by_type: Record<string, string> };
    };
    const paid = paidByOutcome(join(out, 'run', 'payments.csv'));
    const outcomes = Object.fromEntries(
      Object.entries(summary.outcomes.by_outcome).map(([id, c]) => [
        id,
        { met: c['met'] ?? 0, not_met: c['not_met'] ?? 0, not_eligible: c['not_eligible'] ?? 0, pending: c['pending'] ?? 0, paid: paid[id] ?? 0n },
      ]),
    );
    return {
      ...fig,
      episodes: summary.inputs['episodes']!.read,
      rows: Object.values(summary.inputs).reduce((a, i) => a + i.read, 0),
      clients: summary.outcomes.clients,
      journeys: summary.outcomes.journeys,
      outcomes,
      attachment: pence(summary.payments.by_type['attachment'] ?? '0'),
      outcomePaid: pence(summary.payments.by_type['outcome'] ?? '0'),
      total: pence(summary.payments.total),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The run with the best wall time (the machine is shared and noisy), with every wall time and the highest peak RSS. */
function bestOf<T extends ChildFigures>(all: T[]): T & { allSeconds: number[] } {
  const best = all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...best, allSeconds: all.map((r) => r.seconds), maxRssMiB: Math.max(...all.map((r) => r.maxRssMiB)) };
}

const timing = (name: string, i: number, f: ChildFigures) =>
  `  ${name} ${i + 1}/${runs}: ${fmt(f.seconds, 1)} s (CPU ${fmt(f.cpuSeconds, 1)} s), peak RSS ${fmt(f.maxRssMiB, 0)} MiB`;

/** Best wall time of `runs` runs, highest peak RSS. */
function run(dir: string): RunFigures {
  const all: Omit<RunFigures, 'allSeconds'>[] = [];
  for (let i = 0; i < runs; i++) {
    all.push(runOnce(dir));
    log(timing('run', i, all[i]!));
  }
  return bestOf(all);
}

/** What the modelling command lines take from the cohort and from its run. */
interface ModelInputs {
  dir: string;
  /** The output folder (inside a temporary folder that is removed). */
  out: string;
  /** calibrate's --target: 90% of the run's outcome payments, in whole pounds ('9389790.00'). */
  target: string;
  /** forecast's --provider: the provider of the first episode in episodes.csv. */
  provider: string;
}

/** The command line of a modelling command, as issue #10 asks it measured. */
function modelCommandLine(name: ModelCommand, m: ModelInputs): string[] {
  switch (name) {
    case 'compare':
      return ['compare', '--scheme', 'national-model-2012', '--set', 'tariff.outcomes.free-from-dependence.2=2000.00', '--data', m.dir, '--as-of', asOf, '--out', m.out, '--quiet'];
    case 'calibrate':
      return ['calibrate', '--scheme', 'national-model-2012', '--data', m.dir, '--as-of', asOf, '--target', m.target, '--out', m.out];
    case 'forecast':
      return ['forecast', '--scheme', 'national-model-2012', '--data', m.dir, '--as-of', asOf, '--provider', m.provider, '--out', m.out];
    case 'health-premium':
      return ['health-premium', '--scheme', 'health-premium-2015-16', '--data', m.dir, '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', m.out, '--quiet'];
  }
}

/** 90% of the run's outcome payments, rounded to whole pounds (half up): a target calibrate can meet. */
function calibrateTarget(r: RunFigures): string {
  return `${(r.outcomePaid * 9n + 500n) / 1000n}.00`;
}

/** The provider_id of the first data row of the cohort's episodes.csv (the generator writes no quotes). */
function firstProvider(dir: string): string {
  const fd = openSync(join(dir, 'episodes.csv'), 'r');
  const buf = Buffer.alloc(64 * 1024);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const [header, first] = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const col = (header ?? '').split(',').map((h) => h.trim()).indexOf('provider_id');
  const provider = col === -1 ? undefined : first?.split(',')[col]?.trim();
  if (!provider) throw new Error(`${join(dir, 'episodes.csv')}: no provider_id in the first data row (forecast needs one)`);
  return provider;
}

/** A modelling command timed: best of the runs, or the failure that stopped it. */
type CommandResult = { ok: true; figures: ChildFigures & { allSeconds: number[] } } | { ok: false; reason: string };

/** Best wall time of `runs` runs of a modelling command, each with a fresh output folder; the first failure ends it. */
function timeModelCommand(name: ModelCommand, dir: string, target: string, provider: string): CommandResult {
  const all: ChildFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const scratch = mkdtempSync(join(tmpdir(), 'rpbr-bench-out-'));
    try {
      const r = timeChild(modelCommandLine(name, { dir, out: join(scratch, name), target, provider }), scratch);
      if (!r.ok) {
        log(`  ${name}: FAILED — ${r.reason.replace(/\n/g, '\n    ')}`);
        return r;
      }
      all.push(r.figures);
      log(timing(name, i, r.figures));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { ok: true, figures: bestOf(all) };
}

function scan(dir: string): { seconds: number; bytes: number } {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'scan.mjs'), dir], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as { seconds: number; bytes: number };
}

/** The version of @duckdb/node-api the SQL baseline was written and checked with (DuckDB 1.5.6). */
const DUCKDB_VERSION = '1.5.6-r.1';

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
    log(`installing @duckdb/node-api@${DUCKDB_VERSION} in ${scratch} (not part of the project)…`);
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', `@duckdb/node-api@${DUCKDB_VERSION}`], { cwd: scratch, stdio: ['ignore', 'ignore', 'inherit'] });
    return req.resolve('@duckdb/node-api');
  } catch (e) {
    log(`DuckDB baselines skipped: could not install @duckdb/node-api (${(e as Error).message.split('\n')[0]}).`);
    return undefined;
  }
}

interface DuckFigures {
  sqlSeconds: number;
  sqlCpuSeconds: number;
  sqlRuns: number[];
  version: string;
  readAllSeconds: number;
  /** Rows of the six files (DuckDB's count). */
  rows: number;
  maxRssMiB: number;
  journeys: number;
  outcomes: Record<string, OutcomeFigures>;
  attachment: bigint;
  total: bigint;
}

function duckdb(entry: string, dir: string): DuckFigures | undefined {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'duckdb.mjs'), entry, dir, asOf, '--runs', String(runs), '--threads', String(threads)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) {
    log(`DuckDB baseline failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return undefined;
  }
  const j = JSON.parse(r.stdout) as {
    sqlSeconds: number;
    sqlCpuSeconds: number;
    sqlRuns: number[];
    version: string;
    readAllSeconds: number;
    rows: number;
    maxRssMiB: number;
    journeys: number;
    outcomes: Record<string, { met: number; not_met: number; not_eligible: number; pending: number; paid: string }>;
    payments: { total: string; by_type: Record<string, string> };
  };
  const outcomes = Object.fromEntries(Object.entries(j.outcomes).map(([id, c]) => [id, { ...c, paid: pence(c.paid) }]));
  return { ...j, outcomes, attachment: pence(j.payments.by_type['attachment'] ?? '0'), total: pence(j.payments.total) };
}

const fmt = (n: number, d = 1) => n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
const human = (n: number) => (n >= 1e6 ? `${fmt(n / 1e6, n % 1e6 ? 1 : 0)}M` : n >= 1e3 ? `${fmt(n / 1e3, 0)}k` : String(n));
const load = () => loadavg().map((x) => fmt(x, 2)).join(' ');

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(header), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

/** Per outcome: the run's and the SQL's counts and money, and whether they agree. */
function agreement(r: RunFigures, d: DuckFigures): { lines: string[]; agree: boolean } {
  const ids = [...new Set([...Object.keys(r.outcomes), ...Object.keys(d.outcomes)])].sort();
  const show = (o: OutcomeFigures | undefined) => (o ? `${o.met} / ${o.not_met} / ${o.not_eligible} / ${o.pending}, ${pounds(o.paid)}` : 'absent');
  let agree = true;
  const lines = ids.map((id) => {
    const a = r.outcomes[id];
    const b = d.outcomes[id];
    const same = !!a && !!b && a.met === b.met && a.not_met === b.not_met && a.not_eligible === b.not_eligible && a.pending === b.pending && a.paid === b.paid;
    agree &&= same;
    return `  ${id.padEnd(21)} ${same ? 'agree  ' : 'DIFFER '} run ${show(a)}${same ? '' : `; SQL ${show(b)}`}`;
  });
  const money = r.attachment === d.attachment && r.total === d.total;
  agree &&= money && r.journeys === d.journeys;
  lines.push(`  ${'journeys'.padEnd(21)} ${r.journeys === d.journeys ? 'agree  ' : 'DIFFER '} run ${r.journeys}${r.journeys === d.journeys ? '' : `; SQL ${d.journeys}`}`);
  lines.push(
    `  ${'attachment, total'.padEnd(21)} ${money ? 'agree  ' : 'DIFFER '} run ${pounds(r.attachment)}, ${pounds(r.total)}${money ? '' : `; SQL ${pounds(d.attachment)}, ${pounds(d.total)}`}`,
  );
  return { lines, agree };
}

build();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
log(`machine: ${cpus().length} cores (${cpu}), ${fmt(totalmem() / 2 ** 30, 1)} GiB memory, Node ${process.version}, load average ${load()}`);
log(`best of ${runs} run${runs === 1 ? '' : 's'} for the tool and for the SQL; DuckDB threads: ${threads}`);
const entry = duckdbEntry();
const doRun = !flag('no-run');
interface Result {
  clients: number;
  run: RunFigures | undefined;
  scan: { seconds: number; bytes: number };
  duck: DuckFigures | undefined;
  /** The modelling commands timed (with --commands), and what calibrate and forecast were given. */
  model: { target: string; provider: string; results: Partial<Record<ModelCommand, CommandResult>> } | undefined;
}
const results: Result[] = [];
for (const clients of sizes) {
  const dir = cohort(clients);
  scan(dir); // warm the page cache, as for every later read
  let runFigures: RunFigures | undefined;
  if (doRun) {
    log(`running ${human(clients)} (load average ${load()})…`);
    runFigures = run(dir);
  }
  let model: Result['model'];
  if (runFigures && modelCommands.length) {
    model = { target: calibrateTarget(runFigures), provider: firstProvider(dir), results: {} };
    log(`modelling commands ${human(clients)} (calibrate --target ${model.target}, forecast --provider ${model.provider}; load average ${load()})…`);
    for (const name of modelCommands) model.results[name] = timeModelCommand(name, dir, model.target, model.provider);
  }
  const s = scan(dir);
  if (entry) log(`SQL baseline ${human(clients)} (load average ${load()})…`);
  const duck = entry ? duckdb(entry, dir) : undefined;
  if (duck && !results.length) log(`DuckDB ${duck.version}`);
  if (duck) log(`  SQL: ${duck.sqlRuns.map((x) => fmt(x, 2)).join(' / ')} s, DuckDB read-all ${fmt(duck.readAllSeconds, 2)} s`);
  results.push({ clients, run: runFigures, scan: s, duck, model });
}

const growth = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? `${fmt(a / b, 2)}×` : '–');
const rows = results.map((r, i) => {
  const prev = results[i - 1];
  const run = r.run;
  const dash = '–';
  return [
    human(r.clients),
    run || r.duck ? fmt((run?.rows ?? r.duck!.rows) / 1e6, 2) + 'M' : dash,
    fmt(r.scan.bytes / 2 ** 20, 0),
    run ? fmt(run.seconds, 1) : dash,
    run ? fmt(run.cpuSeconds, 1) : dash,
    run ? fmt(run.rows / run.seconds, 0) : dash,
    run ? fmt(run.maxRssMiB, 0) : dash,
    prev ? `${growth(r.scan.bytes, prev.scan.bytes)}` : dash,
    prev ? `${growth(run?.seconds, prev.run?.seconds)} / ${growth(run?.maxRssMiB, prev.run?.maxRssMiB)}` : dash,
    fmt(r.scan.seconds, 2),
    run ? fmt(run.seconds / r.scan.seconds, 0) + '×' : dash,
    r.duck ? fmt(r.duck.sqlSeconds, 2) : 'skipped',
    r.duck ? fmt(r.duck.sqlCpuSeconds, 1) : 'skipped',
    r.duck ? fmt(r.duck.maxRssMiB, 0) : 'skipped',
    prev && r.duck && prev.duck ? growth(r.duck.sqlSeconds, prev.duck.sqlSeconds) : dash,
    run && r.duck ? fmt(run.seconds / r.duck.sqlSeconds, 2) + '×' : dash,
    r.duck ? fmt(r.duck.readAllSeconds, 2) : 'skipped',
  ];
});

const agreements = results
  .filter((r) => r.run && r.duck)
  .map((r) => {
    const a = agreement(r.run!, r.duck!);
    return `${human(r.clients)}: the SQL ${a.agree ? 'agrees with' : 'DISAGREES with'} the run (met / not met / not eligible / pending, paid):\n${a.lines.join('\n')}`;
  });

process.stdout.write(
  '\n' +
    table(
      ['clients', 'rows', 'MiB', 'run s', 'run CPU s', 'rows/s', 'peak RSS MiB', 'data growth', 'run growth (time / RSS)', 'scan s', 'run/scan', 'SQL s', 'SQL CPU s', 'SQL RSS MiB', 'SQL growth', 'run/SQL', 'DuckDB read-all s'],
      rows,
    ) +
    '\n\n' +
    `run: recovery-pbr run --scheme national-model-2012 --as-of ${asOf} (all six files, five outcomes, payments, all outputs), best wall time of ${runs}, the CPU time (user + system, all threads) of that run, and the highest peak RSS of the process (worker threads included).\n` +
    'data growth: bytes against the size above; run / SQL growth: time against the size above.\n' +
    'scan: reading every byte of the six files once. SQL: the national model as DuckDB SQL (bench/national-model.sql: reads, types and validates the six files, five outcomes with gateways and death, payments),\n' +
    `best wall time of ${runs} with its CPU time, ${threads} DuckDB thread${threads === 1 ? '' : 's'}, peak RSS of its process. run/SQL: run time ÷ SQL time. DuckDB read-all: count(*) of each of the six files read as text.\n` +
    `load average at the end: ${load()}\n` +
    (agreements.length ? '\n' + agreements.join('\n\n') + '\n' : ''),
);

/** The second table (with --commands): every command timed at every size, and its memory against run's. */
function commandTable(): string {
  const dash = '–';
  const rows: string[][] = [];
  const failures: string[] = [];
  for (const name of commands) {
    for (const r of results) {
      if (!r.run) continue;
      const timed: CommandResult | undefined = name === 'run' ? { ok: true, figures: r.run } : r.model?.results[name];
      if (!timed) continue;
      if (!timed.ok) {
        rows.push([name, human(r.clients), 'failed', dash, dash, dash]);
        // The command's own error line (`recovery-pbr <command>: …`) says most; else the last line of stderr.
        const [how, ...tail] = timed.reason.split('\n').filter((l) => l.trim());
        const said = (tail.find((l) => /^recovery-pbr [\w-]+: /.test(l)) ?? tail[tail.length - 1])?.trim();
        failures.push(`${human(r.clients)} ${how}${said ? ` — ${said.length > 200 ? `${said.slice(0, 199)}…` : said}` : ''}`);
        continue;
      }
      const f = timed.figures;
      rows.push([name, human(r.clients), fmt(f.seconds, 1), fmt(f.cpuSeconds, 1), fmt(f.maxRssMiB, 0), `${fmt(f.maxRssMiB / r.run.maxRssMiB, 2)}×`]);
    }
  }
  const given = results
    .filter((r) => r.model)
    .map((r) => `${human(r.clients)}: calibrate --target ${r.model!.target}, forecast --provider ${r.model!.provider}`)
    .join('; ');
  return (
    table(['command', 'clients', 'wall s', 'CPU s', 'peak RSS MiB', 'RSS ÷ run'], rows) +
    '\n\n' +
    `Each command on the same cohort, as of ${asOf}, output to a temporary folder that is removed; best wall time of ${runs}, the CPU time (user + system, all threads) of that run,\n` +
    "the highest peak RSS of the process (worker threads included), and that RSS ÷ the run's peak RSS at the same size.\n" +
    '  compare: --scheme national-model-2012 --set tariff.outcomes.free-from-dependence.2=2000.00 (two schemes decided in one pass)\n' +
    "  calibrate: --scheme national-model-2012 --target <90% of the run's outcome payments, in pounds> (outcomes decided once, prices varied)\n" +
    '  forecast: --scheme national-model-2012 --provider <the first episode\'s provider> (2,000 simulations)\n' +
    '  health-premium: --scheme health-premium-2015-16 --baseline 2012-04-01 --current 2013-04-01\n' +
    (given ? `Given: ${given}.\n` : '') +
    (workers ? `--workers ${workers} is passed to run only (the modelling commands have no such option: they take the default).\n` : '') +
    (failures.length ? `FAILED (exit status and stderr above):\n${failures.map((f) => `  ${f}`).join('\n')}\n` : '')
  );
}

if (modelCommands.length) {
  process.stdout.write('\n' + commandTable());
  if (results.some((r) => Object.values(r.model?.results ?? {}).some((c) => !c.ok))) process.exitCode = 1;
}
