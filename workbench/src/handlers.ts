/**
 * The worker's answers: each request of the page (protocol.ts) turned into plain figures from the
 * {@link Session}. No DOM here, so the tests run it in Node.
 * @module
 */
import type { CalibrationView, ExplainView, ForecastView, LoadedView, Reply, Request, ResultsView, WhatIfView } from './protocol.js';
import { Session, type Decided, type Progress } from './session.js';
import { compareCodePoint, isIsoDate, type IsoDate } from '../../src/calendar/index.js';
import { isRecoveryPbrError } from '../../src/errors.js';
import { formatMoney, formatPounds, fromPence, type Decimal } from '../../src/money/amount.js';
import { parseProjectedJourneys } from '../../src/modelling/forecast.js';
import { contractCalendar, type ContractCalendar } from '../../src/payments/contract.js';
import { PAYMENT_TYPES, type PaymentLine, type PaymentType } from '../../src/payments/types.js';
import { TYPE_COLOURS, TYPE_LABELS, intervalRows, legend, stackedBars } from '../../src/report/charts.js';
import { formatPercent, outcomeRates, periodLabel, periodRange, type PaidCell } from '../../src/report/index.js';
import { formatExplanation } from '../../src/explain/index.js';
import { parseScheme, type Scheme } from '../../src/schema/scheme/index.js';
import { resolveExtends } from '../../src/presets/index.js';

/** How many rejected rows the page lists (the rest are in rejections.csv). */
export const REJECTIONS_SHOWN = 500;

/** A request that cannot be answered: a message for the person (and the scheme's problems by path). */
class RequestError extends Error {
  constructor(
    message: string,
    readonly problems?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

const money = (d: Decimal) => formatMoney(d);
const signed = (d: Decimal) => (d.greaterThan(0) ? `+${formatMoney(d)}` : formatMoney(d));

/** Schemes parsed lately, by their JSON text (the page sends the original with every edit). */
const PARSED = new Map<string, Scheme>();

/** A scheme document from the page, parsed as the CLI parses a scheme file (R-VAL-4). */
function schemeOf(doc: unknown): Scheme {
  const text = JSON.stringify(doc);
  const kept = PARSED.get(text);
  if (kept) return kept;
  const scheme = parseSchemeDocument(doc);
  if (PARSED.size >= 4) PARSED.delete(PARSED.keys().next().value!);
  PARSED.set(text, scheme);
  return scheme;
}

function parseSchemeDocument(doc: unknown): Scheme {
  let resolved: unknown;
  try {
    resolved = resolveExtends(doc);
  } catch (e) {
    throw new RequestError(`the scheme cannot be used: ${(e as Error).message}`);
  }
  const r = parseScheme(resolved);
  if (!r.ok) throw new RequestError(`the scheme cannot be used (${r.problems.length} ${r.problems.length === 1 ? 'problem' : 'problems'})`, r.problems);
  return r.scheme;
}

function dateOf(asOf: string): IsoDate {
  if (!isIsoDate(asOf)) throw new RequestError(`the as-of date must be a real date written YYYY-MM-DD (got '${asOf}')`);
  return asOf;
}

function amounts(c: PaidCell, types: readonly PaymentType[]) {
  return { byType: Object.fromEntries(types.map((t) => [t, money(c.by_type[t])])), total: money(c.total), capped: money(c.capped) };
}

/**
 * Paid and capped amounts per provider and period by payment type, from the payment lines: the
 * same sums as the report's `paymentGrid` of `payments.csv` rows (payer parts add up to the whole),
 * without splitting between payers first (a price edit need not pay for that).
 */
function gridOfLines(lines: readonly PaymentLine[], cal: ContractCalendar) {
  // Sums in whole pence (exact in a JS number up to £90 trillion): amounts are pounds and pence,
  // and most lines share a few Decimal instances, each turned into pence once.
  const pence = new Map<Decimal, number>();
  const p = (d: Decimal): number => {
    let n = pence.get(d);
    if (n === undefined) pence.set(d, (n = Number(d.times(100).toFixed(0))));
    return n;
  };
  type Cell = { by_type: Record<PaymentType, number>; total: number; capped: number };
  const empty = (): Cell => ({ by_type: Object.fromEntries(PAYMENT_TYPES.map((t) => [t, 0])) as Cell['by_type'], total: 0, capped: 0 });
  const add = (c: Cell, l: PaymentLine) => {
    const paid = p(l.paid);
    c.by_type[l.payment_type] += paid;
    c.total += paid;
    c.capped += p(l.capped);
  };
  const toPaid = (c: Cell): PaidCell => ({
    by_type: Object.fromEntries(PAYMENT_TYPES.map((t) => [t, fromPence(BigInt(c.by_type[t]))])) as PaidCell['by_type'],
    total: fromPence(BigInt(c.total)),
    capped: fromPence(BigInt(c.capped)),
  });
  const payable = lines.filter((l) => l.status === 'payable');
  const seen = [...new Set(payable.map((l) => l.period_start))].sort(compareCodePoint);
  const periods = seen.length === 0 ? [] : periodRange(cal, seen[0]!, seen[seen.length - 1]!);
  for (const x of seen) if (!periods.includes(x)) periods.push(x);
  periods.sort(compareCodePoint);
  const index = new Map(periods.map((x, i) => [x, i]));
  const providers = new Map<string, Cell>();
  const periodTotals = periods.map(empty);
  const all = empty();
  const types = new Set<PaymentType>();
  for (const l of payable) {
    let c = providers.get(l.provider_id);
    if (!c) providers.set(l.provider_id, (c = empty()));
    add(c, l);
    add(periodTotals[index.get(l.period_start)!]!, l);
    add(all, l);
    types.add(l.payment_type);
  }
  return {
    periods,
    types: PAYMENT_TYPES.filter((t) => types.has(t)),
    providers: [...providers.entries()].sort((x, y) => compareCodePoint(x[0], y[0])).map(([provider_id, c]) => ({ provider_id, all: toPaid(c) })),
    periodTotals: periodTotals.map(toPaid),
    all: toPaid(all),
    /** Pence of a line's amount (shared cache). */
    pence: p,
  };
}

/** Outcome rates and their chart depend only on the decisions: worked out once per decided outcomes and scheme titles. */
const RATES = new WeakMap<Decided, { key: string; value: { rates: ResultsView['rates']; ratesChart: string | undefined } }>();
function ratesOf(d: Decided, scheme: Scheme): { rates: ResultsView['rates']; ratesChart: string | undefined } {
  const key = JSON.stringify([scheme.outcomes.map((o) => [o.id, o.title]), scheme.tariff?.bands ?? []]);
  const kept = RATES.get(d);
  if (kept?.key === key) return kept.value;
  const titles = new Map(scheme.outcomes.map((o) => [o.id, o.title]));
  const rates = outcomeRates(d.breakdown, { outcomes: scheme.outcomes.map((o) => o.id), bands: scheme.tariff?.bands ?? [] });
  const value = {
    rates: rates.map((r) => ({
      outcome: r.outcome_id,
      title: titles.get(r.outcome_id) ?? r.outcome_id,
      lines: r.lines.map((l) => ({
        label: l.label,
        met: l.counts.met,
        notMet: l.counts.not_met,
        notEligible: l.counts.not_eligible,
        pending: l.counts.pending,
        rate: formatPercent(l.rate),
        interval: l.lower === undefined ? '–' : `${formatPercent(l.lower)}–${formatPercent(l.upper)}`,
      })),
    })),
    ratesChart:
      rates.length > 0
        ? intervalRows({
            id: 'wb-rates',
            title: 'Outcome rates, all journeys: met ÷ (met + not met), with 95% intervals',
            desc: rates.map((r) => `${r.outcome_id}: ${formatPercent(r.lines[0]!.rate)}`).join('; '),
            rows: rates.map((r) => ({ label: r.outcome_id, value: r.lines[0]!.rate?.toNumber(), lower: r.lines[0]!.lower?.toNumber(), upper: r.lines[0]!.upper?.toNumber(), note: `${formatPercent(r.lines[0]!.rate)} of ${r.lines[0]!.decided.toLocaleString('en-GB')}` })),
            width: 640,
          })
        : undefined,
  };
  RATES.set(d, { key, value });
  return value;
}

/** Checked inputs whose rejections the page already has. */
const SENT = new WeakSet<object>();

function results(session: Session, scheme: Scheme, asOf: IsoDate, onProgress: (p: Progress) => void, t0 = performance.now()): ResultsView {
  const checked = session.check(scheme);
  const d = session.decide(scheme, asOf, onProgress);
  onProgress({ phase: 'price', share: 1, text: 'Working out payments' });
  const payments = session.pay(scheme, asOf);
  const titles = new Map(scheme.outcomes.map((o) => [o.id, o.title]));
  const names = new Map<string, string>(session.files().map((f) => [f.kind, f.name]));
  const fileName = (kind: string) => names.get(kind) ?? kind;
  const { rates, ratesChart } = ratesOf(d, scheme);
  const view: ResultsView = {
    scheme: { id: scheme.id, version: scheme.version, title: scheme.title },
    asOf,
    counts: Object.entries(checked.counts).map(([kind, c]) => ({ kind: kind as ResultsView['counts'][number]['kind'], name: fileName(kind), read: c!.read, used: c!.used, rejected: c!.rejected })),
    rejectionsTotal: checked.rejections.length,
    // Sent when they change (new files, or the scheme's exit codes or review tolerance), not on every price edit.
    rejections: SENT.has(checked) ? undefined : checked.rejections.slice(0, REJECTIONS_SHOWN).map((r) => ({ file: fileName(r.file), row: r.row, field: r.field, value: r.value, reason: r.reason, code: r.code })),
    clients: d.outcomes.clients,
    journeys: d.outcomes.journeys,
    pays: payments !== undefined,
    paid: '0.00',
    notPaid: {
      capped: { items: 0, amount: '0.00' },
      outsideContract: { items: 0, amount: '0.00' },
      overClientLimit: { items: 0, amount: '0.00' },
      unbanded: { journeys: 0, items: 0 },
      unknownBand: { items: 0, bands: [] },
    },
    types: [],
    providers: [],
    periods: [],
    all: { byType: {}, total: '0.00', capped: '0.00' },
    outcomeBands: [],
    rates,
    charts: {
      periods: undefined,
      rates: ratesChart,
    },
    ms: 0,
  };
  if (payments) {
    const c = payments.counts;
    view.notPaid = {
      capped: { items: c.capped.items, amount: money(c.capped.amount) },
      outsideContract: { items: c.outside_contract.items, amount: money(c.outside_contract.amount) },
      overClientLimit: { items: c.over_client_limit.items, amount: money(c.over_client_limit.amount) },
      unbanded: { ...c.unbanded },
      unknownBand: { items: c.unknown_band.items, bands: [...c.unknown_band.bands] },
    };
    const cal = contractCalendar(scheme.contract);
    const grid = gridOfLines(payments.lines, cal);
    view.paid = money(grid.all.total);
    view.types = grid.types;
    view.providers = grid.providers.map((p) => ({ id: p.provider_id, ...amounts(p.all, grid.types) }));
    view.periods = grid.periods.map((p, i) => ({ start: p, label: periodLabel(p, cal), ...amounts(grid.periodTotals[i]!, grid.types) }));
    view.all = amounts(grid.all, grid.types);
    const noun = cal.periodMonths === 1 ? 'month' : 'quarter';
    if (grid.periods.length > 0) {
      view.charts.periods = stackedBars({
        id: 'wb-periods',
        title: `Paid per ${noun}, all providers, by payment type`,
        desc: `${grid.periods.length} ${noun}s from ${periodLabel(grid.periods[0]!, cal)} to ${periodLabel(grid.periods[grid.periods.length - 1]!, cal)}; total ${formatPounds(grid.all.total)}. The table below gives the exact amounts.`,
        labels: grid.periods.map((p) => periodLabel(p, cal)),
        barLabels: grid.periods.length <= 24 ? grid.periods.map((p) => periodLabel(p, cal).split(' ')[0]!) : undefined,
        axisLabels: new Map(grid.periods.flatMap((p, i) => (i === 0 || periodLabel(p, cal).startsWith(cal.periodMonths === 1 ? 'Apr' : 'Q1') ? [[i, periodLabel(p, cal).split(' ').slice(1).join(' ') || p.slice(0, 4)] as [number, string]] : []))),
        series: grid.types.map((t) => ({ key: t, label: TYPE_LABELS[t] ?? t, colour: TYPE_COLOURS[t] ?? '#777', values: grid.periodTotals.map((c) => c.by_type[t].toNumber()) })),
        width: 760,
        height: 280,
      }) + legend(grid.types.map((t) => ({ label: TYPE_LABELS[t] ?? t, colour: TYPE_COLOURS[t] ?? '#777' })));
    }
    // Paid outcome and sustainment items by outcome and band (a fully capped item still counts, as in payments.csv).
    const byKey = new Map<string, ResultsView['outcomeBands'][number] & { sum: number }>();
    for (const l of payments.lines) {
      if (l.status !== 'payable' || (l.payment_type !== 'outcome' && l.payment_type !== 'sustainment')) continue;
      const k = `${l.outcome_id}\u0000${l.payment_type}\u0000${l.tariff_band}`;
      let e = byKey.get(k);
      if (!e) byKey.set(k, (e = { outcome: l.outcome_id, title: titles.get(l.outcome_id) ?? l.outcome_id, band: l.tariff_band, type: l.payment_type, count: 0, amount: '', sum: 0 }));
      e.count++;
      e.sum += grid.pence(l.paid);
    }
    const order = new Map(scheme.outcomes.map((o, i) => [o.id, i]));
    const bandOrder = new Map((scheme.tariff?.bands ?? []).map((b, i) => [b, i]));
    view.outcomeBands = [...byKey.values()]
      .sort((a, b) => (order.get(a.outcome) ?? 1e9) - (order.get(b.outcome) ?? 1e9) || compareCodePoint(a.outcome, b.outcome) || compareCodePoint(a.type, b.type) || (bandOrder.get(a.band) ?? 1e9) - (bandOrder.get(b.band) ?? 1e9) || compareCodePoint(a.band, b.band))
      .map(({ sum, ...e }) => ({ ...e, amount: money(fromPence(BigInt(sum))) }));
  }
  SENT.add(checked);
  view.ms = Math.round(performance.now() - t0);
  return view;
}

function whatIf(session: Session, original: Scheme, edited: Scheme, asOf: IsoDate): WhatIfView | undefined {
  const t0 = performance.now();
  const c = session.compare(original, edited, asOf);
  if (!c) return undefined;
  const outcomes = new Map<string, { key: string; type: PaymentType; outcome: string; a: Decimal; b: Decimal; difference: Decimal }>();
  for (const r of c.diff.rows) {
    const key = r.payment_type === 'outcome' || r.payment_type === 'sustainment' ? `${r.payment_type}:${r.outcome_id}` : r.payment_type;
    let e = outcomes.get(key);
    if (!e) outcomes.set(key, (e = { key, type: r.payment_type, outcome: r.outcome_id, a: r.a.amount.minus(r.a.amount), b: r.a.amount.minus(r.a.amount), difference: r.a.amount.minus(r.a.amount) }));
    e.a = e.a.plus(r.a.amount);
    e.b = e.b.plus(r.b.amount);
    e.difference = e.difference.plus(r.difference);
  }
  const typeOrder = (t: PaymentType) => PAYMENT_TYPES.indexOf(t);
  const order = new Map(original.outcomes.map((o, i) => [o.id, i]));
  return {
    a: { label: `${original.id} ${original.version}`, total: money(c.diff.total.a.amount) },
    b: { label: `${edited.id} ${edited.version}`, total: money(c.diff.total.b.amount) },
    difference: signed(c.diff.total.difference),
    providers: c.diff.providers.map((p) => ({ id: p.provider_id, a: money(p.a.amount), b: money(p.b.amount), difference: signed(p.difference) })),
    outcomes: [...outcomes.values()]
      .sort((x, y) => typeOrder(x.type) - typeOrder(y.type) || (order.get(x.outcome) ?? 1e9) - (order.get(y.outcome) ?? 1e9) || compareCodePoint(x.outcome, y.outcome))
      .map((e) => ({ key: e.key, type: e.type, outcome: e.outcome, a: money(e.a), b: money(e.b), difference: signed(e.difference) })),
    ms: Math.round(performance.now() - t0),
  };
}

function calibrationView(session: Session, scheme: Scheme, r: Extract<Request, { type: 'calibrate' }>, asOf: IsoDate): CalibrationView {
  if (!/^\d+(\.\d{1,2})?$/.test(r.target.trim())) throw new RequestError(`the budget must be an amount in pounds and pence, such as 250000.00 (got '${r.target}')`);
  let c;
  try {
    c = session.calibrate(scheme, { asOf, target: r.target.trim(), of: r.of, keep: r.keep, ...(r.provider ? { provider: r.provider } : {}) });
  } catch (e) {
    if (e instanceof RangeError) throw new RequestError(e.message);
    throw e;
  }
  return {
    exact: c.exact,
    target: money(c.target),
    amount: c.best ? money(c.best.amount) : undefined,
    factor: c.best?.factor.toString(),
    reason: c.reason,
    prices: c.best?.prices,
    counts: c.counts,
    nudged: (c.best?.nudged ?? []).map((n) => ({ outcome: n.outcome_id, band: n.band, from: n.from, to: n.to })),
    below: c.below ? money(c.below.amount) : undefined,
    above: c.above ? money(c.above.amount) : undefined,
  };
}

function forecastView(session: Session, scheme: Scheme, r: Extract<Request, { type: 'forecast' }>, asOf: IsoDate): ForecastView {
  let journeys;
  try {
    journeys = parseProjectedJourneys(r.journeys);
  } catch (e) {
    throw new RequestError((e as Error).message);
  }
  if (journeys.length === 0) throw new RequestError('give the new journeys you expect, e.g. Q1:1=20,2=10;Q2:1=25 (quarter: band=count)');
  if (!r.provider) throw new RequestError('choose a provider');
  let f;
  try {
    f = session.forecast(scheme, { provider: r.provider, asOf, journeys, simulations: r.simulations, seed: r.seed });
  } catch (e) {
    if (e instanceof RangeError) throw new RequestError(e.message);
    throw e;
  }
  const chart = stackedBars({
    id: 'wb-forecast',
    title: `${f.provider}: expected income per forecast quarter`,
    desc: `Expected income per quarter; total ${formatPounds(f.total.expected)}. The table gives the P10–P90 range.`,
    labels: f.quarters.map((q) => `Q${q.quarter}`),
    barLabels: f.quarters.map((q) => `Q${q.quarter}`),
    axisLabels: new Map(),
    series: [
      { key: 'fixed', label: 'Fixed instalments', colour: TYPE_COLOURS['fixed']!, values: f.quarters.map((q) => q.fixed.toNumber()) },
      { key: 'outcome', label: 'Results-based (expected)', colour: TYPE_COLOURS['outcome']!, values: f.quarters.map((q) => q.expected.minus(q.fixed).toNumber()) },
    ],
    width: 640,
    height: 240,
  }) + legend([{ label: 'Fixed instalments', colour: TYPE_COLOURS['fixed']! }, { label: 'Results-based (expected)', colour: TYPE_COLOURS['outcome']! }]);
  return {
    provider: f.provider,
    quarters: f.quarters.map((q) => ({ quarter: q.quarter, start: q.start, end: q.end, journeys: q.journeys, fixed: money(q.fixed), expected: money(q.expected), p10: money(q.p10), p50: money(q.p50), p90: money(q.p90) })),
    total: { expected: money(f.total.expected), mean: money(f.total.mean), p10: money(f.total.p10), p50: money(f.total.p50), p90: money(f.total.p90) },
    rates: f.assumptions.rates.map((a) => ({ outcome: a.outcome_id, band: a.band, rate: formatPercent(a.rate), source: a.source, met: a.met, decided: a.decided })),
    notes: f.assumptions.notes,
    chart,
  };
}

function explainView(session: Session, scheme: Scheme, asOf: IsoDate, clientId: string): ExplainView | undefined {
  const x = session.explain(scheme, asOf, clientId.trim());
  if (!x) return undefined;
  const e = x.explanation;
  return {
    clientId: e.client_id,
    text: formatExplanation(e),
    notYetKnown: e.notYetKnown,
    journeys: e.journeys.map((j) => ({
      id: j.journey_id,
      start: j.start_date,
      end: j.end_date ?? 'open',
      band: j.tariff_band ?? '(none)',
      group: j.substance_group.replace(/_/g, ' '),
      exit: j.exit,
      outcomes: j.outcomes.map((o) => ({
        id: o.decision.outcome_id,
        title: o.title,
        status: o.decision.status,
        achieved: o.decision.achieved_on ?? '',
        due: o.decision.due_on ?? '',
        reason: o.decision.reason ?? '',
        provider: o.decision.provider_id,
        text: o.text,
      })),
    })),
    payments: x.lines.map((l) => ({
      date: l.payable_on,
      period: l.period_start,
      provider: l.provider_id,
      type: l.payment_type,
      outcome: l.outcome_id,
      band: l.tariff_band,
      amount: money(l.amount),
      paid: money(l.paid),
      capped: money(l.capped),
      status: l.status,
    })),
  };
}

/**
 * Answers one request of the page. Progress goes to `post` as it happens; the answer (or an error
 * worded for a person) is returned.
 * @example await handle(session, { id: 1, type: 'results', scheme: doc, asOf: '2015-03-31' }, post)
 */
export async function handle(session: Session, r: Request, post: (m: Reply) => void): Promise<Reply> {
  const progress = (p: Progress) => post({ id: r.id, type: 'progress', phase: p.phase, share: p.share, text: p.text });
  try {
    if (r.type === 'load') {
      const t0 = performance.now();
      const files = r.files.map((f, i) => (r.paths[i] ? { name: f.name, size: f.size, arrayBuffer: () => f.arrayBuffer(), webkitRelativePath: r.paths[i] } : f));
      const { identified, read } = await session.load(files, progress);
      let latest: string | undefined;
      const providers = new Set<string>();
      for (const e of read.standard.data.episodes) {
        providers.add(e.provider_id);
        if (latest === undefined || e.start_date > latest) latest = e.start_date;
        if (e.discharge_date !== undefined && e.discharge_date > latest) latest = e.discharge_date;
      }
      const data: LoadedView = {
        files: Object.values(read.files).map((f) => ({ kind: f!.kind, name: f!.name, bytes: f!.bytes, hash: f!.hash, read: read.standard.counts[f!.kind]?.read ?? 0 })),
        notes: session.notes(),
        ignored: identified.ignored,
        providers: [...providers].sort(compareCodePoint),
        latestDate: latest,
        ms: Math.round(performance.now() - t0),
      };
      return { id: r.id, type: 'loaded', data };
    }
    if (!session.loaded) throw new RequestError('load data first: pick the input files, or load the demo cohort');
    const asOf = dateOf(r.asOf);
    switch (r.type) {
      case 'update': {
        // The original first: it is decided (and priced) once, and the edited scheme reuses its
        // decisions when only payments differ.
        const original = schemeOf(r.original);
        const edited = r.edited === r.original ? original : schemeOf(r.edited);
        // "Worked out in" counts from here: deciding the original is most of a first load.
        const t0 = performance.now();
        session.decide(original, asOf, progress);
        const view = results(session, edited, asOf, progress, t0);
        return { id: r.id, type: 'update', data: { results: view, whatIf: whatIf(session, original, edited, asOf) } };
      }
      case 'calibrate':
        return { id: r.id, type: 'calibrate', data: calibrationView(session, schemeOf(r.scheme), r, asOf) };
      case 'forecast':
        return { id: r.id, type: 'forecast', data: forecastView(session, schemeOf(r.scheme), r, asOf) };
      case 'explain':
        return { id: r.id, type: 'explain', data: explainView(session, schemeOf(r.scheme), asOf, r.clientId) };
      case 'suggest':
        return { id: r.id, type: 'suggest', data: session.clientsLike(schemeOf(r.scheme), asOf, r.prefix.trim()) };
      case 'export': {
        const scheme = schemeOf(r.scheme);
        const out = session.outputs(scheme, asOf);
        const text = out[r.file];
        if (text === undefined) throw new RequestError(`the scheme ${scheme.id} pays nothing, so there is no ${r.file}`);
        const type = r.file.endsWith('.csv') ? 'text/csv' : r.file.endsWith('.json') ? 'application/json' : 'text/html';
        return { id: r.id, type: 'export', data: { file: r.file, text, type } };
      }
    }
  } catch (e) {
    if (e instanceof RequestError) return { id: r.id, type: 'error', message: e.message, ...(e.problems ? { problems: e.problems } : {}) };
    if (isRecoveryPbrError(e)) return { id: r.id, type: 'error', message: e.message };
    return { id: r.id, type: 'error', message: `internal error: ${(e as Error)?.message ?? String(e)}. This is a bug in recovery-pbr; please report it with what you did.` };
  }
}
