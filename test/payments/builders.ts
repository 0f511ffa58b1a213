/**
 * Readable fixtures for payment tests: episodes, journeys, outcome decisions and schemes.
 */
import { buildJourneys, type Journey } from '../../src/journeys/index.js';
import type { OutcomeDecision } from '../../src/outcomes/types.js';
import type { ReasonCode } from '../../src/schema/codes.js';
import type { Episode, Located } from '../../src/schema/records.js';
import { mergeSchemeDocuments, parseScheme, type Scheme } from '../../src/schema/scheme/index.js';
import type { ClientOutcomes } from '../../src/payments/types.js';

/** An episode: `episode({ id: 'E1', client: 'C1', provider: 'P1', start: '2012-05-01', band: '2' })`. */
export function episode(p: {
  id: string;
  client?: string;
  provider?: string;
  area?: string;
  start: string;
  end?: string;
  exit?: string;
  band?: string;
}): Located<Episode> {
  return {
    episode_id: p.id,
    client_id: p.client ?? 'C1',
    provider_id: p.provider ?? 'P1',
    area_code: p.area ?? 'A1',
    substances: ['opiates'],
    start_date: p.start,
    discharge_date: p.end,
    exit_reason: p.end ? (p.exit ?? 'completed_drug_free') : undefined,
    tariff_band: p.band,
    substitute_medication_at_exit: p.end ? false : undefined,
    age_at_start: 30,
    injecting_at_start: false,
  } as Located<Episode>;
}

/** The single journey of some episodes (all of one client). */
export function journey(...episodes: Located<Episode>[]): Journey {
  const js = buildJourneys(episodes);
  if (js.length !== 1) throw new Error(`expected one journey, got ${js.length}`);
  return js[0]!;
}

/** A met decision: `met(j, 'ffd', '2013-01-10', { provider: 'P2', sustainment: [...] })`. */
export function met(j: Journey, outcome: string, achieved_on: string, o: { provider?: string; sustainment?: string[] } = {}): OutcomeDecision {
  return decision(j, outcome, 'met', { achieved_on, ...o });
}

/** Any decision of a journey's outcome. */
export function decision(
  j: Journey,
  outcome: string,
  status: OutcomeDecision['status'],
  o: { achieved_on?: string; provider?: string; sustainment?: string[]; reason?: ReasonCode } = {},
): OutcomeDecision {
  return {
    client_id: j.client_id,
    journey_id: j.journey_id,
    outcome_id: outcome,
    provider_id: o.provider ?? j.current_episode.provider_id,
    area_code: j.current_episode.area_code,
    substance_group: j.substance_group,
    tariff_band: j.tariff_band,
    status,
    achieved_on: status === 'met' ? o.achieved_on : undefined,
    due_on: undefined,
    reason: status === 'met' ? undefined : (o.reason ?? 'unsuccessful_exit'),
    sustainment: o.sustainment ?? [],
    steps: [],
  };
}

/** A client's journeys and decisions (client id taken from the first journey). */
export function client(journeys: Journey[], decisions: OutcomeDecision[] = []): ClientOutcomes {
  return { client_id: journeys[0]?.client_id ?? 'C?', journeys, decisions };
}

/** Groups journeys and decisions by client, as the engine returns them. */
export function byClient(journeys: Journey[], decisions: OutcomeDecision[] = []): ClientOutcomes[] {
  const ids = [...new Set(journeys.map((j) => j.client_id))];
  return ids.map((id) => ({
    client_id: id,
    journeys: journeys.filter((j) => j.client_id === id),
    decisions: decisions.filter((d) => d.client_id === id),
  }));
}

/** Outcomes used by the test schemes: `ffd` (R-OUT-1 + R-OUT-2), `abst` (R-OUT-3), `emp` (R-OUT-5 with sustainment). */
export const TEST_OUTCOMES = [
  { id: 'ffd', title: 'Free from dependence', primitives: [{ type: 'successful_completion' }, { type: 'no_representation', months: 6 }] },
  { id: 'abst', title: 'Abstinent at exit', primitives: [{ type: 'abstinence', at: 'exit' }] },
  {
    id: 'emp',
    title: 'Sustained employment',
    primitives: [{ type: 'sustained_employment', weeks: 13, minHoursPerWeek: 16, withinMonths: 12, sustainment: { everyWeeks: 4, maxPayments: 20 } }],
  },
];

/** Removes keys set to null (so an override can drop a part of the base scheme). */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
}

/**
 * A base test scheme (bands 1–3, attachment and outcome prices, quarterly from 2012-04-01), with
 * overrides merged on; an override value of null removes that key.
 */
export function testScheme(override: Record<string, unknown> = {}): Scheme {
  const base = {
    id: 'test',
    version: '1',
    title: 'Test scheme',
    outcomes: TEST_OUTCOMES,
    tariff: {
      bands: ['1', '2', '3'],
      attachment: { '1': '100.00', '2': '150.00', '3': '200.00' },
      outcomes: { ffd: { '1': '1000.00', '2': '1500.00', '3': '2000.00' }, abst: { '1': '500.00', '2': '750.00', '3': '1000.00' } },
    },
    contract: { start: '2012-04-01', period: 'quarterly' },
  };
  const r = parseScheme(dropNulls(mergeSchemeDocuments(base, override)));
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.scheme;
}
