/**
 * The workbench's pipeline, with no DOM and no worker in it (the Web Worker holds one
 * {@link Session}; tests drive it in Node): read files → check rows against the scheme → decide
 * outcomes (once per outcome rules and asOf) → price (re-pricing when only prices change) →
 * figures for the page and the files the CLI writes, made by the same core functions, so they are
 * the same bytes.
 * @module
 */
import { canonicalJson } from './canonical.js';
import { checkInputs, fileNames, identifyFiles, readInputs, type CheckedInputs, type IdentifiedFiles, type IngestProgress, type InputFileLike, type ReadFileInfo, type ReadInputs } from './ingest.js';
import { itemsKey, itemsOf, reprice, type PricedItems } from './reprice.js';
import { RecoveryPbrError } from '../../src/errors.js';
import { compareCodePoint, type IsoDate } from '../../src/calendar/index.js';
import type { ClientResult } from '../../src/engine/index.js';
import { presenceOf, type ClientRecords } from '../../src/evidence/index.js';
import { OutcomeTally } from '../../src/output/outcome-tally.js';
import { runPartition } from '../../src/pipeline/run.js';
import { explainClient, type ClientExplanation } from '../../src/explain/index.js';
import { calibratePrices, type CalibrationOptions, type CalibrationResult } from '../../src/modelling/calibrate.js';
import { compareLines, type PaymentComparison } from '../../src/modelling/compare.js';
import { outcomeRulesKey } from '../../src/modelling/run.js';
import { forecastIncomeFrom, type ForecastOptions, type IncomeForecast } from '../../src/modelling/forecast.js';
import type { OutcomeDecision } from '../../src/outcomes/types.js';
import { outcomesCsv } from '../../src/output/outcomes.js';
import { rejectionLines } from '../../src/output/rejections.js';
import { inputSummaries, summaryJson, type OutcomeSummary, type RunSummary } from '../../src/output/summary.js';
import { paymentSummaryJson, paymentsCsv, type PaymentResult } from '../../src/payments/index.js';
import type { PaymentLine } from '../../src/payments/types.js';
import { rejectionTally, reportFromRun, type OutcomeBreakdown } from '../../src/report/index.js';
import { paysAnything } from '../../src/run/index.js';
import type { Scheme } from '../../src/schema/scheme/index.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Progress of a long step, for the page's progress bar. */
export interface Progress {
  phase: 'read' | 'check' | 'decide' | 'price';
  /** 0–1. */
  share: number;
  text: string;
}

/** Outcomes decided for one scheme's outcome rules on the checked data as known at asOf. */
export interface Decided {
  key: string;
  asOf: IsoDate;
  clients: ClientResult[];
  /** Each client's records, in the same order as `clients` (for explanations). */
  records: ClientRecords[];
  /** Every decision, client by client (outcomes.csv sorts them). */
  decisions: OutcomeDecision[];
  outcomes: OutcomeSummary;
  breakdown: OutcomeBreakdown;
}

/** `sha256:<hex>` of a value's canonical JSON (as the CLI's `sha256Json`). */
export function sha256Json(value: unknown): string {
  return `sha256:${bytesToHex(sha256(new TextEncoder().encode(canonicalJson(value))))}`;
}

/**
 * One person's work in the page: the files read, the checked data, the decided outcomes and the
 * payable items, each kept while what it depends on is unchanged.
 */
export class Session {
  private read: ReadInputs | undefined;
  private identified: IdentifiedFiles | undefined;
  private checked: { key: string; value: CheckedInputs } | undefined;
  /** Decided outcomes by asOf and outcome rules (the original scheme's and an edited one's, at most). */
  private decided = new Map<string, Decided>();
  /** Payable items by {@link itemsKey}, for the decided outcomes of the same rules. */
  private items = new Map<string, PricedItems & { decidedKey: string }>();
  /** Payments by decided outcomes and the scheme's payment sections (the original's stays while prices are edited). */
  private payments = new Map<string, PaymentResult>();

  constructor(readonly tool: { name: 'recovery-pbr'; version: string }) {}

  /**
   * Reads the files (every header checked first, R-VAL-3) and keeps the parsed rows; forgets what
   * was decided on earlier files. Throws a `RecoveryPbrError` when the files cannot be used.
   */
  async load(files: readonly InputFileLike[], onProgress?: (p: Progress) => void): Promise<{ identified: IdentifiedFiles; read: ReadInputs }> {
    const identified = identifyFiles(files);
    if (identified.errors.length > 0) {
      throw new RecoveryPbrError('data_folder', identified.errors.length === 1 ? identified.errors[0]! : `the files cannot be used:\n${identified.errors.map((e) => `  - ${e}`).join('\n')}`);
    }
    const read = await readInputs(identified.files, (p: IngestProgress) => onProgress?.({ phase: 'read', share: p.share, text: `Reading ${p.file}: ${p.rows.toLocaleString('en-GB')} rows` }));
    this.read = read;
    this.identified = identified;
    this.checked = undefined;
    this.decided.clear();
    this.items.clear();
    this.payments.clear();
    return { identified, read };
  }

  get loaded(): boolean {
    return this.read !== undefined;
  }

  /** The files read, in SPEC order. */
  files(): ReadFileInfo[] {
    return Object.values(this.read?.files ?? {}) as ReadFileInfo[];
  }

  /** Notes of the reading, in the CLI's order (look-alike file names, headers, then per file). */
  notes(): string[] {
    return [...(this.identified?.notes ?? []), ...(this.read?.notes ?? [])];
  }

  /** The rows checked across rows with this scheme's exit codes and review tolerance (kept while those stay the same). */
  check(scheme: Scheme): CheckedInputs {
    if (!this.read) throw new Error('no data loaded');
    const key = JSON.stringify([scheme.exitReasons, scheme.calendar.reviewToleranceDays]);
    if (this.checked?.key !== key) {
      this.checked = { key, value: checkInputs(this.read, scheme) };
      this.decided.clear();
      this.items.clear();
      this.payments.clear();
    }
    return this.checked.value;
  }

  /**
   * The outcomes of the scheme's rules as known at asOf, decided once: a scheme that differs only in
   * payments (prices, contract, payers) reuses them (R-PAY-2: no decision depends on a price).
   */
  decide(scheme: Scheme, asOf: IsoDate, onProgress?: (p: Progress) => void): Decided {
    const checked = this.check(scheme);
    const key = `${asOf}|${outcomeRulesKey(scheme)}`;
    const kept = this.decided.get(key);
    if (kept) return kept;
    // The core's run over the checked partition (as `recovery-pbr run`), keeping each client.
    const clients: ClientResult[] = [];
    const records: ClientRecords[] = [];
    const decisions: OutcomeDecision[] = [];
    const partial = runPartition(checked.partition, {
      scheme,
      asOf,
      present: presenceOf(checked.data),
      payments: false,
      onClient: (r, c) => {
        // Kept for explain: their drug tests are made when first read (the partition stays alive).
        records.push(r);
        clients.push(c);
        for (const d of c.decisions) decisions.push(d);
      },
      onProgress: (all, done) => onProgress?.({ phase: 'decide', share: all > 0 ? done / all : 1, text: `Deciding outcomes: ${done.toLocaleString('en-GB')} of ${all.toLocaleString('en-GB')} clients` }),
    });
    const tally = new OutcomeTally();
    tally.merge(partial.outcomes);
    const decided: Decided = { key, asOf, clients, records, decisions, outcomes: tally.summary(), breakdown: tally.breakdown() };
    // Two sets at most (the original scheme's rules and an edited one's): memory stays bounded.
    if (this.decided.size >= 2) {
      const oldest = this.decided.keys().next().value!;
      this.decided.delete(oldest);
      for (const [k, v] of this.items) if (v.decidedKey === oldest) this.items.delete(k);
      for (const k of this.payments.keys()) if (k.startsWith(`${oldest}|`)) this.payments.delete(k);
    }
    this.decided.set(key, decided);
    return decided;
  }

  /** Payments of a scheme on the decided outcomes: the kept items re-priced when only prices changed. */
  pay(scheme: Scheme, asOf: IsoDate): PaymentResult | undefined {
    if (!paysAnything(scheme)) return undefined;
    const d = this.decide(scheme, asOf);
    const payKey = `${d.key}|${canonicalJson([scheme.tariff, scheme.contract, scheme.payers, scheme.cohortTariff])}`;
    const kept = this.payments.get(payKey);
    if (kept) {
      // Most recently used last.
      this.payments.delete(payKey);
      this.payments.set(payKey, kept);
      return kept;
    }
    const key = `${d.key}|${itemsKey(scheme, asOf)}`;
    let items = this.items.get(key);
    if (!items) {
      if (this.items.size >= 4) this.items.delete(this.items.keys().next().value!);
      items = { ...itemsOf({ clients: d.clients }, scheme, asOf), decidedKey: d.key };
      this.items.set(key, items);
    }
    const result = reprice(items, scheme);
    if (this.payments.size >= 3) this.payments.delete(this.payments.keys().next().value!);
    this.payments.set(payKey, result);
    return result;
  }

  /** `summary.json` of a run, as `recovery-pbr run` writes it for the same files, scheme and asOf. */
  summary(scheme: Scheme, asOf: IsoDate, payments: PaymentResult | undefined): RunSummary {
    const checked = this.check(scheme);
    const d = this.decide(scheme, asOf);
    const files: Record<string, { file: string; hash: string; bytes: number }> = {};
    for (const [kind, f] of Object.entries(this.read!.files)) files[kind] = { file: f!.name, hash: f!.hash, bytes: f!.bytes };
    const { provenance: _provenance, ...rules } = scheme;
    const notes = this.notes();
    return {
      tool: this.tool,
      scheme: { id: scheme.id, version: scheme.version, title: scheme.title, hash: sha256Json(rules) },
      asOf,
      inputs: inputSummaries(checked.counts, files),
      rejected_total: checked.rejections.length,
      outcomes: d.outcomes,
      ...(payments ? { payments: paymentSummaryJson(payments) } : {}),
      ...(notes.length ? { notes } : {}),
    };
  }

  /** The files `recovery-pbr run --report report.html` writes for the same files, scheme and asOf, as text. */
  outputs(scheme: Scheme, asOf: IsoDate): RunOutputs {
    const checked = this.check(scheme);
    const d = this.decide(scheme, asOf);
    const payments = this.pay(scheme, asOf);
    const summary = this.summary(scheme, asOf, payments);
    const tally = rejectionTally();
    for (const r of checked.rejections) tally.add(r);
    return {
      'outcomes.csv': outcomesCsv(d.decisions),
      ...(payments ? { 'payments.csv': paymentsCsv(payments.rows) } : {}),
      'rejections.csv': this.rejectionsCsv(scheme),
      'summary.json': summaryJson(summary),
      'report.html': reportFromRun({ summary, scheme, outcomes: d.breakdown, payments, rejections: tally.result() }),
    };
  }

  /** `rejections.csv` of the loaded files under this scheme's checks. */
  rejectionsCsv(scheme: Scheme): string {
    return [...rejectionLines(this.check(scheme).rejections, fileNames(this.read!))].join('');
  }

  /**
   * The what-if: the edited scheme's payments beside the original's on the same data, and the
   * difference (B − A) per provider, type, outcome and band, as `recovery-pbr compare` computes it.
   */
  compare(original: Scheme, edited: Scheme, asOf: IsoDate): { a: PaymentResult; b: PaymentResult; diff: Pick<PaymentComparison, 'rows' | 'providers' | 'total'> } | undefined {
    const a = this.pay(original, asOf);
    const b = this.pay(edited, asOf);
    if (!a || !b) return undefined;
    return { a, b, diff: compareLines(a.lines, b.lines) };
  }

  /** Calibrates the scheme's outcome prices to a budget on the decided outcomes (the core's `calibratePrices`). */
  calibrate(scheme: Scheme, options: CalibrationOptions): CalibrationResult {
    const d = this.decide(scheme, options.asOf);
    return calibratePrices({ clients: d.clients }, scheme, options);
  }

  /** A provider's income forecast from the decided outcomes (the core's `forecastIncomeFrom`). */
  forecast(scheme: Scheme, options: ForecastOptions): IncomeForecast {
    const d = this.decide(scheme, options.asOf);
    return forecastIncomeFrom({ clients: d.clients }, scheme, options);
  }

  /**
   * Why a client was (not) paid: journeys, outcomes with their rules, windows and evidence, and
   * the client's payment lines (what was paid, when, and what was cut or not paid).
   */
  explain(scheme: Scheme, asOf: IsoDate, clientId: string): { explanation: ClientExplanation; lines: PaymentLine[] } | undefined {
    const d = this.decide(scheme, asOf);
    const i = indexOf(d.clients, clientId);
    if (i < 0) return undefined;
    const explanation = explainClient(d.clients[i]!, scheme, asOf, { records: d.records[i]! });
    const payments = this.pay(scheme, asOf);
    const lines = (payments?.lines ?? []).filter((l) => l.client_id === clientId);
    return { explanation, lines };
  }

  /** Client ids that start with `prefix` (for the explain search), at most `limit`. */
  clientsLike(scheme: Scheme, asOf: IsoDate, prefix: string, limit = 20): string[] {
    const d = this.decide(scheme, asOf);
    const out: string[] = [];
    for (const c of d.clients) {
      if (c.client_id.startsWith(prefix)) out.push(c.client_id);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/** The files a run writes. */
export interface RunOutputs {
  'outcomes.csv': string;
  'payments.csv'?: string;
  'rejections.csv': string;
  'summary.json': string;
  'report.html': string;
}

/** Index of a client in clients sorted by client_id (code point order), or -1. */
function indexOf(clients: readonly ClientResult[], id: string): number {
  let lo = 0;
  let hi = clients.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareCodePoint(clients[mid]!.client_id, id);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
