/**
 * Modelling over a partition (issue #10: what-if, calibration, forecasts and the Health Premium at
 * national scale): several schemes on the same clients in one pass, each client's outcomes decided
 * once per set of outcome rules (no decision depends on a price), and only mergeable tallies kept —
 * payments, payable items, forecast observations, outcome counts, Health Premium indicators. Tallies
 * of partitions merge into the tally of the whole data set. Browser-safe.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import { evaluateClient, type ClientResult } from '../engine/index.js';
import type { ClientRecords, EvidencePresence } from '../evidence/index.js';
import { indicatorTally, type CountedIndicators, type IndicatorPeriods, type IndicatorTallyJson } from '../health-premium/tally.js';
import { forecastTally, type ForecastInput } from './forecast.js';
import { payableSummaryTally, type PayableSummary } from './payables.js';
import { outcomeRulesKey } from './run.js';
import { OutcomeTally, type OutcomeBreakdown, type OutcomeTallyJson } from '../output/outcome-tally.js';
import type { OutcomeSummary } from '../output/summary.js';
import { paymentTally, type TallyResult } from '../payments/stream.js';
import type { Scheme } from '../schema/scheme/index.js';
import { eachClient, partitionClients, type CheckedPartition, type ClientVisitor } from '../pipeline/partition.js';

/** One tally to keep, on the outcomes of scheme number `scheme` (its index in the job's schemes). */
export type TallySpec =
  | { kind: 'outcomes'; scheme: number }
  | { kind: 'payments'; scheme: number }
  | { kind: 'payables'; scheme: number }
  | { kind: 'forecast'; scheme: number }
  | { kind: 'indicators'; scheme: number; periods: IndicatorPeriods };

/** What a modelling pass does: the schemes, the date, the tallies. */
export interface ModelJob {
  schemes: Scheme[];
  asOf: IsoDate;
  tallies: TallySpec[];
}

/** The result of one tally, by its kind. */
export type TallyOutput =
  | { kind: 'outcomes'; summary: OutcomeSummary; breakdown: OutcomeBreakdown }
  | { kind: 'payments'; result: TallyResult }
  | { kind: 'payables'; result: PayableSummary }
  | { kind: 'forecast'; result: ForecastInput }
  | { kind: 'indicators'; result: CountedIndicators };

type AnyTally = {
  add(records: ClientRecords, result: () => ClientResult, present: EvidencePresence): void;
  toJSON(): unknown;
  merge(json: unknown): void;
  result(): TallyOutput;
};

/** A tally fed with each client's result (payments, payable items, forecast observations). */
function ofResults<J, R>(
  t: { addClient(c: ClientResult): void; toJSON(): J; merge(j: J): void; result(): R },
  output: (result: R) => TallyOutput,
): AnyTally {
  return {
    add: (_records, result) => t.addClient(result()),
    toJSON: () => t.toJSON(),
    merge: (j) => t.merge(j as J),
    result: () => output(t.result()),
  };
}

function makeTally(spec: TallySpec, job: ModelJob): AnyTally {
  const scheme = job.schemes[spec.scheme]!;
  switch (spec.kind) {
    case 'outcomes': {
      const t = new OutcomeTally();
      return {
        add: (records, result) => t.addClient(result()),
        toJSON: () => t.toJSON(),
        merge: (j) => t.merge(j as OutcomeTallyJson),
        result: () => ({ kind: 'outcomes', summary: t.summary(), breakdown: t.breakdown() }),
      };
    }
    // Tallies of a client's decided outcomes: added from the client's result, merged as plain data.
    case 'payments':
      return ofResults(paymentTally(scheme, job.asOf), (result) => ({ kind: 'payments', result }));
    case 'payables':
      return ofResults(payableSummaryTally(scheme, job.asOf), (result) => ({ kind: 'payables', result }));
    case 'forecast':
      return ofResults(forecastTally(scheme, job.asOf), (result) => ({ kind: 'forecast', result }));
    case 'indicators': {
      if (!scheme.healthPremium) throw new RangeError(`scheme '${scheme.id}' has no healthPremium section`);
      const t = indicatorTally({ ...scheme, healthPremium: scheme.healthPremium }, spec.periods);
      return {
        add: (records, _result, present) => t.addClient(records, present),
        toJSON: () => t.toJSON(),
        merge: (j) => t.merge(j as IndicatorTallyJson),
        result: () => ({ kind: 'indicators', result: t.result() }),
      };
    }
  }
}

/**
 * Runs a modelling job over a checked partition: returns each tally as plain data (for another
 * thread), in the job's order.
 * @example const partial = modelPartition(checked, { schemes: [a, b], asOf, tallies: [{ kind: 'payments', scheme: 0 }, { kind: 'payments', scheme: 1 }] }, present)
 */
export function modelPartition(checked: CheckedPartition, job: ModelJob, present: EvidencePresence, onProgress?: (clients: number, done: number) => void): unknown[] {
  const run = new ModelRun(job, present, onProgress);
  // Records for the rules and the tallies alone: a client's drug tests are made only if read.
  eachClient(partitionClients(checked, (n) => (run.clients = n), { testsOnFirstRead: true }), run);
  onProgress?.(run.clients, run.clients);
  return run.tallies.map((t) => t.toJSON());
}

/** One client after another of a partition's modelling job (see eachClient). */
class ModelRun implements ClientVisitor {
  readonly tallies: AnyTally[];
  /** Clients of the partition (told when the partition's clients are counted). */
  clients = 0;
  private done = 0;
  /** For each scheme, the first scheme that decides outcomes alike: they share one evaluation (only their prices differ). */
  private readonly first: number[];

  constructor(
    private readonly job: ModelJob,
    private readonly present: EvidencePresence,
    private readonly onProgress: ((clients: number, done: number) => void) | undefined,
  ) {
    this.tallies = job.tallies.map((t) => makeTally(t, job));
    const keys = job.schemes.map(outcomeRulesKey);
    this.first = keys.map((k) => keys.indexOf(k));
  }

  add(records: ClientRecords): void {
    if (this.onProgress && ++this.done % 1000 === 0) this.onProgress(this.clients, this.done);
    if (records.episodes.length === 0) return; // no journey: no outcome, no payment, no indicator
    const { job, present, first } = this;
    const results = new Map<number, ClientResult>();
    const resultOf = (i: number) => () => {
      const k = first[i]!;
      let r = results.get(k);
      // Tallies read statuses, dates, reasons and the steps' dates: no notes, evidence or windows.
      if (!r) results.set(k, (r = evaluateClient(records, job.schemes[k]!, { asOf: job.asOf, present, explain: false })));
      return r;
    };
    job.tallies.forEach((spec, i) => this.tallies[i]!.add(records, resultOf(spec.scheme), present));
  }
}

/**
 * The tallies of a modelling job from its partitions' plain data, merged, with their results.
 * @example const [a, b] = mergeModel(job, partials)
 */
export function mergeModel(job: ModelJob, partials: readonly (readonly unknown[])[]): TallyOutput[] {
  return job.tallies.map((spec, i) => {
    const t = makeTally(spec, job);
    for (const p of partials) t.merge(p[i]);
    return t.result();
  });
}
