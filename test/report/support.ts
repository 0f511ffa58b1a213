/**
 * Fixtures for report tests: readable builders (payment rows, decisions, rejections) and the real
 * pipeline on examples/demo (readDataset → runScheme → paymentsCsv), as the run command does it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { Dec, type Decimal } from '../../src/money/amount.js';
import { readDataset } from '../../src/node/run-folder.js';
import { inputSummaries, type RunSummary } from '../../src/output/summary.js';
import { paymentsCsv } from '../../src/payments/index.js';
import type { PaymentRow, PaymentType } from '../../src/payments/types.js';
import { presetDocument, presetScheme, resolveExtends } from '../../src/presets/index.js';
import { runScheme, type RunResult } from '../../src/run/index.js';
import type { Rejection } from '../../src/schema/dataset.js';
import { loadScheme, mergeSchemeDocuments, type Scheme } from '../../src/schema/scheme/index.js';
import { outcomeBreakdownCounter, rejectionTally, reportFromRun, type RunReportParts } from '../../src/report/index.js';
import type { OutcomeDecision } from '../../src/outcomes/types.js';

export const DEMO_DIR = fileURLToPath(new URL('../../examples/demo', import.meta.url));
export const AS_OF = '2015-03-31';

/** A payments.csv row: `paymentRow({ provider: 'P1', period: '2012-04-01', type: 'outcome', amount: '1200.00' })`. */
export function paymentRow(p: {
  provider?: string;
  payer?: string;
  period?: string;
  type?: PaymentType;
  outcome?: string;
  band?: string;
  count?: number;
  amount: string;
  capped?: string;
}): PaymentRow {
  const type = p.type ?? 'outcome';
  return {
    provider_id: p.provider ?? 'P1',
    payer: p.payer ?? 'default',
    period_start: p.period ?? '2012-04-01',
    payment_type: type,
    outcome_id: type === 'outcome' || type === 'sustainment' ? (p.outcome ?? 'ffd') : '',
    tariff_band: type === 'fixed' ? '' : (p.band ?? '1'),
    count: p.count ?? 1,
    amount: new Dec(p.amount),
    capped_amount: new Dec(p.capped ?? '0'),
  };
}

/** The fields of a decision the report counts: `decided('ffd', 'met', { band: '2', group: 'opiate' })`. */
export function decided(outcome: string, status: OutcomeDecision['status'], o: { band?: string; group?: OutcomeDecision['substance_group'] } = {}) {
  return { outcome_id: outcome, status, tariff_band: o.band, substance_group: o.group ?? 'opiate' };
}

/** A rejection: `rejection({ file: 'episodes', row: 5, field: 'start_date', value: '2023-02-30', code: 'not_a_date', reason: 'is not a real calendar date' })`. */
export function rejection(r: Partial<Rejection> & { row: number }): Rejection {
  return {
    file: r.file ?? 'episodes',
    row: r.row,
    field: r.field ?? 'start_date',
    value: r.value ?? '',
    code: r.code ?? 'not_a_date',
    reason: r.reason ?? 'is not a real calendar date',
  };
}

/** national-model-2012 with caps, contract terms and two payers, so every part of the report has something to show. */
export function cappedScheme(): Scheme {
  return loadScheme(
    mergeSchemeDocuments(resolveExtends(presetDocument('national-model-2012')), {
      id: 'demo-capped',
      version: '1',
      payers: [
        { id: 'local', share: { value: '0.8', provenance: { kind: 'illustrative', note: 'Test split.' } } },
        { id: 'central', share: '0.2' },
      ],
      contract: {
        providers: { P905C: { annualValue: '80000.00', pbrShare: '0.5' } },
        defaultTerms: { annualValue: '120000.00', pbrShare: '0.75', cap: '45000.00' },
      },
    }),
  );
}

/** One run of the real pipeline on the demo data, with everything the report needs. */
export interface DemoRun {
  scheme: Scheme;
  run: RunResult;
  summary: RunSummary;
  paymentsCsv: string;
  parts: RunReportParts;
  html: string;
}

const fileHashes = new Map<string, string>();
function sha256(path: string): string {
  let h = fileHashes.get(path);
  if (!h) fileHashes.set(path, (h = `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`));
  return h;
}

/** Runs schemes on examples/demo (one read of the data), as the run command does. */
export async function demoRuns(schemes: Scheme[]): Promise<DemoRun[]> {
  const read = await readDataset(DEMO_DIR, { exitReasonMap: schemes[0]!.exitReasons, reviewToleranceDays: schemes[0]!.calendar.reviewToleranceDays });
  const files: Record<string, { file: string; hash: string; bytes: number }> = {};
  for (const [kind, f] of Object.entries(read.files)) files[kind] = { file: f!.path.split('/').pop()!, hash: sha256(f!.path), bytes: f!.bytes };
  return schemes.map((scheme) => {
    const run = runScheme(read, scheme, { asOf: AS_OF });
    const summary: RunSummary = {
      tool: { name: 'recovery-pbr', version: '0.0.0-test' },
      scheme: { id: scheme.id, version: scheme.version, title: scheme.title, hash: 'sha256:0123456789abcdef' },
      asOf: AS_OF,
      inputs: inputSummaries(run.counts, files),
      rejected_total: run.rejections.length,
      outcomes: run.outcomes,
      ...(read.notes.length ? { notes: read.notes } : {}),
    };
    const counter = outcomeBreakdownCounter();
    for (const d of run.decisions) counter.add(d);
    const tally = rejectionTally();
    for (const r of run.rejections) tally.add(r);
    const parts: RunReportParts = { summary, scheme, outcomes: counter.result(), payments: run.payments, rejections: tally.result() };
    return { scheme, run, summary, paymentsCsv: run.payments ? paymentsCsv(run.payments.rows) : '', parts, html: reportFromRun(parts) };
  });
}

/** The plain preset and the capped scheme on the demo data. */
export function demoPresetAndCapped(): Promise<DemoRun[]> {
  return demoRuns([presetScheme('national-model-2012'), cappedScheme()]);
}

/** Sums of `payments.csv` amounts, parsed from its text with exact decimals (as a reader of the file would). */
export function csvSums(csv: string): { providers: Map<string, Decimal>; payers: Map<string, Decimal>; periods: Map<string, Decimal>; capped: Decimal; total: Decimal } {
  const records = parse(csv, { columns: true }) as Record<string, string>[];
  const providers = new Map<string, Decimal>();
  const payers = new Map<string, Decimal>();
  const periods = new Map<string, Decimal>();
  let total: Decimal = new Dec(0);
  let capped: Decimal = new Dec(0);
  const add = (m: Map<string, Decimal>, k: string, v: Decimal) => m.set(k, (m.get(k) ?? new Dec(0)).plus(v));
  for (const r of records) {
    const amount = new Dec(r['amount']!);
    add(providers, r['provider_id']!, amount);
    add(payers, r['payer']!, amount);
    add(periods, r['period_start']!, amount);
    total = total.plus(amount);
    capped = capped.plus(new Dec(r['capped_amount']!));
  }
  return { providers, payers, periods, capped, total };
}

/**
 * An amount as the report writes it (`£1,234.56`, `−£0.50`) read back as an exact decimal; throws
 * on anything else, so a test never compares a misread figure.
 */
export function parsePounds(text: string): Decimal {
  const m = /^(\u2212)?£(\d{1,3}(?:,\d{3})*)\.(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not an amount in pounds: '${text}'`);
  const d = new Dec(`${m[2]!.replace(/,/g, '')}.${m[3]}`);
  return m[1] ? d.negated() : d;
}

/** Cells of the rows of an HTML table (by id): row header text and the text of each cell, tags removed. */
export function tableRows(html: string, id: string): { head: string; cells: string[]; attrs: string; cellAttrs: string[]; main: string[] }[] {
  const start = html.indexOf(`<table id="${id}"`);
  if (start < 0) throw new Error(`no table #${id}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const unescape = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  const text = (s: string) => unescape(s.replace(/<span class="sub">([^<]*)<\/span>/g, ' $1'));
  const rows: { head: string; cells: string[]; attrs: string; cellAttrs: string[]; main: string[] }[] = [];
  for (const m of table.matchAll(/<tr([^>]*)>(.*?)<\/tr>/g)) {
    const head = /<th scope="row"[^>]*>(.*?)<\/th>/.exec(m[2]!);
    if (!head) continue;
    const tds = [...m[2]!.matchAll(/<td([^>]*)>(.*?)<\/td>/g)];
    rows.push({
      head: text(head[1]!),
      cells: tds.map((c) => text(c[2]!)),
      attrs: m[1]!,
      cellAttrs: tds.map((c) => c[1]!),
      // A cell's main figure, without the small line beneath it.
      main: tds.map((c) => unescape(c[2]!.replace(/<span class="sub">[^<]*<\/span>/g, ''))),
    });
  }
  return rows;
}

/** Sums of `payments.csv` amounts per key of the row (payers added together), exact. */
export function csvSumsBy(csv: string, key: (r: Record<string, string>) => string | undefined): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const r of parse(csv, { columns: true }) as Record<string, string>[]) {
    const k = key(r);
    if (k !== undefined) out.set(k, (out.get(k) ?? new Dec(0)).plus(new Dec(r['amount']!)));
  }
  return out;
}
