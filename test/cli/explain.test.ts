/**
 * `recovery-pbr explain` (issue #12): was this client paid, and why (not)? On the demo data: the
 * amounts are those `payments.csv` holds for the client; a client paid nothing says why; a client
 * with a rejected episode or review names the row and the rule it would have fed; windows are
 * written earliest first and every review a rule checked is listed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../io/helpers.js';
import { runCli as cli } from '../support/cli.js';

const demo = 'examples/demo';
const asOf = '2015-03-31';
const base = ['--scheme', 'national-model-2012', '--data', demo, '--as-of', asOf];

/** A data folder with only the given clients' rows of the demo (every file, same columns). */
function demoSubset(clients: readonly string[]): string {
  const dir = tempDir('rpbr-explain-');
  const keep = new Set(clients);
  for (const f of ['episodes', 'reviews', 'drug_tests', 'offences', 'employment', 'clients']) {
    const [header, ...rows] = readFileSync(join(demo, `${f}.csv`), 'utf8').trimEnd().split('\n');
    const at = header!.split(',').indexOf('client_id');
    writeFileSync(join(dir, `${f}.csv`), [header, ...rows.filter((r) => keep.has(r.split(',')[at]!))].join('\n') + '\n');
  }
  return dir;
}

/** `payments.csv` rows as objects. */
function paymentsOf(dir: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(join(dir, 'payments.csv'), 'utf8').trimEnd().split('\n');
  const cols = header!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i]!, v])));
}

interface JsonLine {
  payment_type: string;
  outcome_id: string;
  provider_id: string;
  tariff_band: string;
  period_start: string;
  paid: string;
  capped: string;
  status: string;
}

/** Every payment line of an explanation (--json). */
function jsonLines(x: { journeys: { attachment: { lines: JsonLine[] }; outcomes: { payment: { lines: JsonLine[] } }[] }[] }): JsonLine[] {
  return x.journeys.flatMap((j) => [...j.attachment.lines, ...j.outcomes.flatMap((o) => o.payment.lines)]);
}

describe('recovery-pbr explain: the money', () => {
  it('a paid client: the amounts are those payments.csv holds for it (provider, period, type, outcome, band)', async () => {
    // C0000004 alone: payments.csv then holds exactly this client's payments.
    const data = demoSubset(['C0000004']);
    const out = tempDir('rpbr-explain-out-');
    expect((await cli(['run', '--scheme', 'national-model-2012', '--data', data, '--as-of', asOf, '--out', out])).code).toBe(0);
    const csv = paymentsOf(out);
    expect(csv.length).toBeGreaterThan(1);
    const r = await cli(['explain', '--scheme', 'national-model-2012', '--data', data, '--as-of', asOf, '--client', 'C0000004', '--json']);
    expect(r.code).toBe(0);
    const x = JSON.parse(r.stdout);
    const paid = jsonLines(x).filter((l) => l.status === 'paid' || l.status === 'part_capped');
    const key = (l: { provider_id: string; period_start: string; payment_type: string; outcome_id: string; tariff_band: string }) =>
      [l.provider_id, l.period_start, l.payment_type, l.outcome_id, l.tariff_band].join('|');
    expect(paid.map((l) => [key(l), l.paid]).sort()).toEqual(csv.map((row) => [key(row as never), row['amount']]).sort());
    expect(x.payments.paid).toBe(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).payments.total);
    // The text leads with the answer and shows the same amounts as £.
    const text = await cli(['explain', '--scheme', 'national-model-2012', '--data', data, '--as-of', asOf, '--client', 'C0000004']);
    expect(text.stdout.split('\n')[1]).toBe('Paid: £2,025.00 to P906D (attachment £225.00, outcomes £1,800.00).');
    expect(text.stdout).toContain('outcome payment £1,800.00 to P906D, payable 2013-08-23 in the period from 2013-07-01, band 2');
  }, 60_000);

  it('under a provider cap: the whole data is run, and the cut shown is the one in payments.csv (R-PAY-4)', async () => {
    // Eight clients of one provider; a cap of £1,000 a contract year cuts the later items.
    const clients = [
      ...new Set(
        readFileSync(join(demo, 'episodes.csv'), 'utf8')
          .split('\n')
          .filter((l) => l.split(',')[2] === 'P906A')
          .map((l) => l.split(',')[1]!),
      ),
    ].slice(0, 8);
    const data = demoSubset(clients);
    const dir = tempDir('rpbr-explain-cap-');
    const scheme = join(dir, 'capped.json');
    writeFileSync(scheme, JSON.stringify({ extends: 'national-model-2012', id: 'capped', contract: { defaultTerms: { annualValue: '1000.00', pbrShare: '1', cap: '1000.00' } } }));
    const out = join(dir, 'out');
    expect((await cli(['run', '--scheme', scheme, '--data', data, '--as-of', asOf, '--out', out])).code).toBe(0);
    const csv = paymentsOf(out).filter((row) => row['payment_type'] !== 'fixed');
    const cut = csv.filter((row) => row['capped_amount'] !== '0.00');
    expect(cut.length).toBeGreaterThan(0);
    // Sum every client's explained lines per payments.csv row: the same paid and capped amounts.
    const sums = new Map<string, { paid: number; capped: number }>();
    let sawCut = false;
    for (const c of clients) {
      const r = await cli(['explain', '--scheme', scheme, '--data', data, '--as-of', asOf, '--client', c, '--json']);
      expect(r.code, r.stderr).toBe(0);
      for (const l of jsonLines(JSON.parse(r.stdout))) {
        if (l.status === 'outside_contract' || l.status === 'over_client_limit') continue;
        const k = [l.provider_id, l.period_start, l.payment_type, l.outcome_id, l.tariff_band].join('|');
        const s = sums.get(k) ?? { paid: 0, capped: 0 };
        // Whole pounds and pence: cents as integers keep the sum exact.
        s.paid += Math.round(Number(l.paid) * 100);
        s.capped += Math.round(Number(l.capped) * 100);
        sums.set(k, s);
        if (l.status === 'capped' || l.status === 'part_capped') {
          sawCut = true;
          expect(r.stderr).toContain('fall under a provider cap (R-PAY-4); running the whole data');
        }
      }
    }
    expect(sawCut).toBe(true);
    for (const row of csv) {
      const k = [row['provider_id'], row['period_start'], row['payment_type'], row['outcome_id'], row['tariff_band']].join('|');
      expect(sums.get(k), k).toEqual({ paid: Math.round(Number(row['amount']) * 100), capped: Math.round(Number(row['capped_amount']) * 100) });
    }
  }, 120_000);

  it('a client paid nothing says why: met before the contract start (R-PAY-8), with the prices', async () => {
    const r = await cli(['explain', ...base, '--client', 'C0000001']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe('Paid: nothing.');
    expect(lines[2]).toBe('Not paid: 4 items payable before the contract started (R-PAY-8), £2,300.00.');
    expect(r.stdout).toContain('Attachment: nothing paid — the attachment (£300.00) was payable on 2011-04-17, before the contract started on 2012-04-01 (R-PAY-8).');
    expect(r.stdout.match(/MET on 2011-10-24\n    Payment: nothing paid — the outcome payment \(£[\d,.]+\) was payable on 2011-10-24, before the contract started on 2012-04-01 \(R-PAY-8\)\./g)).toHaveLength(3);
    const json = JSON.parse((await cli(['explain', ...base, '--client', 'C0000001', '--json'])).stdout);
    expect(json.payments).toMatchObject({ priced: true, paid: '0.00', not_paid: [{ reason: 'before_contract', rule: 'R-PAY-8', items: 4, amount: '2300.00' }] });
  });
});

describe('recovery-pbr explain: rejected rows', () => {
  it('a client whose episode was rejected: no journey, and the row named with its reason and what it would have fed', async () => {
    const r = await cli(['explain', ...base, '--client', 'C0000881']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  - episodes row 1179: exit_reason (blank): is required when discharge_date is given [discharge_without_exit_reason]; it would have fed the journeys (R-JNY-1)');
    expect(r.stdout).toContain("  - reviews row 4121: episode_id 'E0000881-01': its episode was rejected (episodes row 1179); fix that row first [episode_rejected];");
    expect(r.stdout).toContain('No treatment journey: no usable episode started on or before that date; its episode row was rejected (episodes row 1179, above).');
    const json = JSON.parse((await cli(['explain', ...base, '--client', 'C0000881', '--json'])).stdout);
    expect(json.rejected[0]).toMatchObject({ file: 'episodes', row: 1179, field: 'exit_reason', value: '', code: 'discharge_without_exit_reason', feeds: { rules: ['R-JNY-1', 'R-PAY-2'] } });
    expect(json.journeys).toEqual([]);
  });

  it('a rejected start review is named where the rule missed it (quality of life: no_start_review)', async () => {
    const r = await cli(['explain', ...base, '--client', 'C0000004']);
    expect(r.stdout).toContain("  - reviews row 25: physical_health '21': is outside 0–20 points [out_of_range]; it would have fed R-OUT-3 abstinence (abstinent-confirmed), R-OUT-6 score improvement (quality-of-life)");
    const qol = r.stdout.slice(r.stdout.indexOf('  quality-of-life ('));
    expect(qol.slice(0, qol.indexOf('\n\n'))).toContain("rejected, so not looked at: reviews row 25 (physical_health '21': is outside 0–20 points)");
  });

  it('a review of the client\'s episode recorded under another client_id is the client\'s rejected row too', async () => {
    const r = await cli(['explain', ...base, '--client', 'C0000181']);
    expect(r.stdout).toContain("reviews row 821: client_id 'C0000182': episode E0000181-01 belongs to another client");
  });

  it('explains one client in plain English; --json gives the same as data, narrowed by --outcome', async () => {
    const r = await cli(['explain', ...base, '--client', 'C0000007']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Journey E0000007-01');
    expect(r.stdout).toContain('R-OUT-4 reduced offending');
    const x = JSON.parse((await cli(['explain', ...base, '--client', 'C0000007', '--outcome', 'free-from-dependence', '--json'])).stdout);
    expect(x.journeys[0].outcomes.map((o: { decision: { outcome_id: string } }) => o.decision.outcome_id)).toEqual(['free-from-dependence']);
    expect(x.journeys[0].outcomes[0].payment).toHaveProperty('paid');
  });

  it('an unknown client exits 1', async () => {
    const r = await cli(['explain', ...base, '--client', 'NOPE']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no record of client 'NOPE' in the data");
  });
});

describe('recovery-pbr explain: windows and evidence', () => {
  it('C0000030: every window is written earliest first, and the exit review the rules checked is listed', async () => {
    const r = await cli(['explain', ...base, '--client', 'C0000030']);
    for (const [, from, to] of r.stdout.matchAll(/window: [^[(]*[[(](\d{4}-\d\d-\d\d), (\d{4}-\d\d-\d\d)\]/g)) expect(from! <= to!, `${from} > ${to}`).toBe(true);
    expect(r.stdout).not.toContain('[2014-09-30, 2014-05-11]');
    const section = (id: string) => {
      const s = r.stdout.slice(r.stdout.indexOf(`  ${id} (`));
      return s.slice(0, s.indexOf('\n\n'));
    };
    expect(section('abstinent-confirmed')).toContain('but the journey ended on 2014-05-11');
    expect(section('abstinent-confirmed')).toContain('evidence: reviews row 130 (2014-05-11): exit review of episode E0000030-01: cocaine=0, alcohol=0 (before 2014-09-30: too early to qualify)');
    expect(section('quality-of-life')).toContain('evidence: reviews row 130 (2014-05-11): exit review of episode E0000030-01: quality_of_life=12');
  });

  it('--quiet hides the progress bar only: the explanation is printed', async () => {
    const r = await cli(['explain', ...base, '--client', 'C0000007', '--quiet'], { isTTY: true });
    expect(r.stderr).not.toContain('\r');
    expect(r.stdout).toContain('Journey E0000007-01');
    const loud = await cli(['explain', ...base, '--client', 'C0000007'], { isTTY: true });
    expect(loud.stderr).toContain('\r');
    expect(loud.stdout).toBe(r.stdout);
  });

  it("lists the client's rows refused as a whole (wrong number of cells) as rejections.csv does, and no note about other clients' rows (R-VAL-1)", async () => {
    const dir = tempDir('rpbr-explain-');
    for (const f of ['episodes', 'reviews', 'drug_tests', 'offences', 'employment', 'clients']) writeFileSync(join(dir, `${f}.csv`), readFileSync(join(demo, `${f}.csv`)));
    const lines = readFileSync(join(dir, 'reviews.csv'), 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('C0000004,'));
    lines[i] += ',extra';
    writeFileSync(join(dir, 'reviews.csv'), lines.join('\n'));
    const r = await cli(['explain', '--scheme', 'national-model-2012', '--data', dir, '--as-of', asOf, '--client', 'C0000004', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`reviews row ${i + 1}: has 19 cells but the header has 18 columns`);
    expect(r.stdout).not.toMatch(/\( \(blank\)/);
    // C0000001 has no offence: explain must not say the whole offences file has no rows.
    const other = await cli(['explain', '--scheme', 'national-model-2012', '--data', dir, '--as-of', asOf, '--client', 'C0000001', '--quiet']);
    expect(other.stderr + other.stdout).not.toMatch(/has no rows/);
  });
});
