#!/usr/bin/env node
// The workbench page at scale (issue #14 item 8): how long a cohort takes from picking its files to
// results, how much memory the tab holds, and how long a price edit takes, in headless Chromium.
//
//   node bench/workbench.mjs examples/demo
//   node bench/workbench.mjs ~/.cache/recovery-pbr/bench/100000-seed7 --edits 2
//
// Options: --scheme <preset id> (national-model-2012), --as-of <date> (2015-03-31),
// --edits <n> price edits to time (3), --price <outcomeId>-<band> the price edited
// (free-from-dependence-2), --json <file> also write the figures as JSON (keep it out of git).
//
// Uses what `npm ci` builds: dist/cli.js and dist/workbench/. Steps:
//  1. `recovery-pbr run` on the same files, scheme and as-of (through bench/child.mjs, for its wall
//     time and peak RSS), into a temporary folder: its summary.json holds the total to check.
//  2. `recovery-pbr workbench --port 0 --no-open` serves the page; Debian's Chromium (`which
//     chromium`) opens it, driven by playwright-core, as test/workbench/browser.test.ts does.
//  3. The scheme and as-of are set, then the cohort's input files (*.csv, *.ndjson, *.jsonl) are
//     picked through the `data-files` input; the time runs from picking them to
//     `data-testid="status"` reading `ready`. The page's progress text is polled every 100 ms to
//     split that time into reading, deciding, and payments and results. `total-paid` must equal
//     run's total, and `rejections-count` run's rejected rows.
//  4. Each price edit: a new value typed into `price-<outcomeId>-<band>`; the time runs until
//     `delta-total` shows a new difference and the status is `ready` again (a round trip as a
//     person sees it, driver included). The difference must equal `total-edited` −
//     `total-original`. The worker's own time for the what-if ("re-priced in N ms") is given beside.
//
// Memory: Chromium's processes are listed with CDP `SystemInfo.getProcessInfo` (OS process ids,
// types and CPU time) and the resident memory of each is read from /proc/<pid>/status every
// 100 ms (VmRSS, and VmHWM, the kernel's own peak). The page and its Web Worker run in one renderer
// process (a dedicated worker is a thread of its page's renderer): the tab is the renderer with a
// thread named DedicatedWorker, and its memory is that process's RSS. Chromium's other processes
// (browser, GPU, network, spare renderers) are summed beside it. RSS counts shared pages
// (Chromium's own code) in each process, so the sum over processes overstates their total.
//
// The machine's load average (/proc/loadavg) is printed with every figure: on a shared machine the
// times say as much about the other jobs as about the page; memory is not affected by the load.
// Exit 1 when a check fails (total, rejected rows, a what-if difference, an error in the page).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const INPUT = /\.(csv|ndjson|jsonl)$/i;
const MIB = 1024 * 1024;

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scheme: { type: 'string', default: 'national-model-2012' },
    'as-of': { type: 'string', default: '2015-03-31' },
    edits: { type: 'string', default: '3' },
    price: { type: 'string', default: 'free-from-dependence-2' },
    json: { type: 'string' },
  },
});
if (positionals.length !== 1) {
  console.error('usage: node bench/workbench.mjs <cohort folder> [--scheme id] [--as-of date] [--edits n] [--price outcomeId-band] [--json file]');
  process.exit(2);
}
const cohort = resolve(positionals[0]);
const files = readdirSync(cohort).filter((n) => INPUT.test(n)).sort().map((n) => join(cohort, n));
if (files.length === 0) fail(`no .csv, .ndjson or .jsonl file in ${cohort}`);
for (const built of ['dist/cli.js', 'dist/workbench/index.html']) {
  if (!existsSync(join(REPO, built))) fail(`${built} is missing: run npm ci (or npm run build) first`);
}
const edits = Number(opt.edits);
if (!Number.isInteger(edits) || edits < 0) fail(`--edits must be a whole number (got ${opt.edits})`);

function fail(message) {
  console.error(`bench/workbench: ${message}`);
  process.exit(1);
}

/** The load average over 1, 5 and 15 minutes. */
const load = () => loadavg();
const loadText = (l) => `load ${l.map((x) => x.toFixed(2)).join(' ')}`;

/** Money as the page shows it: '122607300.00' → '£122,607,300.00'. */
function pounds(amount) {
  const neg = amount.startsWith('-');
  const [whole, pence = ''] = (neg ? amount.slice(1) : amount).split('.');
  return `${neg ? '-' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(pence + '00').slice(0, 2)}`;
}

/** Pence from the page's text: '£1,234.56', '+£1.00', '-£350.00', '−£350.00'. */
function pence(text) {
  const neg = /^[-−]/.test(text);
  const digits = text.replace(/[^0-9]/g, '');
  return (neg ? -1n : 1n) * BigInt(digits);
}

const s = (ms) => (ms / 1000).toFixed(1);
const mib = (bytes) => Math.round(bytes / MIB);

const tmp = mkdtempSync(join(tmpdir(), 'rpbr-wb-bench-'));
const report = {
  cohort,
  files: files.length,
  bytes: files.reduce((a, f) => a + statSync(f).size, 0),
  scheme: opt.scheme,
  asOf: opt['as-of'],
  chromium: '',
  run: undefined,
  page: undefined,
  edits: [],
};
let server;
let browser;
try {
  // 1. The command line's figures for the same files, scheme and as-of.
  const runLoad = load();
  const result = join(tmp, 'run.json');
  execFileSync(process.execPath, [join(REPO, 'bench/child.mjs'), 'run', '--scheme', opt.scheme, '--data', cohort, '--as-of', opt['as-of'], '--out', join(tmp, 'run'), '--quiet'], {
    env: { ...process.env, BENCH_RESULT: result },
    stdio: ['ignore', 'ignore', 'pipe'], // run's report and its note on rejected rows are not the figures
  });
  const child = JSON.parse(readFileSync(result, 'utf8'));
  const summary = JSON.parse(readFileSync(join(tmp, 'run/summary.json'), 'utf8'));
  report.run = { seconds: child.seconds, peakRssMiB: Math.round(child.maxRssMiB), total: summary.payments.total, rejected: summary.rejected_total, load: runLoad };
  console.log(`run: ${child.seconds.toFixed(1)} s, peak RSS ${report.run.peakRssMiB} MiB, total paid ${pounds(summary.payments.total)}, ${summary.rejected_total} rows rejected (${loadText(runLoad)})`);

  // 2. The page, served as `recovery-pbr workbench` serves it.
  server = spawn(process.execPath, [join(REPO, 'dist/cli.js'), 'workbench', '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, no) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /https?:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
      if (m) ok(m[0]);
    });
    server.on('exit', (code) => no(new Error(`the workbench server stopped (exit ${code}) before printing its address`)));
  });
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium is not installed (apt-get install -y chromium)');
  browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 60_000 });
  report.chromium = browser.version();
  const cdp = await browser.newBrowserCDPSession();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));

  // Memory: every 100 ms, the RSS of each of Chromium's processes.
  const procs = new Map(); // pid → { type, hwm, worker, cpu }
  let phase = 'idle';
  const phasePeak = {}; // phase → { tab, all }
  // A process's resident memory now and at its highest (bytes), from one read of its status.
  const rss = (pid) => {
    let status = '';
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      // the process has gone
    }
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { now: kb('VmRSS'), hwm: kb('VmHWM') };
  };
  // The tab's renderer: the one with a thread named DedicatedWorker (the page's Web Worker).
  const hasWorker = (pid) => {
    try {
      return readdirSync(`/proc/${pid}/task`).some((task) => readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').startsWith('DedicatedWorker'));
    } catch {
      return false;
    }
  };
  let listing = 0;
  let sampling = false;
  const sample = async () => {
    if (sampling) return;
    sampling = true;
    try {
      if (Date.now() - listing > 1000) {
        listing = Date.now();
        const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
        for (const p of processInfo) {
          if (!procs.has(p.id)) procs.set(p.id, { type: p.type, hwm: 0, worker: false, cpu: 0 });
          procs.get(p.id).cpu = p.cpuTime;
        }
        for (const [pid, p] of procs) if (p.type === 'renderer' && !p.worker) p.worker = hasWorker(pid);
      }
      let all = 0;
      let tab = 0;
      for (const [pid, p] of procs) {
        const { now, hwm } = rss(pid);
        p.hwm = Math.max(p.hwm, hwm);
        all += now;
        if (p.worker) tab += now;
      }
      const pp = (phasePeak[phase] ??= { tab: 0, all: 0 });
      pp.tab = Math.max(pp.tab, tab);
      pp.all = Math.max(pp.all, all);
    } finally {
      sampling = false;
    }
  };
  const timer = setInterval(() => void sample().catch(() => {}), 100);

  await page.goto(url);
  const status = page.getByTestId('status');
  const text = (id) => page.getByTestId(id).innerText();
  const settled = (timeout) =>
    page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'ready', null, { timeout, polling: 50 });
  await page.getByTestId('scheme-select').selectOption(opt.scheme);
  await page.getByTestId('as-of').fill(opt['as-of']);
  if ((await status.innerText()) !== 'no data') throw new Error(`the page's status is '${await status.innerText()}' before any file is picked`);
  // Idle: the page shown, its worker started, no data.
  for (let tries = 0; ![...procs.values()].some((p) => p.worker); tries++) {
    if (tries === 100) throw new Error("no renderer process has the page's worker thread (DedicatedWorker)");
    await new Promise((ok) => setTimeout(ok, 100));
    listing = 0;
    await sample();
  }
  const idle = { ...phasePeak.idle };

  /** CPU seconds the tab's renderer has used (page, worker and Chromium's own threads), from CDP. */
  const tabCpu = async () => {
    listing = 0;
    await sample();
    return [...procs.values()].filter((p) => p.worker).reduce((a, p) => a + p.cpu, 0);
  };

  // 3. Picking the files: the time to results, and memory while reading, deciding and pricing.
  // The page's progress text is polled too, for when each stage began (its first words:
  // "Reading episodes.csv", "Deciding outcomes", "Working out payments").
  const cpu0 = await tabCpu();
  phase = 'load';
  const loadBefore = load();
  const stages = [];
  let polling = true;
  const t0 = performance.now();
  const poll = (async () => {
    while (polling) {
      const words = await page
        .locator('.progress span')
        .first()
        .innerText({ timeout: 1000 })
        .then((x) => x.split(':')[0].trim(), () => undefined);
      if (words && stages.at(-1)?.stage !== words) stages.push({ stage: words, at: (performance.now() - t0) / 1000 });
      await new Promise((ok) => setTimeout(ok, 100));
    }
  })();
  await page.getByTestId('data-files').setInputFiles(files);
  await settled(3_600_000);
  const loadMs = performance.now() - t0;
  polling = false;
  await poll;
  const loadAfter = load();
  const cpu1 = await tabCpu();
  const read = /Read in ([\d.]+) s/.exec(await page.locator('body').innerText());
  // From the stages: reading (and checking the headers), deciding, then pricing and showing.
  const began = (prefix) => stages.find((x) => x.stage.startsWith(prefix))?.at;
  const deciding = began('Deciding');
  const pricing = began('Working out payments');
  const split =
    deciding !== undefined && pricing !== undefined
      ? { readingSeconds: deciding, decidingSeconds: pricing - deciding, pricingSeconds: loadMs / 1000 - pricing }
      : undefined;
  const paid = await text('total-paid');
  const rejected = await text('rejections-count');
  report.page = {
    seconds: loadMs / 1000,
    readSeconds: read ? Number(read[1]) : undefined,
    ...split,
    totalPaid: paid,
    rejected: Number(rejected),
    totalMatchesRun: paid === pounds(summary.payments.total),
    rejectedMatchesRun: Number(rejected) === summary.rejected_total,
    tabCpuSeconds: cpu1 - cpu0,
    stages,
    load: [loadBefore, loadAfter],
  };
  console.log(`page: files picked to ready ${s(loadMs)} s (the page says read in ${read?.[1]} s) (${loadText(loadBefore)} → ${loadText(loadAfter)})`);
  if (split) console.log(`page: reading ${split.readingSeconds.toFixed(1)} s, deciding ${split.decidingSeconds.toFixed(1)} s, payments and results ${split.pricingSeconds.toFixed(1)} s (from the page's progress text)`);
  console.log(`page: the tab used ${(cpu1 - cpu0).toFixed(1)} s of CPU; stages began at: ${stages.map((x) => `${x.at.toFixed(1)} s ${x.stage}`).join(', ')}`);
  console.log(`page: total-paid ${paid} ${report.page.totalMatchesRun ? '= run' : `≠ run's ${pounds(summary.payments.total)}`}; rejections-count ${rejected} ${report.page.rejectedMatchesRun ? '= run' : `≠ run's ${summary.rejected_total}`}`);

  // 4. Price edits: typed value to the new difference shown and ready.
  phase = 'edits';
  const input = page.getByTestId(`price-${opt.price}`);
  const original = (await input.inputValue()).trim();
  for (let i = 1; i <= edits; i++) {
    const value = (Number(original) + 100 * i).toFixed(2);
    const before = await text('delta-total');
    const l = load();
    const e0 = performance.now();
    await input.fill(value);
    await page.waitForFunction(
      (prev) => document.querySelector('[data-testid=status]')?.textContent === 'ready' && document.querySelector('[data-testid=delta-total]')?.textContent !== prev,
      before,
      { timeout: 600_000, polling: 'raf' },
    );
    const ms = performance.now() - e0;
    await sample();
    const delta = await text('delta-total');
    const consistent = pence(await text('total-edited')) - pence(await text('total-original')) === pence(delta);
    const repriced = /re-priced in (\d+) ms/.exec(await page.locator('#what-if').innerText());
    report.edits.push({ value, ms: Math.round(ms), workerWhatIfMs: repriced ? Number(repriced[1]) : undefined, delta, consistent, load: l });
    console.log(`edit ${i}: ${opt.price} ${original} → ${value}: ${Math.round(ms)} ms to delta-total ${delta} and ready (worker's what-if ${repriced?.[1]} ms)${consistent ? '' : ' — delta ≠ edited − original!'} (${loadText(l)})`);
  }

  clearInterval(timer);
  await sample();
  const tabs = [...procs.values()].filter((p) => p.worker);
  if (tabs.length !== 1) throw new Error(`expected one renderer process with the page's worker, found ${tabs.length}`);
  report.memory = {
    method: 'CDP SystemInfo.getProcessInfo for the pids, /proc/<pid>/status VmRSS sampled every 100 ms and VmHWM',
    idleTabMiB: mib(idle.tab),
    loadTabMiB: mib(phasePeak.load?.tab ?? 0),
    editsTabMiB: mib(phasePeak.edits?.tab ?? 0),
    tabHwmMiB: mib(tabs[0].hwm),
    allChromiumMiB: mib(Math.max(...Object.values(phasePeak).map((p) => p.all))),
    processes: [...procs.entries()].map(([pid, p]) => ({ pid, type: p.type, worker: p.worker, hwmMiB: mib(p.hwm) })),
  };
  console.log(
    `memory: the tab (page and worker, one renderer process) ${mib(idle.tab)} MiB idle; peak ${report.memory.loadTabMiB} MiB while loading, ${report.memory.editsTabMiB} MiB while editing (sampled RSS); VmHWM ${report.memory.tabHwmMiB} MiB. All Chromium processes together: peak ${report.memory.allChromiumMiB} MiB.`,
  );
  if (problems.length) console.log(`the page reported: ${problems.join(' | ')}`);
  if (opt.json) writeFileSync(opt.json, JSON.stringify(report, null, 2) + '\n');
  const ok = report.page.totalMatchesRun && report.page.rejectedMatchesRun && report.edits.every((e) => e.consistent) && problems.length === 0;
  if (!ok) process.exitCode = 1;
} catch (e) {
  console.error(`bench/workbench: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server?.kill();
  rmSync(tmp, { recursive: true, force: true });
}
