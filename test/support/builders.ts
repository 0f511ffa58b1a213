/**
 * Readable builders for test fixtures: one client's episodes and evidence, a scheme of a few
 * outcomes, and a one-call evaluation.
 */
import type { Dataset } from '../../src/schema/dataset.js';
import type { Client, DrugTest, EmploymentSpell, Episode, Located, Offence, Review } from '../../src/schema/records.js';
import { loadScheme, type Scheme } from '../../src/schema/scheme/index.js';
import { evaluateDataset } from '../../src/engine/index.js';
import type { OutcomeDecision } from '../../src/outcomes/types.js';

let row = 1;
const nextRow = () => ++row;

/** An episode of client C1 at provider P1, area A1, alcohol, band 1; discharged when `end` is given. */
export function episode(id: string, start: string, end?: string, over: Partial<Located<Episode>> = {}): Located<Episode> {
  return {
    episode_id: id,
    client_id: 'C1',
    provider_id: 'P1',
    area_code: 'A1',
    substances: ['alcohol'],
    start_date: start,
    discharge_date: end,
    exit_reason: end === undefined ? undefined : 'completed_alcohol_free',
    tariff_band: '1',
    substitute_medication_at_exit: end === undefined ? undefined : false,
    age_at_start: 35,
    injecting_at_start: false,
    row: nextRow(),
    ...over,
  };
}

/** An opiate episode (opiates cited, band 2), off substitute medication at exit unless told otherwise. */
export function opiateEpisode(id: string, start: string, end?: string, over: Partial<Located<Episode>> = {}): Located<Episode> {
  return episode(id, start, end, {
    substances: ['opiates'],
    exit_reason: end === undefined ? undefined : 'completed_drug_free',
    tariff_band: '2',
    ...over,
  });
}

/** A TOP review of `episodeId` with the given counts and scores (blank unless given). */
export function review(episodeId: string, date: string, stage: Review['stage'], fields: Partial<Located<Review>> = {}): Located<Review> {
  return {
    client_id: 'C1',
    episode_id: episodeId,
    date,
    stage,
    days_opiates: undefined,
    days_crack: undefined,
    days_cocaine: undefined,
    days_amphetamines: undefined,
    days_cannabis: undefined,
    days_other_drugs: undefined,
    days_alcohol: undefined,
    days_injected: undefined,
    days_paid_work: undefined,
    days_acquisitive_crime: undefined,
    quality_of_life: undefined,
    psychological_health: undefined,
    physical_health: undefined,
    housing_problem: undefined,
    row: nextRow(),
    ...fields,
  };
}

/** A drug test of client C1. */
export function drugTest(date: string, substance: DrugTest['substance'], result: DrugTest['result'], client_id = 'C1'): Located<DrugTest> {
  return { client_id, date, substance, result, row: nextRow() };
}

/** A proven offence of client C1. */
export function offence(date: string, category: Offence['category'] = 'acquisitive', client_id = 'C1'): Located<Offence> {
  return { client_id, offence_date: date, category, row: nextRow() };
}

/** A spell in work of client C1 (ongoing when `end` is undefined), 37.5 hours a week by default; `null` = hours blank. */
export function job(start: string, end?: string, hours: number | null = 37.5, client_id = 'C1'): Located<EmploymentSpell> {
  return { client_id, start_date: start, end_date: end, hours_per_week: hours ?? undefined, row: nextRow() };
}

/** The clients row of a client who died on `date`. */
export function died(date: string, client_id = 'C1'): Located<Client> {
  return { client_id, date_of_death: date, row: nextRow() };
}

/** A dataset with every evidence file present (empty unless given). */
export function dataset(parts: Partial<Dataset> & { episodes: Located<Episode>[] }): Dataset {
  return { reviews: [], drug_tests: [], offences: [], employment: [], clients: [], ...parts };
}

/** A scheme with the given outcome definitions (raw JSON form). */
export function schemeOf(outcomes: unknown[], extra: Record<string, unknown> = {}): Scheme {
  return loadScheme({ id: 'test', version: '1', title: 'test scheme', outcomes, ...extra });
}

/** A scheme with one outcome `o` made of the given primitives. */
export function oneOutcome(...primitives: unknown[]): Scheme {
  return schemeOf([{ id: 'o', title: 'o', primitives }]);
}

/** Evaluates and returns every decision, in output order. */
export function decisions(data: Dataset, scheme: Scheme, asOf: string): OutcomeDecision[] {
  return evaluateDataset(data, scheme, { asOf }).clients.flatMap((c) => c.decisions);
}

/** The decision of outcome `outcomeId` (default `o`) for journey `journeyId` (default: the first). */
export function decide(data: Dataset, scheme: Scheme, asOf: string, outcomeId = 'o', journeyId?: string): OutcomeDecision {
  const all = decisions(data, scheme, asOf).filter((d) => d.outcome_id === outcomeId);
  const d = journeyId === undefined ? all[0] : all.find((x) => x.journey_id === journeyId);
  if (!d) throw new Error(`no decision for ${outcomeId} / ${journeyId ?? 'first journey'}`);
  return d;
}

/** status, achieved_on, due_on and reason of a decision, for compact assertions. */
export function brief(d: OutcomeDecision): { status: string; achieved_on?: string; due_on?: string; reason?: string } {
  const out: { status: string; achieved_on?: string; due_on?: string; reason?: string } = { status: d.status };
  if (d.achieved_on) out.achieved_on = d.achieved_on;
  if (d.due_on) out.due_on = d.due_on;
  if (d.reason) out.reason = d.reason;
  return out;
}
