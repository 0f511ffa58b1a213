// Row-by-row check of a run against the SQL baseline (bench/national-model.sql): for every journey
// and outcome, the status and achieved_on in the run's outcomes.csv against the SQL's decision;
// then the run's payments.csv against the SQL's payments, row by row; then rows read / used /
// rejected per input file and the items summary.json counts as not paid (unbanded, unknown band,
// outside the contract). Prints what differs and the first differing rows to look at.
// Usage: node bench/agree.mjs <data dir> <asOf> <run output dir> [--show 20]
//   (the run: recovery-pbr run --scheme national-model-2012 --data <data dir> --as-of <asOf> --out <run output dir>)
// DuckDB is taken from ~/.cache/recovery-pbr/duckdb (installed there by `npm run bench`).
// Exit code 0 when everything agrees, 1 when something differs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const [dir, asOf, out] = argv;
if (!dir || !asOf || !out) {
  process.stderr.write('usage: node bench/agree.mjs <data dir> <asOf> <run output dir> [--show 20]\n');
  process.exit(2);
}
const showAt = argv.indexOf('--show');
const show = showAt === -1 ? 20 : Math.max(1, Number(argv[showAt + 1]) || 20);
const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'recovery-pbr');
let entry;
try {
  entry = createRequire(join(cacheDir, 'duckdb', 'package.json')).resolve('@duckdb/node-api');
} catch {
  process.stderr.write(`@duckdb/node-api is not installed in ${join(cacheDir, 'duckdb')}: run npm run bench -- --quick once, or install it there.\n`);
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'rpbr-agree-'));
try {
  const decisions = join(tmp, 'decisions.csv');
  const sql = spawnSync(process.execPath, [fileURLToPath(new URL('./duckdb.mjs', import.meta.url)), entry, dir, asOf, '--no-read-all', '--decisions', decisions], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (sql.status !== 0) throw new Error(`the SQL failed: ${sql.stderr.trim()}`);
  const result = JSON.parse(sql.stdout);
  const { DuckDBInstance } = await import(pathToFileURL(entry).href);
  const con = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
  const q = async (s) => (await con.runAndReadAll(s)).getRowObjectsJS();
  const lit = (p) => `'${p.replace(/'/g, "''")}'`;
  await con.run(`create table run as select client_id, journey_id, outcome_id, status, achieved_on, reason
    from read_csv(${lit(join(out, 'outcomes.csv'))}, header = true, all_varchar = true)`);
  await con.run(`create table sql as select * from read_csv(${lit(decisions)}, header = true, all_varchar = true)`);
  await con.run(`create table diff as select coalesce(r.client_id, s.client_id) as client_id, coalesce(r.journey_id, s.journey_id) as journey_id,
      coalesce(r.outcome_id, s.outcome_id) as outcome_id, r.status as run_status, r.achieved_on as run_achieved_on, r.reason as run_reason,
      s.status as sql_status, s.achieved_on as sql_achieved_on
    from run r full join sql s on s.client_id = r.client_id and s.journey_id = r.journey_id and s.outcome_id = r.outcome_id
    where r.status is distinct from s.status or r.achieved_on is distinct from s.achieved_on`);
  const [{ n: rows }] = await q('select count(*) as n from run');
  const byOutcome = await q('select outcome_id, count(*) as n from diff group by all order by all');
  const first = await q(`select * from diff order by client_id, journey_id, outcome_id limit ${show}`);

  const payments = result.payments.rows.map((r) => [r.provider_id, r.period_start, r.payment_type, r.outcome_id, r.tariff_band, String(r.count), r.amount].join(','));
  const runPayments = (await q(`select provider_id, period_start, payment_type, outcome_id, tariff_band, count, amount
      from read_csv(${lit(join(out, 'payments.csv'))}, header = true, all_varchar = true) where payer = 'default' and amount <> '0.00'`))
    .map((r) => [r.provider_id, r.period_start, r.payment_type, r.outcome_id ?? '', r.tariff_band ?? '', r.count, r.amount].join(','));
  const a = new Set(payments);
  const b = new Set(runPayments);
  const onlySql = payments.filter((p) => !b.has(p));
  const onlyRun = runPayments.filter((p) => !a.has(p));

  process.stdout.write(`${Number(rows).toLocaleString('en-GB')} journey × outcome rows in the run; ${first.length ? 'differing' : 'all agree'}${byOutcome.map((r) => `\n  ${r.outcome_id}: ${r.n} rows differ`).join('')}\n`);
  for (const r of first) {
    process.stdout.write(`  ${r.client_id} ${r.journey_id} ${r.outcome_id}: run ${r.run_status ?? 'absent'} ${r.run_achieved_on ?? ''} (${r.run_reason ?? ''}); SQL ${r.sql_status ?? 'absent'} ${r.sql_achieved_on ?? ''}\n`);
  }
  process.stdout.write(`payments.csv: ${runPayments.length} rows with money in the run, ${payments.length} in the SQL; ${onlySql.length + onlyRun.length ? `${onlyRun.length} only in the run, ${onlySql.length} only in the SQL` : 'identical'}\n`);
  for (const p of onlyRun.slice(0, show)) process.stdout.write(`  run only: ${p}\n`);
  for (const p of onlySql.slice(0, show)) process.stdout.write(`  SQL only: ${p}\n`);
  // Rows read / used / rejected per file, and the items summary.json counts as not paid.
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const fileDiffs = Object.entries(summary.inputs).filter(([f, c]) => {
    const s = result.fileCounts[f];
    return !s || s.read !== c.read || s.used !== c.used || s.rejected !== c.rejected;
  });
  for (const [f, c] of fileDiffs) {
    const s = result.fileCounts[f];
    process.stdout.write(`  ${f}: run read ${c.read}, used ${c.used}, rejected ${c.rejected}; SQL ${s ? `read ${s.read}, used ${s.used}, rejected ${s.rejected}` : 'absent'}\n`);
  }
  const p = summary.payments;
  const c = result.checks;
  const unpaid = [
    ['unbanded journeys', p.unbanded.journeys, c.unbanded.journeys],
    ['unbanded items', p.unbanded.items, c.unbanded.items],
    ['unknown-band items', p.unknown_band.items, c.unknown_band.items],
    ['outside-contract items', p.outside_contract.items, c.outside_contract.items],
    ['outside-contract amount', p.outside_contract.amount, c.outside_contract.amount],
  ].filter(([, a, b]) => String(a) !== String(b));
  process.stdout.write(`input files (read / used / rejected): ${fileDiffs.length ? `${fileDiffs.length} differ` : 'identical'}; items not paid: ${unpaid.length ? unpaid.map(([k, a, b]) => `${k} run ${a}, SQL ${b}`).join('; ') : 'identical'}\n`);
  process.exitCode = first.length || onlySql.length || onlyRun.length || fileDiffs.length || unpaid.length ? 1 : 0;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
