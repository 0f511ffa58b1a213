// Baselines in DuckDB (issue #11): the national model's five outcomes and payments written as SQL
// (bench/national-model.sql) on the six CSV files, and DuckDB merely reading all six files.
// Usage: node duckdb.mjs <path to @duckdb/node-api entry> <data dir> <asOf> [--runs N] [--threads N]
//                        [--no-read-all] [--decisions <file.csv>]
// Each timed run of the SQL uses a fresh in-memory database. Prints one line of JSON:
//   { version (DuckDB's), sqlSeconds (best of runs), sqlCpuSeconds (CPU time of that run, DuckDB's threads included), sqlRuns, readAllSeconds, rows, threads, maxRssMiB, fileCounts,
//     outcomes: { id: { met, not_met, not_eligible, pending, paid_items, paid } }, payments, checks }
// --decisions writes the SQL's decision per journey and outcome (client_id, journey_id, outcome_id,
// status, achieved_on), sorted as outcomes.csv, to compare row by row with the tool.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const [entry, dir, asOf] = argv;
if (!entry || !dir || !/^\d{4}-\d{2}-\d{2}$/.test(asOf ?? '')) {
  process.stderr.write('usage: node duckdb.mjs <@duckdb/node-api entry> <data dir> <asOf YYYY-MM-DD> [--runs N] [--threads N]\n');
  process.exit(2);
}
const runs = Math.max(1, Number(opt('runs', '1')));
const threads = Math.max(1, Number(opt('threads', '2')));
const { DuckDBInstance } = await import(pathToFileURL(entry).href);

const sqlFile = fileURLToPath(new URL('./national-model.sql', import.meta.url));
const script = readFileSync(sqlFile, 'utf8')
  .replaceAll('{{dir}}', dir.replace(/\/+$/, '').replace(/'/g, "''"))
  .replaceAll('{{as_of}}', asOf);

async function open() {
  const inst = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  return { inst, con: await inst.connect() };
}
const rowsOf = async (con, sql) => (await con.runAndReadAll(sql)).getRowObjectsJS();
const num = (v) => (typeof v === 'bigint' ? Number(v) : v);
// DECIMAL values arrive as JS numbers through getRowObjectsJS; read them as text to keep pence exact.
const text = (sql) => `select * replace (cast(amount as varchar) as amount) from (${sql})`;

// The SQL: best wall time of `runs` fresh databases; results from the last one.
let best = Infinity;
let bestCpu = 0;
const sqlRuns = [];
let con;
for (let i = 0; i < runs; i++) {
  const db = await open();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await db.con.run(script);
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  sqlRuns.push(s);
  if (s < best) [best, bestCpu] = [s, (c.user + c.system) / 1e6];
  if (i < runs - 1) db.con.closeSync?.();
  else con = db.con;
}

const fileCounts = Object.fromEntries(
  (await rowsOf(con, 'select file, read, used from file_counts')).map((r) => [r.file, { read: num(r.read), used: num(r.used), rejected: num(r.read) - num(r.used) }]),
);
const outcomes = Object.fromEntries(
  (await rowsOf(con, `select outcome_id, met, not_met, not_eligible, pending, paid_items, cast(paid as varchar) as paid from outcome_counts`)).map((r) => [
    r.outcome_id,
    { met: num(r.met), not_met: num(r.not_met), not_eligible: num(r.not_eligible), pending: num(r.pending), paid_items: num(r.paid_items), paid: r.paid },
  ]),
);
const byType = Object.fromEntries(
  (await rowsOf(con, text('select payment_type, sum(amount) as amount from payments group by payment_type'))).map((r) => [r.payment_type, r.amount]),
);
const byProvider = Object.fromEntries(
  (await rowsOf(con, text('select provider_id, sum(amount) as amount from payments group by provider_id order by provider_id'))).map((r) => [r.provider_id, r.amount]),
);
const [total] = await rowsOf(con, text('select sum(amount) as amount from payments'));
const paymentRows = (
  await rowsOf(
    con,
    text(`select provider_id, strftime(period_start, '%Y-%m-%d') as period_start, payment_type, coalesce(outcome_id, '') as outcome_id,
      tariff_band, count, amount from payments order by provider_id, period_start, payment_type, outcome_id, tariff_band`),
  )
).map((r) => ({ ...r, count: num(r.count) }));
const [c] = await rowsOf(con, 'select * replace (cast(outside_contract_amount as varchar) as outside_contract_amount) from payment_checks');
const checks = {
  unbanded: { journeys: num(c.unbanded_journeys), items: num(c.unbanded_items) },
  unknown_band: { items: num(c.unknown_band_items) },
  outside_contract: { items: num(c.outside_contract_items), amount: c.outside_contract_amount },
};
const [j] = await rowsOf(con, 'select count(*) as journeys, count(distinct client_id) as clients, version() as version from journeys');

const decisionsFile = opt('decisions', undefined);
if (decisionsFile) {
  await con.run(`copy (select d.client_id, d.journey_id, d.outcome_id, d.status, d.achieved_on from decisions d
    order by d.client_id, d.journey_id, d.outcome_id) to '${decisionsFile.replace(/'/g, "''")}' (header, delimiter ',')`);
}

// DuckDB merely reading all six files (count of rows, every column read as text).
let readAllSeconds;
let rows = 0;
if (!argv.includes('--no-read-all')) {
  const db = await open();
  const t0 = performance.now();
  for (const name of ['episodes.csv', 'reviews.csv', 'drug_tests.csv', 'offences.csv', 'employment.csv', 'clients.csv']) {
    const [r] = await rowsOf(db.con, `select count(*) as n from read_csv('${join(dir, name).replace(/'/g, "''")}', header = true, all_varchar = true)`);
    rows += num(r.n);
  }
  readAllSeconds = (performance.now() - t0) / 1000;
}

process.stdout.write(
  JSON.stringify({
    sqlSeconds: best,
    sqlCpuSeconds: bestCpu,
    sqlRuns,
    readAllSeconds,
    rows,
    threads,
    version: j.version,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    journeys: num(j.journeys),
    clients: num(j.clients),
    fileCounts,
    outcomes,
    payments: { total: total.amount ?? '0.00', by_type: byType, providers: byProvider, rows: paymentRows },
    checks,
  }) + '\n',
);
