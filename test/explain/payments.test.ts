/**
 * explain's payments (issue #12): per client, the lines a run pays, and why not. The laws: the
 * explained lines of every client, summed, are `payments.csv` (R-PAY-1, R-PAY-5: same groups,
 * counts, paid and capped amounts), with caps (R-PAY-4) and per-client limits (R-OUT-10) taken as
 * the run takes them; what explain says was not paid adds up to `summary.json`'s counts (R-PAY-2,
 * R-PAY-8). Worked cases for each cause.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateDataset, type ClientResult } from '../../src/engine/index.js';
import { dependsOnCaps, explainClient, explainPayments, formatExplanation, type ExplainedLine } from '../../src/explain/index.js';
import { readDataset } from '../../src/io/dataset.js';
import { decimal, formatMoney, formatPounds, ZERO, type Decimal } from '../../src/money/amount.js';
import { paymentsCsv, type PaymentResult } from '../../src/payments/index.js';
import { presetScheme, resolveExtends } from '../../src/presets/index.js';
import { runScheme } from '../../src/run/index.js';
import { loadScheme, type Scheme } from '../../src/schema/scheme/index.js';
import { dataset, died, episode, offence, opiateEpisode, review, schemeOf } from '../support/builders.js';

const demo = 'examples/demo';
const asOf = '2015-03-31';

/** A preset with changes (objects merged by key). */
function variant(over: Record<string, unknown>): Scheme {
  return loadScheme(resolveExtends({ extends: 'national-model-2012', ...over }), 'test variant');
}

/** The run of the demo in memory: every client's result and the run's payments. */
async function demoRun(scheme: Scheme): Promise<{ clients: ClientResult[]; payments: PaymentResult }> {
  const read = await readDataset(demo, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
  const run = runScheme(read, scheme, { asOf });
  return { clients: run.clients, payments: run.payments! };
}

/** `payments.csv` groups (payer default) from every client's explained lines. */
function csvOfExplained(lines: readonly ExplainedLine[]): string {
  const groups = new Map<string, { l: ExplainedLine; count: number; paid: Decimal; capped: Decimal }>();
  for (const l of lines) {
    if (l.status === 'outside_contract' || l.status === 'over_client_limit') continue;
    const k = [l.provider_id, l.period_start, l.payment_type, l.outcome_id, l.tariff_band].join('|');
    const g = groups.get(k) ?? { l, count: 0, paid: ZERO, capped: ZERO };
    g.count += 1;
    g.paid = g.paid.plus(decimal(l.paid));
    g.capped = g.capped.plus(decimal(l.capped));
    groups.set(k, g);
  }
  return paymentsCsv(
    [...groups.values()].map((g) => ({
      provider_id: g.l.provider_id,
      payer: 'default',
      period_start: g.l.period_start,
      payment_type: g.l.payment_type,
      outcome_id: g.l.outcome_id,
      tariff_band: g.l.tariff_band,
      count: g.count,
      amount: g.paid,
      capped_amount: g.capped,
    })),
  );
}

/** Every client's explained lines (outcomes and attachments), and the summaries. */
function explainAll(clients: readonly ClientResult[], scheme: Scheme, runLines?: PaymentResult['lines']) {
  const lines: ExplainedLine[] = [];
  const summaries = clients.map((c) => {
    const p = explainPayments(c, scheme, asOf, { runLines });
    for (const x of [...p.attachments.values(), ...p.outcomes.values()]) lines.push(...x.lines);
    return p.summary;
  });
  return { lines, summaries };
}

const sum = (xs: readonly (string | undefined)[]) => formatMoney(xs.reduce<Decimal>((s, x) => (x === undefined ? s : s.plus(decimal(x))), ZERO));

describe('explained payments add up to the run (national-model-2012 on the demo)', () => {
  const scheme = presetScheme('national-model-2012');
  let run: Awaited<ReturnType<typeof demoRun>>;
  let all: ReturnType<typeof explainAll>;
  beforeAll(async () => {
    run = await demoRun(scheme);
    all = explainAll(run.clients, scheme);
  }, 60_000);

  it('every client\'s lines, grouped as payments.csv groups them, are payments.csv (R-PAY-1, R-PAY-5)', () => {
    expect(csvOfExplained(all.lines)).toBe(paymentsCsv(run.payments.rows));
    expect(sum(all.summaries.map((s) => s.paid))).toBe(formatMoney(run.payments.totals.total));
  });

  it('what was not paid adds up to summary.json: before the contract (R-PAY-8), unbanded items (R-PAY-2)', () => {
    const of = (reason: string) => all.summaries.flatMap((s) => s.not_paid.filter((n) => n.reason === reason));
    const before = of('before_contract');
    expect(before.reduce((n, x) => n + x.items, 0)).toBe(run.payments.counts.outside_contract.items);
    expect(sum(before.map((x) => x.amount))).toBe(formatMoney(run.payments.counts.outside_contract.amount));
    expect(of('unbanded').reduce((n, x) => n + x.items, 0)).toBe(run.payments.counts.unbanded.items);
  });

  it('a met outcome before the contract start says so, with the price it would have had', () => {
    const c1 = run.clients.find((c) => c.client_id === 'C0000001')!;
    const x = explainClient(c1, scheme, asOf);
    expect(x.payments.paid).toBe('0.00');
    const met = x.journeys.flatMap((j) => j.outcomes).filter((o) => o.decision.status === 'met');
    expect(met.length).toBe(3);
    for (const o of met) {
      expect(o.payment.paid).toBe('0.00');
      expect(o.payment.unpaid.map((u) => [u.reason, u.rule])).toEqual([['before_contract', 'R-PAY-8']]);
      expect(o.payment.unpaid[0]!.text).toContain('before the contract started on 2012-04-01');
    }
    expect(formatExplanation(x)).toMatch(/^Client C0000001[^\n]*\nPaid: nothing\.\nNot paid: 4 items payable before the contract started \(R-PAY-8\), £2,300\.00\./);
  });

  it('a journey without a band: the attachment and met outcomes are unbanded (R-PAY-2)', () => {
    const unbanded = run.clients.find((c) => c.journeys.some((j) => j.tariff_band === undefined && j.start_date >= '2012-04-01'))!;
    const x = explainClient(unbanded, scheme, asOf);
    const j = x.journeys.find((y) => y.tariff_band === undefined)!;
    expect(j.attachment.unpaid.map((u) => u.reason)).toEqual(['unbanded']);
    expect(formatExplanation(x)).toContain('Attachment: nothing paid — the journey has no tariff band and the tariff no default band');
  });
});

describe('caps and per-client limits are taken from the whole run', () => {
  // Every provider capped at £5,000 a contract year: most are cut.
  const capped = variant({ contract: { defaultTerms: { annualValue: '5000.00', pbrShare: '1', cap: '5000.00' } } });

  it('with the run\'s lines, every client\'s lines sum to payments.csv, cuts included (R-PAY-4)', async () => {
    const run = await demoRun(capped);
    expect(run.payments.counts.capped.items).toBeGreaterThan(10);
    const all = explainAll(run.clients, capped, run.payments.lines);
    expect(csvOfExplained(all.lines).split('\n').filter((l) => !l.includes(',fixed,'))).toEqual(paymentsCsv(run.payments.rows).split('\n').filter((l) => !l.includes(',fixed,')));
    const cut = all.lines.filter((l) => l.status === 'capped');
    const part = all.lines.filter((l) => l.status === 'part_capped');
    expect(cut.length).toBeGreaterThan(0);
    expect(part.length).toBeGreaterThan(0);
    for (const l of part) expect(decimal(l.paid).plus(decimal(l.capped)).equals(decimal(l.amount))).toBe(true);
    // A client with a cut line: the cause names the cap and the contract year.
    const client = run.clients.find((c) => run.payments.lines.some((l) => l.client_id === c.client_id && l.capped.greaterThan(0) && l.paid.isZero()))!;
    expect(dependsOnCaps(client, capped, asOf)).toBe(true);
    const x = explainClient(client, capped, asOf, { runLines: run.payments.lines });
    const causes = x.journeys.flatMap((j) => [j.attachment, ...j.outcomes.map((o) => o.payment)]).flatMap((p) => p.unpaid);
    expect(causes.some((c) => c.reason === 'capped' && c.rule === 'R-PAY-4' && c.text.includes('cap of £5,000.00'))).toBe(true);
    expect(x.payments.notes.join(' ')).toContain('Fixed payments');
  }, 60_000);

  it('without the run\'s lines, a client under a cap cannot be explained (the cut depends on other clients)', () => {
    const data = dataset({ episodes: [episode('E1', '2013-01-01', '2013-03-01')] });
    const c = evaluateDataset(data, capped, { asOf }).clients[0]!;
    expect(dependsOnCaps(c, capped, asOf)).toBe(true);
    expect(() => explainPayments(c, capped, asOf)).toThrow(/under a cap \(R-PAY-4\)/);
  });

  it('over a per-client limit (R-OUT-10): the second payment of the outcome in the same contract year is not paid', () => {
    // One outcome, at most once per client per contract year; two journeys meet it 4 months apart.
    const limited = schemeOf([{ id: 'o', title: 'o', primitives: [{ type: 'reduced_offending' }] }], {
      tariff: { bands: ['1'], outcomes: { o: { '1': '100.00' } }, maxPerClientPerYear: { o: 1 } },
      contract: { start: '2012-04-01' },
    });
    const data = dataset({ episodes: [episode('E1', '2012-05-01', '2012-06-01'), episode('E2', '2012-09-01', '2012-10-01')], offences: [offence('2012-04-15')] });
    const c = evaluateDataset(data, limited, { asOf }).clients[0]!;
    expect(c.decisions.map((d) => [d.journey_id, d.status, d.achieved_on])).toEqual([
      ['E1', 'met', '2012-11-01'],
      ['E2', 'met', '2013-03-01'],
    ]);
    const p = explainPayments(c, limited, asOf);
    expect(p.outcomes.get('E1\u0000o')!.paid).toBe('100.00');
    const second = p.outcomes.get('E2\u0000o')!;
    expect(second.paid).toBe('0.00');
    expect(second.lines.map((l) => l.status)).toEqual(['over_client_limit']);
    expect(second.unpaid).toEqual([
      { reason: 'over_client_limit', rule: 'R-OUT-10', text: "the outcome payment (£100.00) is beyond the scheme's limit of 1 payment of o per client in the contract year from 2012-04-01" },
    ]);
    expect(p.summary.not_paid).toEqual([{ reason: 'over_client_limit', rule: 'R-OUT-10', items: 1, amount: '100.00' }]);
  });
});

describe('each cause, worked', () => {
  it('a band the tariff does not price: unknown band, no price (R-PAY-2)', () => {
    const scheme = presetScheme('national-model-2012');
    const data = dataset({ episodes: [episode('E1', '2013-01-01', '2013-03-01', { tariff_band: '4' })] });
    const c = evaluateDataset(data, scheme, { asOf }).clients[0]!;
    const p = explainPayments(c, scheme, asOf);
    expect(p.attachments.get('E1')!.unpaid[0]).toMatchObject({ reason: 'unknown_band', rule: 'R-PAY-2' });
    expect(p.attachments.get('E1')!.unpaid[0]!.text).toContain("band '4' is not one of the tariff's bands (1, 2, 3)");
    expect(p.summary.not_paid).toContainEqual({ reason: 'unknown_band', rule: 'R-PAY-2', items: expect.any(Number), amount: undefined });
  });

  it('after the contract end (R-PAY-8)', () => {
    const scheme = variant({ contract: { end: '2012-12-31' } });
    const data = dataset({ episodes: [episode('E1', '2013-01-01', '2013-03-01')] });
    const c = evaluateDataset(data, scheme, { asOf }).clients[0]!;
    const a = explainPayments(c, scheme, asOf).attachments.get('E1')!;
    expect(a.paid).toBe('0.00');
    expect(a.unpaid[0]).toMatchObject({ reason: 'after_contract', rule: 'R-PAY-8' });
    expect(a.unpaid[0]!.text).toContain('after the contract ended on 2012-12-31');
  });

  it('a paid line names provider, period, band and payers (R-PAY-5, R-PAY-6): the payers\' parts sum to the line', () => {
    const scheme = variant({ payers: [{ id: 'local', share: '0.7' }, { id: 'central', share: '0.3' }] });
    const data = dataset({ episodes: [episode('E1', '2013-01-01', '2013-03-01', { provider_id: 'P7', tariff_band: '2' })] });
    const c = evaluateDataset(data, scheme, { asOf }).clients[0]!;
    const x = explainClient(c, scheme, asOf);
    const l = x.journeys[0]!.attachment.lines[0]!;
    expect(l).toMatchObject({ payment_type: 'attachment', provider_id: 'P7', tariff_band: '2', payable_on: '2013-01-01', period_start: '2013-01-01', status: 'paid' });
    expect(sum(l.payers.map((p) => p.amount))).toBe(l.paid);
    expect(l.payers.map((p) => p.payer)).toEqual(['local', 'central']);
    const text = formatExplanation(x);
    expect(text).toContain(`attachment ${formatPounds(decimal(l.paid))} to P7, payable 2013-01-01 in the period from 2013-01-01, band 2; payers local`);
  });

  it('an outcome not met is not paid; the gateway (R-OUT-8) or death (R-OUT-9) is named when it decided', () => {
    const scheme = presetScheme('national-model-2012');
    // Quality of life improves, but the journey ends unplanned: the gateway (free from dependence or abstinent) fails.
    const data = dataset({
      episodes: [opiateEpisode('E1', '2013-01-01', '2013-03-01', { exit_reason: 'dropped_out' })],
      reviews: [review('E1', '2013-01-01', 'start', { quality_of_life: 4 }), review('E1', '2013-02-20', 'review', { quality_of_life: 12 })],
    });
    const c = evaluateDataset(data, scheme, { asOf }).clients[0]!;
    expect(c.decisions.find((d) => d.outcome_id === 'quality-of-life')!.reason).toBe('gateway_not_met');
    const qol = explainPayments(c, scheme, asOf).outcomes.get('E1\u0000quality-of-life')!;
    expect(qol.paid).toBe('0.00');
    expect(qol.unpaid).toEqual([{ reason: 'not_met', rule: 'R-OUT-8', text: 'the outcome is not met: a required (gateway) outcome was not met' }]);
    // An open journey of a client who has died: the pending outcomes end not met (died).
    const dead = dataset({ episodes: [opiateEpisode('E1', '2013-01-01')], clients: [died('2013-06-01')] });
    const d = evaluateDataset(dead, scheme, { asOf }).clients[0]!;
    const ffd = explainPayments(d, scheme, asOf).outcomes.get('E1\u0000free-from-dependence')!;
    expect(ffd.unpaid).toEqual([{ reason: 'not_met', rule: 'R-OUT-9', text: 'the outcome is not met: the client died before the outcome was achieved' }]);
  });
});
