/**
 * Per-client payable items (R-PAY-2, R-OUT-5 sustainment, R-OUT-10): an attachment on each
 * journey's start (to the provider of its first episode, R-JNY-4), an outcome payment on each met
 * outcome's achieved_on (to the decision's provider) and a sustainment payment on each sustainment
 * date (to the provider in charge that day). Each item is priced by the journey's band, or the
 * tariff's default band, and rounded to the penny when created (R-PAY-1).
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { episodeInChargeOn, type Journey } from '../journeys/index.js';
import { money, roundToPenny, type Decimal } from '../money/amount.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import type { Tariff } from '../schema/scheme/tariff.js';
import type { ClientOutcomes, PayableItem } from './types.js';

/** Items that could not be priced, by reason (reported in `summary.json`). */
export interface UnpricedCounts {
  /** R-PAY-2: journeys without a band while the tariff has no default band, and the items they would have had. */
  unbanded: { journeys: number; items: number };
  /** Items whose band is not one of the tariff's bands (so it has no price), and those bands. */
  unknown_band: { items: number; bands: string[] };
}

/** Rounded prices by rounding mode, then price text (Decimals are immutable, so they can be shared). */
const PRICED = new Map<string, Map<string, Decimal>>();

/** The band a journey is priced at: its own, else the tariff's default (R-PAY-2). */
function bandOf(own: string | undefined, tariff: Tariff): string | undefined {
  return own ?? tariff.defaultBand;
}

/** A journey's key among all clients' (made only when a journey is counted as unbanded). */
function journeyKey(client_id: string, journey_id: string): string {
  return `${client_id}\u0000${journey_id}`;
}

/** The journey of a client with this id (the last of them, should two share it, as a map by id would keep). */
function journeyOf(journeys: readonly Journey[], id: string): Journey | undefined {
  for (let i = journeys.length - 1; i >= 0; i--) if (journeys[i]!.journey_id === id) return journeys[i];
  return undefined;
}

/**
 * One decision per journey and outcome (R-OUT-10): should the same outcome of a journey appear
 * twice, only the earliest met one is paid.
 */
function oncePerJourney(decisions: readonly OutcomeDecision[]): OutcomeDecision[] {
  // A client's decisions as the engine gives them — sorted by journey, then outcome, one per pair —
  // have no pair twice: the met ones are the answer, in their order (what the map below keeps).
  const met: OutcomeDecision[] = [];
  let prev: OutcomeDecision | undefined;
  for (const d of decisions) {
    if (d.status !== 'met' || d.achieved_on === undefined) continue;
    if (prev && (compareCodePoint(prev.journey_id, d.journey_id) || compareCodePoint(prev.outcome_id, d.outcome_id)) >= 0) return earliestMet(decisions);
    met.push((prev = d));
  }
  return met;
}

/** {@link oncePerJourney} of decisions in any order: the earliest met decision of each pair, in first-seen order. */
function earliestMet(decisions: readonly OutcomeDecision[]): OutcomeDecision[] {
  const best = new Map<string, OutcomeDecision>();
  for (const d of decisions) {
    if (d.status !== 'met' || d.achieved_on === undefined) continue;
    const key = `${d.journey_id}\u0000${d.outcome_id}`;
    const prev = best.get(key);
    if (!prev || d.achieved_on < prev.achieved_on! || (d.achieved_on === prev.achieved_on && compareCodePoint(d.provider_id, prev.provider_id) < 0)) {
      best.set(key, d);
    }
  }
  return [...best.values()];
}

/**
 * The attachment, outcome and sustainment items of every client, as known at `asOf`
 * (items dated after asOf are not yet payable and are left out).
 * @example
 * const { items, unpriced } = clientItems(result.clients, scheme.tariff, '2014-03-31');
 */
export function clientItems(
  clients: readonly ClientOutcomes[],
  tariff: Tariff | undefined,
  asOf: IsoDate,
): { items: PayableItem[]; unpriced: UnpricedCounts } {
  const items: PayableItem[] = [];
  const unpriced: UnpricedCounts = { unbanded: { journeys: 0, items: 0 }, unknown_band: { items: 0, bands: [] } };
  if (!tariff) return { items, unpriced };
  // Made when first needed: a run calls this once per client, and most clients need neither.
  let unknownBands: Set<string> | undefined;
  const mode = tariff.rounding;
  let unbandedJourneys: Set<string> | undefined;
  // Prices repeat across items (and across calls, client by client): parse and round each once.
  let priced = PRICED.get(mode);
  if (!priced) PRICED.set(mode, (priced = new Map()));
  const amountOf = (text: string): Decimal => {
    let d = priced.get(text);
    if (!d) {
      if (priced.size > 10_000) priced.clear();
      priced.set(text, (d = roundToPenny(money(text), mode)));
    }
    return d;
  };

  /** Prices an item, or counts why it cannot be priced. */
  const price = (table: Record<string, string> | undefined, band: string | undefined, client_id: string, journey_id: string): string | undefined => {
    if (!table) return undefined;
    if (band === undefined) {
      unpriced.unbanded.items += 1;
      (unbandedJourneys ??= new Set()).add(journeyKey(client_id, journey_id));
      return undefined;
    }
    // A tariff has a few bands: a look through the list, read afresh each call.
    if (!tariff.bands.includes(band) || table[band] === undefined) {
      unpriced.unknown_band.items += 1;
      (unknownBands ??= new Set()).add(band);
      return undefined;
    }
    return table[band];
  };

  for (const c of clients) {
    for (const j of c.journeys) {
      if (j.start_date > asOf) continue;
      if (j.tariff_band === undefined && tariff.defaultBand === undefined) (unbandedJourneys ??= new Set()).add(journeyKey(j.client_id, j.journey_id));
      const band = bandOf(j.tariff_band, tariff);
      const p = price(tariff.attachment, band, j.client_id, j.journey_id);
      if (p !== undefined) {
        items.push({
          item_id: `attachment|${j.client_id}|${j.journey_id}`,
          provider_id: j.first_episode.provider_id,
          payment_type: 'attachment',
          outcome_id: '',
          tariff_band: band!,
          payable_on: j.start_date,
          client_id: j.client_id,
          journey_id: j.journey_id,
          amount: amountOf(p),
        });
      }
    }
    for (const d of oncePerJourney(c.decisions)) {
      const achieved = d.achieved_on!;
      if (achieved > asOf) continue;
      const band = bandOf(d.tariff_band, tariff);
      const p = price(tariff.outcomes[d.outcome_id], band, d.client_id, d.journey_id);
      if (p !== undefined) {
        items.push({
          item_id: `outcome|${d.client_id}|${d.journey_id}|${d.outcome_id}`,
          provider_id: d.provider_id,
          payment_type: 'outcome',
          outcome_id: d.outcome_id,
          tariff_band: band!,
          payable_on: achieved,
          client_id: d.client_id,
          journey_id: d.journey_id,
          amount: amountOf(p),
        });
      }
      const table = tariff.sustainment[d.outcome_id];
      if (!table) continue;
      const journey = journeyOf(c.journeys, d.journey_id);
      const dates = [...new Set(d.sustainment)].filter((x) => x <= asOf).sort();
      dates.forEach((date, i) => {
        const sp = price(table, band, d.client_id, d.journey_id);
        if (sp === undefined) return;
        items.push({
          item_id: `sustainment|${d.client_id}|${d.journey_id}|${d.outcome_id}|${String(i + 1).padStart(3, '0')}`,
          // R-JNY-4: the provider in charge on the day the sustainment payment is reached.
          provider_id: journey ? episodeInChargeOn(journey, date).provider_id : d.provider_id,
          payment_type: 'sustainment',
          outcome_id: d.outcome_id,
          tariff_band: band!,
          payable_on: date,
          client_id: d.client_id,
          journey_id: d.journey_id,
          amount: amountOf(sp),
        });
      });
    }
  }
  unpriced.unbanded.journeys = unbandedJourneys?.size ?? 0;
  unpriced.unknown_band.bands = unknownBands ? [...unknownBands].sort(compareCodePoint) : [];
  return { items, unpriced };
}
