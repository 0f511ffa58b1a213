/**
 * The run of a scheme over a checked partition: every client evaluated (`evaluateClient`, the one
 * per-client kernel), its `outcomes.csv` lines handed out in client_id order, its decisions counted
 * and its payments tallied. What comes back merges with other partitions' (counts add, payment
 * tallies merge), so a partitioned run gives what one pass gives. Browser-safe.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import { evaluateClient, type ClientResult } from '../engine/index.js';
import type { ClientRecords, EvidencePresence } from '../evidence/index.js';
import { OutcomeTally, type OutcomeTallyJson } from '../output/outcome-tally.js';
import { writeOutcomeLines, type ByteSink } from '../output/outcomes.js';
import { paymentTally, type PaymentTally, type PaymentTallyJson } from '../payments/stream.js';
import type { PaymentLine } from '../payments/types.js';
import type { Scheme } from '../schema/scheme/index.js';
import { eachClient, partitionClients, type CheckedPartition, type ClientVisitor } from './partition.js';

/**
 * Whether a scheme says anything about money (a tariff, a contract or a cohort tariff).
 * @example paysAnything(presetScheme('national-model-2012')) // true
 */
export function paysAnything(scheme: Pick<Scheme, 'tariff' | 'contract' | 'cohortTariff'>): boolean {
  return scheme.tariff !== undefined || scheme.contract !== undefined || scheme.cohortTariff !== undefined;
}

/** What a partition's run hands back (plain data, for another thread). */
export interface RunPartial {
  outcomes: OutcomeTallyJson;
  payments: PaymentTallyJson | undefined;
}

/** Options of {@link runPartition}. */
export interface RunPartitionOptions {
  scheme: Scheme;
  asOf: IsoDate;
  /** Which optional files were supplied (R-OUT-11). */
  present: EvidencePresence;
  /** Receives the partition's `outcomes.csv` lines as UTF-8 bytes, client by client (client_id order). */
  lines?: ByteSink;
  /**
   * Sees each client's records and result (e.g. to keep them for the library's result). The
   * records' `drug_tests` is made when first read (a getter): read it before copying the records.
   */
  onClient?: (records: ClientRecords, result: ClientResult) => void;
  /** Hears how far the run is: clients of the partition, clients done, journeys decided (every 1,000 clients). */
  onProgress?: (clients: number, done: number, journeys: number) => void;
  /**
   * Whether each result carries its explanation: notes, evidence, windows (EvaluateOptions.explain).
   * Default false: a run writes statuses, dates and reasons alone, so it decides without the words;
   * a caller that keeps results to show them (`onClient`) asks for true.
   */
  explain?: boolean;
  /** Tally payments (default: when the scheme pays anything). */
  payments?: boolean;
}

/**
 * Evaluates every client of a checked partition and tallies the run.
 * @example const partial = runPartition(checked, { scheme, asOf: '2015-03-31', present, lines: sink })
 */
export function runPartition(checked: CheckedPartition, options: RunPartitionOptions): RunPartial {
  const run = new PartitionRun(options);
  // The records go straight to the rules: a client's drug tests are made only if a rule reads them.
  eachClient(partitionClients(checked, (n) => (run.clients = n), { testsOnFirstRead: true }), run);
  const { tally, payments } = run;
  options.onProgress?.(run.clients, run.clients, tally.journeys);
  return { outcomes: tally.toJSON(), payments: payments?.toJSON() };
}

/** One client after another of a partition's run (see eachClient). */
class PartitionRun implements ClientVisitor {
  readonly tally = new OutcomeTally();
  readonly payments: PaymentTally | undefined;
  /** Clients of the partition (told when the partition's clients are counted). */
  clients = 0;
  private done = 0;
  private readonly scheme: Scheme;
  private readonly evaluate: { asOf: IsoDate; present: EvidencePresence; explain: boolean };
  private readonly lines: ByteSink | undefined;
  private readonly onClient: RunPartitionOptions['onClient'];
  private readonly onProgress: RunPartitionOptions['onProgress'];

  constructor(options: RunPartitionOptions) {
    const { scheme, asOf, present } = options;
    this.scheme = scheme;
    this.payments = (options.payments ?? true) && paysAnything(scheme) ? paymentTally(scheme, asOf) : undefined;
    this.evaluate = { asOf, present, explain: options.explain ?? false };
    this.lines = options.lines;
    this.onClient = options.onClient;
    this.onProgress = options.onProgress;
  }

  add(records: ClientRecords): void {
    if (this.onProgress && ++this.done % 1000 === 0) this.onProgress(this.clients, this.done, this.tally.journeys);
    if (records.episodes.length === 0) return; // no journey, so no outcome and no payment
    const result = evaluateClient(records, this.scheme, this.evaluate);
    this.tally.addClient(result);
    this.payments?.addClient(result);
    if (this.lines) writeOutcomeLines(result.decisions, this.lines);
    this.onClient?.(records, result);
  }
}

/**
 * The totals of a run from its partitions' partials, added one at a time in partition order:
 * outcome counts, and payments when the scheme pays anything. A partitioned run adds each
 * partition's partial as soon as it and those before it are done, so that little of the merging is
 * left for the end, when the other threads are idle.
 * @example const m = new RunMerger(scheme, asOf); m.add(partial0); m.add(partial1); const { outcomes, payments } = m.result()
 */
export class RunMerger {
  private readonly tally = new OutcomeTally();
  private readonly payments: PaymentTally | undefined;
  private count = 0;

  constructor(scheme: Scheme, asOf: IsoDate) {
    this.payments = paysAnything(scheme) ? paymentTally(scheme, asOf) : undefined;
  }

  /** Adds the next partition's partial. */
  add(p: RunPartial): void {
    this.tally.merge(p.outcomes);
    if (p.payments) this.payments?.merge(p.payments);
    this.count++;
  }

  /** Partials added so far. */
  get added(): number {
    return this.count;
  }

  private resulted = false;

  /** The totals of the partials added (asked once: the payments' end adds the fixed payments). */
  result(onCappedLine?: (line: PaymentLine) => void) {
    if (this.resulted) throw new Error('internal error: a run merger asked for its result twice');
    this.resulted = true;
    return { outcomes: this.tally.summary(), breakdown: this.tally.breakdown(), payments: this.payments?.result(onCappedLine) };
  }
}
