/**
 * The engine: from a validated dataset and a scheme to journeys and outcome decisions for every
 * client, as known at asOf. Pure: the same inputs give the same results whatever their order.
 * @module
 */
import { compareCodePoint, sortInPlace, type IsoDate } from '../calendar/index.js';
import { evidenceAsOf, groupByClient, presenceOf, type ClientRecords, type EvidencePresence } from '../evidence/index.js';
import { buildJourneys, type Journey } from '../journeys/index.js';
import type { Dataset } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import type { OutcomeContext } from '../outcomes/context.js';
import { decideJourney, journeyPlan } from '../outcomes/decide.js';
import type { OutcomeDecision } from '../outcomes/types.js';

/** Options of an evaluation. */
export interface EvaluateOptions {
  /** The run's date: the world as it was known that day (R-CAL-2). */
  asOf: IsoDate;
  /**
   * Whether decisions carry their explanation — each step's note, evidence and windows (default
   * true). false: the same decisions and steps with those left empty, for runs that write only
   * statuses, dates and reasons (OutcomeContext.explain).
   */
  explain?: boolean;
}

/** One client's journeys and outcome decisions. */
export interface ClientResult {
  client_id: string;
  journeys: Journey[];
  /** Sorted by journey_id, then outcome_id (code point order). */
  decisions: OutcomeDecision[];
  /** Date of death known at asOf. */
  date_of_death: IsoDate | undefined;
}

/**
 * Evaluates one client: journeys (R-JNY) and every outcome of the scheme for every journey (R-OUT).
 * `present` says which optional files were supplied (R-OUT-11).
 * @example evaluateClient(records, scheme, { asOf: '2015-03-31', present })
 */
export function evaluateClient(
  records: ClientRecords,
  scheme: Scheme,
  options: EvaluateOptions & { present: EvidencePresence },
): ClientResult {
  const { asOf } = options;
  const journeys = buildJourneys(records.episodes, {
    asOf,
    journeyGapDays: scheme.calendar.journeyGapDays,
    exitReasonMap: scheme.exitReasons,
  });
  const evidence = evidenceAsOf(records, options.present, asOf);
  const order = journeyPlan(scheme).idOrder;
  // Made at its length (a list grown by push from empty takes room for 17 at once, then half as
  // much again each time): a client's decisions are a few, made for a million clients.
  const decisions: OutcomeDecision[] = new Array(journeys.length * order.length);
  let at = 0;
  for (const journey of journeys) {
    const ctx: OutcomeContext = { journey, journeys, evidence, asOf, journeyGapDays: scheme.calendar.journeyGapDays, explain: options.explain };
    const own = decideJourney(ctx, scheme);
    for (let i = 0; i < order.length; i++) decisions[at++] = own[order[i]!]!;
  }
  // Each journey's decisions are in outcome order already; journeys come in start order, which is
  // mostly journey order too (and always when there is one), so this rarely moves anything.
  sortInPlace(decisions, byJourneyThenOutcome);
  return { client_id: records.client_id, journeys, decisions, date_of_death: evidence.date_of_death };
}

function byJourneyThenOutcome(a: OutcomeDecision, b: OutcomeDecision): number {
  return compareCodePoint(a.journey_id, b.journey_id) || compareCodePoint(a.outcome_id, b.outcome_id);
}

/**
 * Evaluates a whole (validated) dataset: every client in client_id order.
 * @example
 * const { clients } = evaluateDataset(data, presetScheme('national-model-2012'), { asOf: '2015-03-31' });
 * clients[0].decisions[0].status // 'met' | 'not_met' | 'not_eligible' | 'pending'
 */
export function evaluateDataset(data: Dataset, scheme: Scheme, options: EvaluateOptions): { clients: ClientResult[] } {
  const present = presenceOf(data);
  return { clients: groupByClient(data).map((c) => evaluateClient(c, scheme, { ...options, present })) };
}
