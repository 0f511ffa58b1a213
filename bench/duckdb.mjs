// Baseline: the national model's free-from-dependence outcome (R-JNY-1 journeys with the 21-day
// gap, R-OUT-1 successful completion, R-OUT-2 no re-presentation within 6 months, as known at asOf)
// written as SQL and run in DuckDB on episodes.csv; and DuckDB merely reading all six files.
// Usage: node duckdb.mjs <path to @duckdb/node-api entry> <data dir> <asOf>
// Prints {ffdSeconds, statuses, scanAllSeconds, rows}.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [entry, dir, asOf] = process.argv.slice(2);
const { DuckDBInstance } = await import(pathToFileURL(entry).href);
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const q = (sql) => con.runAndReadAll(sql).then((r) => r.getRowObjects());
const file = (name) => `'${join(dir, name).replace(/'/g, "''")}'`;

const ffd = `
with e as (
  select episode_id, client_id,
    cast(start_date as date) as start_date,
    case when cast(discharge_date as date) <= date '${asOf}' then cast(discharge_date as date) end as dis,
    case when cast(discharge_date as date) <= date '${asOf}' then exit_reason end as exit_reason,
    case when cast(discharge_date as date) <= date '${asOf}' then substitute_medication_at_exit end as sub,
    substances
  from read_csv(${file('episodes.csv')}, header = true, all_varchar = true)
  where cast(start_date as date) <= date '${asOf}'
),
o as (
  select *, max(coalesce(dis, date '9999-12-31')) over (partition by client_id order by start_date, episode_id
    rows between unbounded preceding and 1 preceding) as prev_max
  from e
),
j as (
  select *, sum(case when prev_max is null or start_date > prev_max + interval 21 day then 1 else 0 end)
    over (partition by client_id order by start_date, episode_id rows between unbounded preceding and current row) as jn
  from o
),
journeys as (
  select client_id, jn, min(start_date) as jstart,
    case when bool_or(dis is null) then null else max(dis) end as jend,
    arg_max(exit_reason, strftime(dis, '%Y-%m-%d') || episode_id) as exit_reason,
    arg_max(sub, strftime(dis, '%Y-%m-%d') || episode_id) as sub,
    bool_or(substances like '%opiates%' or substances like '%crack%') as opiate
  from j group by client_id, jn
),
n as (
  select *, lead(jstart) over (partition by client_id order by jstart) as next_start from journeys
),
d as (
  select case
    when jend is null then 'pending'
    when not (exit_reason in ('completed_drug_free', 'completed_alcohol_free', 'completed_occasional_user')
              and (not opiate or (exit_reason <> 'completed_occasional_user' and sub = 'false')))
      then case when jend + interval 21 day <= date '${asOf}' then 'not_met' else 'pending' end
    when next_start is not null and next_start <= jend + interval 6 month and next_start <= date '${asOf}' then 'not_met'
    when jend + interval 6 month <= date '${asOf}' then 'met'
    else 'pending' end as status
  from n
)
select status, count(*) as n from d group by status order by status`;

let t0 = performance.now();
const rows = await q(ffd);
const ffdSeconds = (performance.now() - t0) / 1000;
const statuses = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));

t0 = performance.now();
let total = 0;
for (const name of ['episodes.csv', 'reviews.csv', 'drug_tests.csv', 'offences.csv', 'employment.csv', 'clients.csv']) {
  const [r] = await q(`select count(*) as n from read_csv(${file(name)}, header = true, all_varchar = true)`);
  total += Number(r.n);
}
const scanAllSeconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ ffdSeconds, statuses, scanAllSeconds, rows: total }) + '\n');
