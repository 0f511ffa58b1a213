/**
 * Treatment journeys (R-JNY-1..5): a client's episodes, as known at `asOf` (R-CAL-2), grouped into
 * journeys, with the journey's dates, exit reason and class, tariff band, substance group and the
 * episodes that attribute attachment and outcomes to providers.
 * @module
 */
import { compareCodePoint, sortInPlace, toDayNumber, type IsoDate } from '../calendar/index.js';
import {
  STANDARD_EXIT_REASONS,
  substanceBit,
  substancesOfMask,
  type ExitClass,
  type StandardExitReason,
  type Substance,
  type SubstanceGroup,
} from '../schema/codes.js';
import type { Episode, Located } from '../schema/records.js';

/** Options for building journeys. */
export interface JourneyOptions {
  /** The run's date: later episodes do not exist yet, later discharges are not yet seen (R-CAL-2). */
  asOf?: IsoDate;
  /** Days after the latest discharge within which a new episode continues the journey (R-JNY-1); default 21. */
  journeyGapDays?: number;
  /** A scheme's own exit reason codes mapped onto standard codes (SPEC §2.1). */
  exitReasonMap?: Readonly<Record<string, string>>;
}

/** A treatment journey (R-JNY-1, R-JNY-2). */
export interface Journey {
  /** episode_id of the journey's first episode (R-JNY-2). */
  journey_id: string;
  client_id: string;
  /** The journey's episodes as known at asOf, ordered by start date then episode_id. */
  episodes: Located<Episode>[];
  start_date: IsoDate;
  /** Last discharge; `undefined` while any episode is open at asOf. */
  end_date: IsoDate | undefined;
  /** Episode with the latest discharge (ties: largest episode_id); only for closed journeys. */
  exit_episode: Located<Episode> | undefined;
  /** Exit reason as recorded on the exit episode. */
  exit_reason: string | undefined;
  /** Exit reason after the scheme's mapping onto the standard codes of SPEC §2.1. */
  exit_code: StandardExitReason | undefined;
  exit_class: ExitClass | undefined;
  /** Band of the first episode that has one (R-JNY-2). */
  tariff_band: string | undefined;
  /** Union of the substances the journey's episodes cite, canonical order (one frozen array shared by the journeys citing the same set). */
  substances: Substance[];
  substance_group: SubstanceGroup;
  /** First episode: its provider gets the attachment (R-JNY-4). */
  first_episode: Located<Episode>;
  /** Exit episode when closed, else the latest episode (R-JNY-4): provider and area of rows not met. */
  current_episode: Located<Episode>;
}

/**
 * An episode as known at `asOf` (R-CAL-2): `undefined` if it starts later; open (no discharge, exit
 * reason or substitution flag) if it was discharged after asOf.
 * @example episodeAsOf({ ...e, start_date: '2024-01-01', discharge_date: '2024-06-01' }, '2024-03-01') // open
 */
export function episodeAsOf<E extends Episode>(e: E, asOf: IsoDate | undefined): E | undefined {
  if (asOf === undefined) return e;
  if (e.start_date > asOf) return undefined;
  if (e.discharge_date !== undefined && e.discharge_date > asOf) {
    return { ...e, discharge_date: undefined, exit_reason: undefined, substitute_medication_at_exit: undefined };
  }
  return e;
}

/**
 * Substance group of a set of substances, by R-JNY-3 precedence: `opiate` (opiates or crack),
 * `non_opiate_and_alcohol`, `non_opiate`, `alcohol`.
 * @example substanceGroupOf(['alcohol', 'cannabis']) // 'non_opiate_and_alcohol'
 */
export function substanceGroupOf(substances: readonly Substance[]): SubstanceGroup {
  let alcohol = false;
  let nonOpiate = false;
  for (let i = 0; i < substances.length; i++) {
    const s = substances[i]!;
    if (s === 'opiates' || s === 'crack') return 'opiate';
    if (s === 'alcohol') alcohol = true;
    else nonOpiate = true;
  }
  if (nonOpiate) return alcohol ? 'non_opiate_and_alcohol' : 'non_opiate';
  return 'alcohol';
}

/**
 * Standard exit reason code of a recorded code, through the scheme's mapping (SPEC §2.1).
 * @example standardExitCode('pbr_drug_free', { pbr_drug_free: 'completed_drug_free' }) // 'completed_drug_free'
 */
export function standardExitCode(
  code: string | undefined,
  map: Readonly<Record<string, string>> = {},
): StandardExitReason | undefined {
  if (code === undefined) return undefined;
  if (code in STANDARD_EXIT_REASONS) return code as StandardExitReason;
  const mapped = map[code];
  return mapped !== undefined && mapped in STANDARD_EXIT_REASONS ? (mapped as StandardExitReason) : undefined;
}

/**
 * Orders episodes by start date, then episode_id by code point (R-JNY-1, R-JNY-5).
 * @example episodes.sort(compareEpisodes)
 */
export function compareEpisodes(a: Episode, b: Episode): number {
  return a.start_date < b.start_date ? -1 : a.start_date > b.start_date ? 1 : compareCodePoint(a.episode_id, b.episode_id);
}

/**
 * The union of the substances the episodes cite, in canonical order: one shared frozen array per
 * set ({@link substancesOfMask}). A substance the library does not know (records that were not
 * validated) gets a list of its own, as it always did.
 */
function substancesOf(episodes: readonly Episode[]): Substance[] {
  let mask = 0;
  for (let i = 0; i < episodes.length; i++) {
    const subs = episodes[i]!.substances;
    for (let k = 0; k < subs.length; k++) {
      const bit = substanceBit(subs[k]!);
      if (bit === undefined) return unknownSubstances(episodes);
      mask |= bit;
    }
  }
  return substancesOfMask(mask);
}

/** {@link substancesOf} when some substance is unknown: the set of cited substances sorted by canonical order, as it always was (an unknown one has no place in that order). */
function unknownSubstances(episodes: readonly Episode[]): Substance[] {
  const subs = new Set<Substance>();
  for (const e of episodes) for (const s of e.substances) subs.add(s);
  // A substance's bit rises with its place in the canonical order.
  return [...subs].sort((a, b) => substanceBit(a)! - substanceBit(b)!);
}

function finishJourney(episodes: Located<Episode>[], options: JourneyOptions): Journey {
  const first = episodes[0]!;
  let open = false;
  let exit: Located<Episode> | undefined;
  let band: string | undefined;
  for (let i = 0; i < episodes.length; i++) {
    const e = episodes[i]!;
    if (band === undefined && e.tariff_band !== undefined) band = e.tariff_band;
    if (e.discharge_date === undefined) open = true;
    else if (
      !exit ||
      e.discharge_date > exit.discharge_date! ||
      (e.discharge_date === exit.discharge_date && compareCodePoint(e.episode_id, exit.episode_id) > 0)
    ) {
      exit = e;
    }
  }
  if (open) exit = undefined;
  const substances = substancesOf(episodes);
  const exitCode = exit ? standardExitCode(exit.exit_reason, options.exitReasonMap) : undefined;
  return {
    journey_id: first.episode_id,
    client_id: first.client_id,
    episodes,
    start_date: first.start_date,
    end_date: exit?.discharge_date,
    exit_episode: exit,
    exit_reason: exit?.exit_reason,
    exit_code: exitCode,
    exit_class: exitCode ? STANDARD_EXIT_REASONS[exitCode] : undefined,
    tariff_band: band,
    substances,
    substance_group: substanceGroupOf(substances),
    first_episode: first,
    current_episode: exit ?? episodes[episodes.length - 1]!,
  };
}

/**
 * Groups one client's episodes into journeys (R-JNY-1, R-JNY-2) as known at `options.asOf`.
 * Episodes join the current journey while each starts no more than `journeyGapDays` after the latest
 * discharge so far; an open episode keeps the journey open. The result does not depend on the input
 * order. Journeys are returned in start order.
 * @example
 * buildJourneys([ep('E1', '2024-01-01', '2024-02-01'), ep('E2', '2024-02-22', '2024-04-01')])
 * // one journey E1 (the gap is exactly 21 days)
 */
export function buildJourneys(episodes: readonly Located<Episode>[], options: JourneyOptions = {}): Journey[] {
  const gap = options.journeyGapDays ?? 21;
  const seen = episodesAsOf(episodes, options.asOf);
  // Lists begun with their first item (a list grown by push from empty takes room for 17 at once:
  // this runs for every client, most of whom have one journey of one episode).
  let journeys: Journey[] | undefined;
  let current: Located<Episode>[] | undefined;
  let latest = -Infinity; // day number of the latest discharge so far; +Infinity while open
  for (let i = 0; i < seen.length; i++) {
    const e = seen[i]!;
    if (current !== undefined && toDayNumber(e.start_date) > latest + gap) {
      journeys = pushed(journeys, finishJourney(current, options));
      current = undefined;
      latest = -Infinity;
    }
    current = pushed(current, e);
    const d = e.discharge_date === undefined ? Infinity : toDayNumber(e.discharge_date);
    if (d > latest) latest = d;
  }
  if (current !== undefined) journeys = pushed(journeys, finishJourney(current, options));
  return journeys ?? [];
}

/** `list` with `x` added at its end; a list of `x` alone when there is none yet (made at its length). */
function pushed<T>(list: T[] | undefined, x: T): T[] {
  if (list === undefined) return [x];
  list.push(x);
  return list;
}

/**
 * The episodes as known at `asOf` (episodeAsOf), in start order: the list given when it is already
 * so (the usual case: no episode changed, none to leave out, in order), else a list of their own —
 * the list given is never reordered.
 */
function episodesAsOf(episodes: readonly Located<Episode>[], asOf: IsoDate | undefined): readonly Located<Episode>[] {
  let same = true;
  for (let i = 0; i < episodes.length && same; i++) {
    const e = episodes[i]!;
    if (episodeAsOf(e, asOf) !== e || (i > 0 && compareEpisodes(episodes[i - 1]!, e) > 0)) same = false;
  }
  if (same) return episodes;
  const seen: Located<Episode>[] = [];
  for (const e of episodes) {
    const v = episodeAsOf(e, asOf);
    if (v) seen.push(v);
  }
  return sortInPlace(seen, compareEpisodes);
}

/**
 * The episode in charge of a journey on `date` (R-JNY-4): the exit episode when the journey ended on
 * or before `date`, otherwise the latest episode (start date, then episode_id) that started on or
 * before `date` (the first episode if none did). Its provider and area get an outcome achieved that day.
 * @example episodeInChargeOn(journey, '2024-06-30').provider_id
 */
export function episodeInChargeOn(journey: Journey, date: IsoDate): Located<Episode> {
  if (journey.exit_episode && journey.end_date !== undefined && journey.end_date <= date) return journey.exit_episode;
  let inCharge = journey.first_episode;
  const episodes = journey.episodes;
  for (let i = 0; i < episodes.length; i++) {
    const e = episodes[i]!;
    if (e.start_date <= date) inCharge = e;
    else break;
  }
  return inCharge;
}
