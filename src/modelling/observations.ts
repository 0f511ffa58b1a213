/**
 * What a forecast learns from a run (issue #12, #10): the outcome decisions observed as known at
 * asOf, summed client by client into counts that merge.
 *
 * - Decided outcomes (`met`, `not_met`, `not_eligible`) per journey provider (the provider of the
 *   journey's first episode, R-JNY-4), outcome and band (the journey's band, else the tariff's
 *   default band), counted by the number of days from journey start to the decision: achieved_on
 *   for a met outcome, the day the failure became certain for the others (R-CAL-5). Rates are
 *   met ÷ decided; counting by day also gives the rate among journeys still undecided a given
 *   number of days after their start, which is what an outcome pending at asOf faces.
 * - Delays of met outcomes per journey provider and outcome: days from journey start to
 *   achieved_on, and to each sustainment payment (R-OUT-5), as a count per distinct profile.
 * - Outcomes pending at asOf (R-CAL-2), per provider they would be paid to (the decision's
 *   provider: the journey's current one), outcome, band, journey start, due date and reason.
 * @module
 */
import { compareCodePoint, toDayNumber, type IsoDate } from '../calendar/index.js';
import type { Journey } from '../journeys/index.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import type { ClientOutcomes } from '../payments/types.js';

/** One delay profile of met outcomes: days from journey start to achieved_on and to each sustainment payment, and how often it was seen. */
export interface DelayProfile {
  lag: number;
  sustainment: number[];
  count: number;
}

/** Outcomes pending at asOf that share provider, outcome, band, journey start, due date and reason. */
export interface PendingOutcomes {
  /** Provider the outcome would be paid to (the decision's provider, R-JNY-4). */
  provider_id: string;
  outcome_id: string;
  /** The journey's band, else the tariff's default band; '' when neither (unbanded, R-PAY-2). */
  tariff_band: string;
  /** Journey start. */
  start: IsoDate;
  /** The day the outcome becomes decidable; undefined while it waits on the journey's end (`in_treatment`). */
  due_on: IsoDate | undefined;
  /** R-OUT-12 reason it is pending (`in_treatment`, `window_open`, `gateway_pending`). */
  reason: string;
  count: number;
}

/** The observations a forecast uses (see the module notes). */
export interface ObservedOutcomes {
  asOf: IsoDate;
  /** `provider \0 outcome \0 band` → days from journey start to the decision → [met, decided]. */
  decided: Map<string, Map<number, [number, number]>>;
  /** `provider \0 outcome` → delay profiles of met outcomes, sorted by lag then sustainment days. */
  delays: Map<string, DelayProfile[]>;
  /** Pending outcomes, sorted by provider, outcome, band, start, due date, reason. */
  pending: PendingOutcomes[];
  /** Providers of any episode seen, sorted. */
  providers: string[];
}

/** An {@link ObservationTally} as plain data. */
export interface ObservationJson {
  asOf: IsoDate;
  /** [provider, outcome, band, days, met, decided] */
  decided: [string, string, string, number, number, number][];
  /** [provider, outcome, lag, sustainment days, count] */
  delays: [string, string, number, number[], number][];
  /** [provider, outcome, band, start, due_on ('' = none), reason, count] */
  pending: [string, string, string, IsoDate, string, string, number][];
  providers: string[];
}

/** Observations of some clients, mergeable with those of others. */
export interface ObservationTally {
  addClient(client: ClientOutcomes): void;
  merge(other: ObservationJson): void;
  toJSON(): ObservationJson;
  result(): ObservedOutcomes;
}

const SEP = '\u0000';

/**
 * The day a decided outcome became certain: achieved_on when met; otherwise the earliest day a
 * failing step (population, primitive, gateway, death) became certain (R-CAL-5); without steps,
 * the journey's end, else its start.
 * @example decidedOn(decision, journey) // '2013-10-02'
 */
export function decidedOn(d: OutcomeDecision, j: Pick<Journey, 'start_date' | 'end_date'>): IsoDate {
  if (d.status === 'met' && d.achieved_on !== undefined) return d.achieved_on;
  let first: IsoDate | undefined;
  for (const s of d.steps) {
    if ((s.status === 'not_met' || s.status === 'not_eligible') && s.decided_on !== undefined && (first === undefined || s.decided_on < first)) first = s.decided_on;
  }
  return first ?? j.end_date ?? j.start_date;
}

/**
 * A tally of what a forecast needs from a run, to which clients are added one at a time.
 * @example
 * const t = observationTally(scheme.tariff?.defaultBand, '2015-03-31');
 * for (const c of clients) t.addClient(c);
 * const observed = t.result();
 */
export function observationTally(defaultBand: string | undefined, asOf: IsoDate): ObservationTally {
  const decided = new Map<string, Map<number, [number, number]>>();
  const delays = new Map<string, Map<string, number>>();
  const pending = new Map<string, number>();
  const providers = new Set<string>();
  const addDecided = (k: string, days: number, met: number, n: number) => {
    let byDay = decided.get(k);
    if (!byDay) decided.set(k, (byDay = new Map()));
    const v = byDay.get(days);
    if (v) {
      v[0] += met;
      v[1] += n;
    } else byDay.set(days, [met, n]);
  };
  const addDelay = (k: string, profile: string, n: number) => {
    let m = delays.get(k);
    if (!m) delays.set(k, (m = new Map()));
    m.set(profile, (m.get(profile) ?? 0) + n);
  };
  const addPending = (k: string, n: number) => pending.set(k, (pending.get(k) ?? 0) + n);

  return {
    addClient(c) {
      const journeys = new Map<string, Journey>();
      for (const j of c.journeys) {
        journeys.set(j.journey_id, j as Journey);
        for (const e of j.episodes) providers.add(e.provider_id);
      }
      for (const d of c.decisions) {
        const j = journeys.get(d.journey_id);
        if (!j) continue;
        const band = j.tariff_band ?? defaultBand;
        if (d.status === 'pending') {
          addPending([d.provider_id, d.outcome_id, band ?? '', j.start_date, d.due_on ?? '', d.reason ?? ''].join(SEP), 1);
          continue;
        }
        const provider = j.first_episode.provider_id;
        const start = toDayNumber(j.start_date);
        const isMet = d.status === 'met' && d.achieved_on !== undefined;
        if (band !== undefined) addDecided([provider, d.outcome_id, band].join(SEP), toDayNumber(decidedOn(d, j)) - start, isMet ? 1 : 0, 1);
        if (isMet) {
          const sustainment = d.sustainment.map((s) => toDayNumber(s) - start).sort((a, b) => a - b);
          addDelay(provider + SEP + d.outcome_id, `${toDayNumber(d.achieved_on!) - start}:${sustainment.join(',')}`, 1);
        }
      }
    },
    merge(o) {
      if (o.asOf !== asOf) throw new RangeError(`cannot merge observations as of ${o.asOf} into those as of ${asOf}`);
      for (const [p, out, b, days, met, n] of o.decided) addDecided([p, out, b].join(SEP), days, met, n);
      for (const [p, out, lag, sus, n] of o.delays) addDelay(p + SEP + out, `${lag}:${sus.join(',')}`, n);
      for (const [p, out, b, start, due, reason, n] of o.pending) addPending([p, out, b, start, due, reason].join(SEP), n);
      for (const p of o.providers) providers.add(p);
    },
    toJSON() {
      const d: ObservationJson['decided'] = [];
      for (const [k, byDay] of decided) {
        const [p, out, b] = k.split(SEP) as [string, string, string];
        for (const [days, [met, n]] of byDay) d.push([p, out, b, days, met, n]);
      }
      const l: ObservationJson['delays'] = [];
      for (const [k, m] of delays) {
        const [p, out] = k.split(SEP) as [string, string];
        for (const [profile, n] of m) {
          const { lag, sustainment } = parseProfile(profile);
          l.push([p, out, lag, sustainment, n]);
        }
      }
      const pe: ObservationJson['pending'] = [];
      for (const [k, n] of pending) {
        const [p, out, b, start, due, reason] = k.split(SEP) as [string, string, string, string, string, string];
        pe.push([p, out, b, start, due, reason, n]);
      }
      return { asOf, decided: d, delays: l, pending: pe, providers: [...providers] };
    },
    result() {
      const outDecided = new Map<string, Map<number, [number, number]>>();
      for (const [k, byDay] of decided) outDecided.set(k, new Map([...byDay].map(([day, v]) => [day, [v[0], v[1]] as [number, number]])));
      const outDelays = new Map<string, DelayProfile[]>();
      for (const [k, m] of delays) {
        // Sorted by value, so that sampling by index does not depend on input order (R-PAY-7).
        const list = [...m].map(([profile, count]) => ({ ...parseProfile(profile), count }));
        list.sort((a, b) => a.lag - b.lag || compareCodePoint(a.sustainment.join(','), b.sustainment.join(',')));
        outDelays.set(k, list);
      }
      const outPending: PendingOutcomes[] = [...pending].map(([k, count]) => {
        const [provider_id, outcome_id, tariff_band, start, due, reason] = k.split(SEP) as [string, string, string, string, string, string];
        return { provider_id, outcome_id, tariff_band, start, due_on: due === '' ? undefined : due, reason, count };
      });
      outPending.sort(
        (a, b) =>
          compareCodePoint(a.provider_id, b.provider_id) ||
          compareCodePoint(a.outcome_id, b.outcome_id) ||
          compareCodePoint(a.tariff_band, b.tariff_band) ||
          compareCodePoint(a.start, b.start) ||
          compareCodePoint(a.due_on ?? '', b.due_on ?? '') ||
          compareCodePoint(a.reason, b.reason),
      );
      return { asOf, decided: outDecided, delays: outDelays, pending: outPending, providers: [...providers].sort(compareCodePoint) };
    },
  };
}

function parseProfile(profile: string): { lag: number; sustainment: number[] } {
  const [lag, sus] = profile.split(':') as [string, string];
  return { lag: Number(lag), sustainment: sus === '' ? [] : sus.split(',').map(Number) };
}

/**
 * The observations of some clients, in one call.
 * @example observeOutcomes(clients, scheme.tariff?.defaultBand, '2015-03-31').pending.length
 */
export function observeOutcomes(clients: Iterable<ClientOutcomes>, defaultBand: string | undefined, asOf: IsoDate): ObservedOutcomes {
  const t = observationTally(defaultBand, asOf);
  for (const c of clients) t.addClient(c);
  return t.result();
}
