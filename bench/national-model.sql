-- The national model (seeds/national-model-2012.json) written independently as DuckDB SQL, from
-- SPEC v3: the baseline `npm run bench` times beside `recovery-pbr run` (issue #11). It reads the
-- six CSV files as text, types and validates them (R-VAL-2, R-VAL-3), builds journeys (R-JNY-1..4),
-- decides the five outcomes with their gateways and death (R-OUT-1..4, 6..9, R-CAL-1..5) and prices
-- them (R-PAY-1/2/5/8). It leaves these tables for bench/duckdb.mjs to read:
--   file_counts     rows read and used per input file
--   outcome_counts  per outcome: met / not_met / not_eligible / pending, items paid and amount paid
--   payments        provider_id, period_start, payment_type, outcome_id, tariff_band, count, amount
--                   (the rows of payments.csv with money in them; payer `default`, no caps)
--   payment_checks  unbanded journeys and items, unknown-band items, outside-contract items and amount
--   decisions       (a view) one row per journey and outcome: status, achieved_on when met
-- Every statement is set-based (window functions, hash and as-of joins, grouped aggregates): no
-- per-row subqueries.
--
-- Placeholders replaced by bench/duckdb.mjs: {{dir}} (the data folder, inside a quoted literal) and
-- {{as_of}} (YYYY-MM-DD). Parameters of the preset are written in as constants: journeyGapDays 21,
-- reviewToleranceDays 28, contract start 2012-04-01 (quarterly periods), the tariff below.
--
-- What it leaves out compared with the tool: see bench/README.md.

-- ---------------------------------------------------------------------------------------------
-- Field parsers (SPEC §2, R-VAL-2). Text cells are trimmed and blank is NULL. Each parser returns
-- NULL for a blank or a value it cannot read; the row checks below tell the two apart with the raw
-- cell (a blank optional field is fine, an unreadable one rejects the row).
-- ---------------------------------------------------------------------------------------------
-- (DuckDB's trim removes spaces; the tool also trims tabs and line breaks.)
create or replace temp macro cell(x) as nullif(trim(x), '');
-- Identifier: at most 64 characters (the tool also refuses control characters and U+FFFD).
create or replace temp macro id_ok(x) as length(x) <= 64;
-- R-VAL-3: a client id that is a 10-digit NHS number with a valid modulus-11 check digit.
create or replace temp macro nhs_check(d) as
  (11 - list_sum(list_transform(range(9), i -> (ascii(d[i + 1]) - 48) * (10 - i))) % 11) % 11 = ascii(d[10]) - 48;
create or replace temp macro is_nhs(x) as case
  when length(x) between 10 and 12 and regexp_full_match(x, '\d{3}[ -]?\d{3}[ -]?\d{4}')
  then nhs_check(replace(replace(x, ' ', ''), '-', '')) else false end;
create or replace temp macro client_ok(x) as id_ok(x) and not is_nhs(x);
-- ISO date YYYY-MM-DD that exists (2023-02-30 does not), 1900-01-01 to 2199-12-31.
create or replace temp macro pdate(x) as case
  when length(x) = 10 and x between '1900-01-01' and '2199-12-31' and regexp_full_match(x, '\d{4}-\d{2}-\d{2}')
  then try_cast(x as date) end;
create or replace temp macro pbool(x) as case lower(x) when 'true' then true when 'false' then false end;
-- Whole number written as digits (optionally signed, optionally .0; spaces around allowed); the
-- range is checked with num_ok. Fast path: one or two characters without a '.', which DuckDB's
-- cast reads exactly as the tool does ('+5', '05', ' 5'; '5.' and '.5' it would read, the tool
-- refuses); longer values are checked by pattern (DuckDB's cast alone would take '1_0', '0x1' or
-- '1e2').
create or replace temp macro num(x) as case
  when length(x) <= 2 and not contains(x, '.') then try_cast(x as utinyint)
  when regexp_full_match(x, '\s*[+-]?\d+(\.0+)?\s*') then cast(cast(trim(x) as double) as integer) end;
-- A whole-number cell is valid when blank or read and within [lo, hi].
create or replace temp macro num_ok(raw, v, lo, hi) as case when v is not null then v between lo and hi else raw is null or trim(raw) = '' end;
create or replace temp macro pnum(x, lo, hi) as case
  when regexp_full_match(x, '[+-]?(\d+\.?\d*|\.\d+)') and cast(x as double) between lo and hi then cast(x as double) end;
-- A substance code as a bit: opiates 1, crack 2, cocaine 4, amphetamines 8, cannabis 16,
-- other_drugs 32, alcohol 64.
create or replace temp macro substance_bit(s) as case s
  when 'opiates' then 1 when 'crack' then 2 when 'cocaine' then 4 when 'amphetamines' then 8
  when 'cannabis' then 16 when 'other_drugs' then 32 when 'alcohol' then 64 end;
-- A valid (not blank) cell: blank, or parsed.
create or replace temp macro blank_or(raw, parsed) as raw is null or parsed is not null;

-- ---------------------------------------------------------------------------------------------
-- episodes (R-VAL-2): required fields, dates, codes, discharge before start, exit reason required
-- when discharged (and only then), unknown exit codes; then duplicate episode_ids.
-- ---------------------------------------------------------------------------------------------
create or replace temp table episodes_typed as
with raw as (
  select cell(episode_id) as episode_id, cell(client_id) as client_id, cell(provider_id) as provider_id,
    cell(area_code) as area_code, cell(substances) as substances_raw, cell(start_date) as start_raw,
    cell(discharge_date) as discharge_raw, cell(exit_reason) as exit_raw, cell(tariff_band) as tariff_band,
    cell(substitute_medication_at_exit) as sub_raw, age_at_start as age_raw, cell(injecting_at_start) as inj_raw
  from read_csv('{{dir}}/episodes.csv', header = true, all_varchar = true)
),
parsed as (
  select *,
    list_filter(list_transform(string_split(substances_raw, ';'), s -> lower(trim(s))), s -> s <> '') as parts,
    pdate(start_raw) as start_date, pdate(discharge_raw) as discharge_date, lower(exit_raw) as exit_reason,
    pbool(sub_raw) as sub_at_exit, num(age_raw) as age_at_start, pbool(inj_raw) as injecting_at_start
  from raw
)
select episode_id, client_id, provider_id, area_code,
  list_sum(list_distinct(list_transform(parts, s -> substance_bit(s)))) as subs,
  start_date, discharge_date, exit_reason, tariff_band, sub_at_exit, age_at_start, injecting_at_start,
  coalesce(
    episode_id is not null and id_ok(episode_id)
    and client_id is not null and client_ok(client_id)
    and provider_id is not null and id_ok(provider_id)
    and area_code is not null and id_ok(area_code)
    and len(parts) > 0 and list_bool_and(list_transform(parts, s -> substance_bit(s) is not null))
    and start_date is not null
    and blank_or(discharge_raw, discharge_date)
    and (exit_raw is null or id_ok(exit_raw))
    and (tariff_band is null or id_ok(tariff_band))
    and blank_or(sub_raw, sub_at_exit) and num_ok(age_raw, age_at_start, 10, 120) and blank_or(inj_raw, injecting_at_start)
    and coalesce(discharge_date >= start_date, true)
    and (discharge_date is null) = (exit_reason is null)
    and (exit_reason is null or exit_reason in ('completed_drug_free', 'completed_alcohol_free', 'completed_occasional_user',
      'transferred_not_in_custody', 'transferred_in_custody', 'dropped_out', 'declined', 'withdrawn_by_provider',
      'retained_in_custody', 'moved_away', 'no_appropriate_treatment', 'other', 'not_known', 'died')),
    false) as ok
from parsed;

-- Duplicate episode_ids: identical copies (same parsed values) keep one; rows that differ are all
-- rejected (R-VAL-2 v3).
create or replace temp table episodes_valid as
with copies as (
  select episode_id, client_id, provider_id, area_code, subs, start_date, discharge_date, exit_reason, tariff_band,
    sub_at_exit, age_at_start, injecting_at_start, count(*) as n
  from episodes_typed where ok group by all
)
select * exclude (n) from copies
qualify count(*) over (partition by episode_id) = 1;

-- ---------------------------------------------------------------------------------------------
-- reviews: fields, then the episode must exist (after the checks above), belong to the same client,
-- and the review be dated from its start to discharge + reviewToleranceDays (28).
-- ---------------------------------------------------------------------------------------------
create or replace temp table reviews_typed as
with parsed as (
  select *, cell(client_id) as cid, cell(episode_id) as epid, pdate(cell(date)) as d, lower(cell(stage)) as st,
    num(days_opiates) as n_days_opiates,
    num(days_crack) as n_days_crack,
    num(days_cocaine) as n_days_cocaine,
    num(days_amphetamines) as n_days_amphetamines,
    num(days_cannabis) as n_days_cannabis,
    num(days_other_drugs) as n_days_other_drugs,
    num(days_alcohol) as n_days_alcohol,
    num(days_injected) as n_days_injected,
    num(days_paid_work) as n_days_paid_work,
    num(days_acquisitive_crime) as n_days_acquisitive_crime,
    num(quality_of_life) as n_quality_of_life,
    num(psychological_health) as n_psychological_health,
    num(physical_health) as n_physical_health,
    pbool(cell(housing_problem)) as hp
  from read_csv('{{dir}}/reviews.csv', header = true, all_varchar = true)
),
checked as (
  select cid, epid, d, st, n_days_opiates, n_days_crack, n_days_cocaine, n_days_amphetamines, n_days_cannabis, n_days_other_drugs, n_days_alcohol, n_days_injected, n_quality_of_life,
    coalesce(cid is not null and client_ok(cid) and epid is not null and id_ok(epid) and d is not null
      and st in ('start', 'review', 'exit', 'post_exit')
      and num_ok(days_opiates, n_days_opiates, 0, 28)
      and num_ok(days_crack, n_days_crack, 0, 28)
      and num_ok(days_cocaine, n_days_cocaine, 0, 28)
      and num_ok(days_amphetamines, n_days_amphetamines, 0, 28)
      and num_ok(days_cannabis, n_days_cannabis, 0, 28)
      and num_ok(days_other_drugs, n_days_other_drugs, 0, 28)
      and num_ok(days_alcohol, n_days_alcohol, 0, 28)
      and num_ok(days_injected, n_days_injected, 0, 28)
      and num_ok(days_paid_work, n_days_paid_work, 0, 28)
      and num_ok(days_acquisitive_crime, n_days_acquisitive_crime, 0, 28)
      and num_ok(quality_of_life, n_quality_of_life, 0, 20)
      and num_ok(psychological_health, n_psychological_health, 0, 20)
      and num_ok(physical_health, n_physical_health, 0, 20)
      and (housing_problem is null or hp is not null or trim(housing_problem) = ''), false) as ok
  from parsed
)
select e.rowid as eid, p.d as date, p.st as stage, p.n_days_opiates as days_opiates, p.n_days_crack as days_crack, p.n_days_cocaine as days_cocaine, p.n_days_amphetamines as days_amphetamines, p.n_days_cannabis as days_cannabis, p.n_days_other_drugs as days_other_drugs, p.n_days_alcohol as days_alcohol, p.n_days_injected as days_injected, p.n_quality_of_life as quality_of_life,
  p.ok and e.episode_id is not null and e.client_id = p.cid and p.d >= e.start_date
    and (e.discharge_date is null or p.d <= e.discharge_date + 28) as ok
from checked p left join episodes_valid e on e.episode_id = p.epid;

-- ---------------------------------------------------------------------------------------------
-- drug_tests, offences, employment (read and validated only: the national model has no
-- employment outcome), clients (duplicates as for episodes).
-- ---------------------------------------------------------------------------------------------
create or replace temp table tests_typed as
select client_id, pdate(date_raw) as date, lower(substance_raw) as substance, lower(result_raw) as result,
  coalesce(client_id is not null and client_ok(client_id) and pdate(date_raw) is not null
    and substance_bit(lower(substance_raw)) is not null and lower(result_raw) in ('negative', 'positive', 'invalid', 'refused'), false) as ok
from (select cell(client_id) as client_id, cell(date) as date_raw, cell(substance) as substance_raw, cell(result) as result_raw
      from read_csv('{{dir}}/drug_tests.csv', header = true, all_varchar = true));

create or replace temp table offences_typed as
select client_id, pdate(date_raw) as offence_date,
  coalesce(client_id is not null and client_ok(client_id) and pdate(date_raw) is not null
    and (category_raw is null or lower(category_raw) in ('acquisitive', 'violent', 'drugs', 'other')), false) as ok
from (select cell(client_id) as client_id, cell(offence_date) as date_raw, cell(category) as category_raw
      from read_csv('{{dir}}/offences.csv', header = true, all_varchar = true));

create or replace temp table employment_typed as
select coalesce(client_id is not null and client_ok(client_id) and pdate(start_raw) is not null
    and blank_or(end_raw, pdate(end_raw)) and blank_or(hours_raw, pnum(hours_raw, 0, 168))
    and coalesce(pdate(end_raw) >= pdate(start_raw), true), false) as ok
from (select cell(client_id) as client_id, cell(start_date) as start_raw, cell(end_date) as end_raw, cell(hours_per_week) as hours_raw
      from read_csv('{{dir}}/employment.csv', header = true, all_varchar = true));

create or replace temp table clients_typed as
select client_id, pdate(death_raw) as date_of_death,
  coalesce(client_id is not null and client_ok(client_id) and blank_or(death_raw, pdate(death_raw)), false) as ok
from (select cell(client_id) as client_id, cell(date_of_death) as death_raw
      from read_csv('{{dir}}/clients.csv', header = true, all_varchar = true));

create or replace temp table clients_valid as
with copies as (select client_id, date_of_death, count(*) as n from clients_typed where ok group by all)
select client_id, date_of_death from copies qualify count(*) over (partition by client_id) = 1;

create or replace temp table file_counts as
select 'episodes' as file, (select count(*) from episodes_typed) as read, (select count(*) from episodes_valid) as used
union all select 'reviews', count(*), count(*) filter (where ok) from reviews_typed
union all select 'drug_tests', count(*), count(*) filter (where ok) from tests_typed
union all select 'offences', count(*), count(*) filter (where ok) from offences_typed
union all select 'employment', count(*), count(*) filter (where ok) from employment_typed
union all select 'clients', (select count(*) from clients_typed), (select count(*) from clients_valid);

-- ---------------------------------------------------------------------------------------------
-- The world as known at asOf (R-CAL-2): episodes starting later do not exist; a discharge after
-- asOf is unseen (the episode is open, its exit reason and substitution flag unknown); later
-- reviews, tests, offences and deaths are dropped. Episodes are keyed by an integer (eid, their
-- row in episodes_valid), journeys by the eid of their first episode (jid).
-- ---------------------------------------------------------------------------------------------
create or replace temp view rv as
select eid, date, stage, days_opiates, days_crack, days_cocaine, days_amphetamines, days_cannabis,
  days_other_drugs, days_alcohol, days_injected, quality_of_life
from reviews_typed where ok and date <= date '{{as_of}}';
create or replace temp view tst as
select client_id, date, substance, result from tests_typed
where ok and date <= date '{{as_of}}' and substance in ('opiates', 'crack') and result in ('negative', 'positive');
create or replace temp view off as
select client_id, offence_date from offences_typed where ok and offence_date <= date '{{as_of}}';

-- ---------------------------------------------------------------------------------------------
-- Journeys (R-JNY-1, R-JNY-2): a client's episodes by start date then episode_id; an episode
-- starting more than 21 days after the latest discharge so far (an open episode: never) starts a
-- new journey, whose id is its first episode's.
-- ---------------------------------------------------------------------------------------------
create or replace temp table ep_j as
with e as (
  select rowid as eid, episode_id, client_id, provider_id, subs, start_date, tariff_band, injecting_at_start,
    case when discharge_date <= date '{{as_of}}' then discharge_date end as dis,
    case when discharge_date <= date '{{as_of}}' then exit_reason end as exit_reason,
    case when discharge_date <= date '{{as_of}}' then sub_at_exit end as sub_at_exit
  from episodes_valid where start_date <= date '{{as_of}}'
),
o as (
  select *, row_number() over w as seq,
    max(coalesce(dis, date '9999-12-31')) over (w rows between unbounded preceding and 1 preceding) as prev_max
  from e window w as (partition by client_id order by start_date, episode_id)
)
select * exclude (prev_max),
  last_value(case when prev_max is null or start_date > prev_max + 21 then eid end ignore nulls)
    over (partition by client_id order by seq rows between unbounded preceding and current row) as jid
from o;

create or replace temp table journeys as
with j as (
  select jid, any_value(client_id) as client_id, arg_min(episode_id, seq) as journey_id, min(start_date) as jstart,
    case when count(dis) = count(*) then max(dis) end as jend,
    -- exit episode: the latest discharge, ties the largest episode_id (R-JNY-2)
    arg_max({'exit_reason': exit_reason, 'sub_at_exit': sub_at_exit, 'provider_id': provider_id},
            {'dis': dis, 'episode_id': episode_id}) filter (where dis is not null) as exit_ep,
    arg_min(tariff_band, seq) filter (where tariff_band is not null) as band,
    arg_min({'provider_id': provider_id, 'injecting': injecting_at_start}, seq) as first_ep,
    bit_or(subs) as subs
  from ep_j group by jid
)
select jid, journey_id, j.client_id, jstart, jend, subs, band,
  case when jend is not null then exit_ep.exit_reason end as exit_reason,
  case when jend is not null then exit_ep.sub_at_exit end as sub_at_exit,
  case when jend is not null then exit_ep.provider_id end as exit_provider,
  first_ep.provider_id as first_provider, coalesce(first_ep.injecting, false) as injecting_flag,
  (subs & 3) <> 0 as opiate,                                    -- R-JNY-3: opiates or crack cited
  lead(jstart) over (partition by j.client_id order by jstart) as next_start,
  c.date_of_death as died_on,
  -- R-CAL-4: an ended journey is settled 21 days after its end, or on the client's death if earlier
  -- (never before its end, should the data date a death before a discharge)
  least(jend + 21, greatest(jend, coalesce(c.date_of_death, jend + 21))) as settle_on
from j left join clients_valid c on c.client_id = j.client_id and c.date_of_death <= date '{{as_of}}';

-- Per journey and start date: the substances cited by the episodes started by then (R-OUT-3 v3)
-- and the provider of the latest episode started by then (R-JNY-4), for as-of joins.
create or replace temp table jday as
select jid, start_date,
  bit_or(bit_or(subs)) over (partition by jid order by start_date rows between unbounded preceding and current row) as cited,
  arg_max(provider_id, episode_id) as provider_id
from ep_j group by jid, start_date;

-- Reviews of each journey (by their episode), dated within it: start to end (to asOf when open).
create or replace temp table jrv as
select e.jid, r.* exclude (eid)
from rv r join ep_j e using (eid) join journeys j using (jid)
where r.date between j.jstart and coalesce(j.jend, date '{{as_of}}');

-- ---------------------------------------------------------------------------------------------
-- Evidence per journey, then the five decisions side by side (one row per journey).
-- ---------------------------------------------------------------------------------------------

-- abstinent-confirmed (R-OUT-3): reviews on or after start + 6 months with 0 days of each substance
-- cited as at their date; for the opiates / crack cited, at least one negative and no positive
-- test within 7 days either side. Per journey: the earliest date such a review is confirmed
-- (achieved_on: review + 7 days, or the review date when nothing needs a test), and whether an
-- abstinent review still waits for its tests (window open at asOf, no positive yet).
create or replace temp table ev_ac as
with r as (
  select r.jid, j.client_id, r.date, c.cited & 3 as need
  from jrv r join journeys j using (jid)
  asof join jday c on c.jid = r.jid and r.date >= c.start_date
  where r.date >= cast(j.jstart + interval 6 month as date)
    and coalesce((c.cited & 1 = 0 or r.days_opiates = 0) and (c.cited & 2 = 0 or r.days_crack = 0)
      and (c.cited & 4 = 0 or r.days_cocaine = 0) and (c.cited & 8 = 0 or r.days_amphetamines = 0)
      and (c.cited & 16 = 0 or r.days_cannabis = 0) and (c.cited & 32 = 0 or r.days_other_drugs = 0)
      and (c.cited & 64 = 0 or r.days_alcohol = 0), false)
),
t as (
  select r.jid, r.date,
    bool_or(t.substance = 'opiates' and t.result = 'negative') as neg_op, bool_or(t.substance = 'opiates' and t.result = 'positive') as pos_op,
    bool_or(t.substance = 'crack' and t.result = 'negative') as neg_cr, bool_or(t.substance = 'crack' and t.result = 'positive') as pos_cr
  from r join tst t on t.client_id = r.client_id and t.date between r.date - 7 and r.date + 7
  where r.need <> 0
  group by r.jid, r.date
),
c as (
  select r.jid, case when r.need = 0 then r.date else r.date + 7 end as achieved_on,
    (r.need & 1 = 0 or (coalesce(t.neg_op, false) and not coalesce(t.pos_op, false)))
      and (r.need & 2 = 0 or (coalesce(t.neg_cr, false) and not coalesce(t.pos_cr, false))) as confirmed,
    (r.need & 1 <> 0 and coalesce(t.pos_op, false)) or (r.need & 2 <> 0 and coalesce(t.pos_cr, false)) as refuted
  from r left join t on t.jid = r.jid and t.date = r.date
)
select jid, min(achieved_on) filter (where confirmed and achieved_on <= date '{{as_of}}') as met_on,
  bool_or(not refuted and achieved_on > date '{{as_of}}') as waiting
from c group by jid;

-- reduced-offending (R-OUT-4): offences of the client, whatever journey they fall in, in
-- [start - 12 months, start] (before) and (start, start + 6 months] (after).
create or replace temp table ev_ro as
select j.jid,
  count(*) filter (where o.offence_date <= j.jstart) as before,
  count(*) filter (where o.offence_date > j.jstart) as after
from journeys j join off o on o.client_id = j.client_id
  and o.offence_date between cast(j.jstart - interval 12 month as date) and cast(j.jstart + interval 6 month as date)
group by j.jid;

-- quality-of-life (R-OUT-6) and stopped-injecting (R-OUT-7): baseline = the earliest start-stage
-- review of the journey with the measure recorded (same day: the highest value); then the earliest
-- later review with quality of life >= baseline + 4, and the earliest review after the journey
-- start (first episode injecting) or after a baseline showing injecting with 0 days injected.
create or replace temp table ev_base as
select jid,
  arg_min({'on': date, 'score': quality_of_life}, {'date': date, 'neg': -quality_of_life})
    filter (where stage = 'start' and quality_of_life is not null) as qol,
  arg_min({'on': date, 'days': days_injected}, {'date': date, 'neg': -days_injected})
    filter (where stage = 'start' and days_injected is not null) as inj
from jrv group by jid;

create or replace temp table ev_later as
with b as (
  select j.jid, b.qol.on as qol_on, b.qol.score as qol_base,
    case when j.injecting_flag then j.jstart when b.inj.days > 0 then b.inj.on end as inj_from
  from journeys j join ev_base b using (jid)
)
select r.jid,
  min(r.date) filter (where r.date > b.qol_on and r.quality_of_life >= b.qol_base + 4) as qol_met_on,
  min(r.date) filter (where r.date > b.inj_from and r.days_injected = 0) as si_met_on
from jrv r join b using (jid)
group by r.jid;

-- The decisions. Own status first; then the gateway anyOf [free-from-dependence,
-- abstinent-confirmed] of the three other outcomes (R-OUT-8); then death (R-OUT-9): died strictly
-- before achieved_on, or still pending with the death known at asOf → not_met.
create or replace temp table decided as
with own as (
  select j.*,
    -- free-from-dependence: R-OUT-1 (successful exit; opiate journeys: not occasional user, off
    -- substitution; decided once the journey is settled) and R-OUT-2 (no later journey starting
    -- within 6 months of the end).
    cast(j.jend + interval 6 month as date) as ffd_on,
    case
      when j.jend is null or j.settle_on > date '{{as_of}}' then 'pending'
      when not (j.exit_reason in ('completed_drug_free', 'completed_alcohol_free', 'completed_occasional_user')
                and (not j.opiate or (j.exit_reason <> 'completed_occasional_user' and j.sub_at_exit is not distinct from false)))
        then 'not_met'
      when j.next_start <= cast(j.jend + interval 6 month as date) then 'not_met'
      when cast(j.jend + interval 6 month as date) <= date '{{as_of}}' then 'met'
      else 'pending' end as ffd,
    a.met_on as ac_on,
    case
      when a.met_on is not null then 'met'
      when coalesce(a.waiting, false) then 'pending'
      when j.jend is null or j.settle_on > date '{{as_of}}' then 'pending'
      else 'not_met' end as ac,
    cast(j.jstart + interval 6 month as date) as ro_on,
    case
      when coalesce(o.before, 0) = 0 then 'not_eligible'
      when o.after > 0 then 'not_met'
      when cast(j.jstart + interval 6 month as date) <= date '{{as_of}}' then 'met'
      else 'pending' end as ro_own,
    l.qol_met_on as qol_on,
    case
      when l.qol_met_on is not null then 'met'
      -- scores run 0-20: from a baseline above 16 no review can gain 4 points, a failure certain at
      -- once (R-CAL-3), even on an open journey
      when b.qol.score + 4 > 20 then 'not_met'
      when j.jend is null or j.settle_on > date '{{as_of}}' then 'pending'
      when b.qol is null then 'not_eligible'
      else 'not_met' end as qol_own,
    l.si_met_on as si_on,
    case
      -- not injecting at start: no flag on the first episode and a baseline showing 0 days
      when not j.injecting_flag and b.inj.days = 0 then 'not_eligible'
      when l.si_met_on is not null then 'met'
      when j.jend is null or j.settle_on > date '{{as_of}}' then 'pending'
      when not j.injecting_flag and b.inj is null then 'not_eligible'   -- no baseline, settled
      else 'not_met' end as si_own,
    -- the day a not_eligible became certain (R-CAL-5): reduced-offending on the journey start (its
    -- before window is closed), stopped-injecting on a baseline showing 0 days, else on settling
    case when not j.injecting_flag and b.inj.days = 0 then b.inj.on else j.settle_on end as si_ne_on
  from journeys j
  left join ev_ac a using (jid) left join ev_ro o using (jid) left join ev_base b using (jid) left join ev_later l using (jid)
),
gated as (
  select *,
    case when ffd = 'met' or ac = 'met' then 'met' when ffd = 'not_met' and ac = 'not_met' then 'not_met' else 'pending' end as gw,
    least(case when ffd = 'met' then ffd_on end, case when ac = 'met' then ac_on end) as gw_on
  from own
)
select jid, journey_id, client_id, band, jend, exit_provider, first_provider, jstart, died_on,
  -- R-OUT-9 on each outcome; gateways (R-OUT-8) on the last three: own failure stands, a failed
  -- gateway fails the outcome, met needs the gateway met (achieved on the later date). A death
  -- before the day a not_eligible became certain makes it not_met too (R-OUT-9 v3).
  case when ffd = 'pending' and died_on is not null then 'not_met'
       when ffd = 'met' and died_on < ffd_on then 'not_met' else ffd end as ffd,
  ffd_on,
  case when ac = 'pending' and died_on is not null then 'not_met'
       when ac = 'met' and died_on < ac_on then 'not_met' else ac end as ac,
  ac_on,
  case when ro_own = 'not_eligible' then case when died_on < jstart then 'not_met' else 'not_eligible' end
       when ro_own = 'not_met' or gw = 'not_met' then 'not_met'
       when died_on is not null and (ro_own = 'pending' or gw = 'pending' or died_on < greatest(ro_on, gw_on)) then 'not_met'
       when ro_own = 'met' and gw = 'met' then 'met' else 'pending' end as ro,
  greatest(ro_on, gw_on) as ro_on,
  case when qol_own = 'not_eligible' then case when died_on < settle_on then 'not_met' else 'not_eligible' end
       when qol_own = 'not_met' or gw = 'not_met' then 'not_met'
       when died_on is not null and (qol_own = 'pending' or gw = 'pending' or died_on < greatest(qol_on, gw_on)) then 'not_met'
       when qol_own = 'met' and gw = 'met' then 'met' else 'pending' end as qol,
  greatest(qol_on, gw_on) as qol_on,
  case when si_own = 'not_eligible' then case when died_on < si_ne_on then 'not_met' else 'not_eligible' end
       when si_own = 'not_met' or gw = 'not_met' then 'not_met'
       when died_on is not null and (si_own = 'pending' or gw = 'pending' or died_on < greatest(si_on, gw_on)) then 'not_met'
       when si_own = 'met' and gw = 'met' then 'met' else 'pending' end as si,
  greatest(si_on, gw_on) as si_on
from gated;

-- One row per journey and outcome (status; achieved_on when met), as outcomes.csv has them.
create or replace temp view decisions as
select client_id, journey_id, 'free-from-dependence' as outcome_id, ffd as status, case when ffd = 'met' then ffd_on end as achieved_on, jid, band, jend, exit_provider from decided
union all select client_id, journey_id, 'abstinent-confirmed', ac, case when ac = 'met' then ac_on end, jid, band, jend, exit_provider from decided
union all select client_id, journey_id, 'reduced-offending', ro, case when ro = 'met' then ro_on end, jid, band, jend, exit_provider from decided
union all select client_id, journey_id, 'quality-of-life', qol, case when qol = 'met' then qol_on end, jid, band, jend, exit_provider from decided
union all select client_id, journey_id, 'stopped-injecting', si, case when si = 'met' then si_on end, jid, band, jend, exit_provider from decided;

-- ---------------------------------------------------------------------------------------------
-- Payments (R-PAY-1/2/5/8): attachment[band] on journey start, to the first episode's provider;
-- outcome[id][band] on achieved_on, to the provider in charge that day (R-JNY-4: the exit
-- episode's when the journey had ended by then, else the latest episode started by then). No band:
-- unbanded, not paid; a band with no price: not paid. Payable date before the contract start
-- (2012-04-01): not paid. Quarterly periods from the contract start.
-- ---------------------------------------------------------------------------------------------
create or replace temp table prices as
select * from (values
  ('attachment', '1', 150.00), ('attachment', '2', 225.00), ('attachment', '3', 300.00),
  ('free-from-dependence', '1', 1200.00), ('free-from-dependence', '2', 1800.00), ('free-from-dependence', '3', 2400.00),
  ('abstinent-confirmed', '1', 600.00), ('abstinent-confirmed', '2', 900.00), ('abstinent-confirmed', '3', 1200.00),
  ('reduced-offending', '1', 400.00), ('reduced-offending', '2', 600.00), ('reduced-offending', '3', 800.00),
  ('quality-of-life', '1', 200.00), ('quality-of-life', '2', 300.00), ('quality-of-life', '3', 400.00),
  ('stopped-injecting', '1', 200.00), ('stopped-injecting', '2', 300.00), ('stopped-injecting', '3', 400.00)
) p(item, band, price);

create or replace temp table items as
with met as (select * from decisions where status = 'met')
select 'attachment' as item, 'attachment' as payment_type, null::varchar as outcome_id, band, jstart as payable_on,
  first_provider as provider_id
from decided
union all
select m.outcome_id, 'outcome', m.outcome_id, m.band, m.achieved_on,
  case when m.jend <= m.achieved_on then m.exit_provider else c.provider_id end
from met m asof join jday c on c.jid = m.jid and m.achieved_on >= c.start_date;

create or replace temp table payments as
select i.provider_id,
  cast(date '2012-04-01' + to_months(3 * (datediff('month', date '2012-04-01', i.payable_on) // 3)) as date) as period_start,
  i.payment_type, i.outcome_id, i.band as tariff_band, count(*) as count, sum(p.price)::decimal(18, 2) as amount
from items i join prices p on p.item = i.item and p.band = i.band
where i.payable_on >= date '2012-04-01'
group by all;

create or replace temp table payment_checks as
select
  (select count(*) from decided where band is null) as unbanded_journeys,
  count(*) filter (where i.band is null) as unbanded_items,
  count(*) filter (where i.band is not null and p.price is null) as unknown_band_items,
  count(*) filter (where p.price is not null and i.payable_on < date '2012-04-01') as outside_contract_items,
  coalesce(sum(p.price) filter (where i.payable_on < date '2012-04-01'), 0)::decimal(18, 2) as outside_contract_amount
from items i left join prices p on p.item = i.item and p.band = i.band;

create or replace temp table outcome_counts as
with c as (
  select outcome_id, count(*) filter (where status = 'met') as met, count(*) filter (where status = 'not_met') as not_met,
    count(*) filter (where status = 'not_eligible') as not_eligible, count(*) filter (where status = 'pending') as pending
  from decisions group by outcome_id
),
p as (select outcome_id, sum(count) as paid_items, sum(amount) as paid from payments where outcome_id is not null group by outcome_id)
select c.*, coalesce(p.paid_items, 0) as paid_items, coalesce(p.paid, 0)::decimal(18, 2) as paid
from c left join p using (outcome_id);
