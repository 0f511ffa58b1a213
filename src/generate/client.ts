/**
 * One synthetic client's story and the input rows it leaves behind (SPEC §2): treatment journeys
 * made of episodes (transfers, quick returns, overlapping episodes, re-presentations), TOP reviews,
 * drug tests, proven offences, spells in work and perhaps a death. Everything comes from the
 * client's own random stream, so a client is the same whoever else is generated with it.
 *
 * Internally dates are day numbers (days since 1970-01-01); rows carry ISO dates.
 * @module
 */
import { fromDayNumber } from '../calendar/index.js';
import type { InputFile, Substance, SubstanceGroup } from '../schema/codes.js';
import {
  AGE,
  AREAS,
  BAND_BLANK,
  BANDS,
  BASELINE_USE,
  DEATH,
  EMPLOYMENT,
  EPISODE_DAYS,
  FATE,
  FOLLOW_ON,
  FOLLOW_ON_GAP,
  GROUP_MIX,
  HOUSING_PROBLEM,
  INJECTING,
  NON_OPIATE_DRUGS,
  NON_OPIATE_OCCASIONAL,
  OFFENDING,
  OPIATE_PROFILE,
  OPIATE_SUCCESS,
  OVERLAP,
  PROVIDER_WEIGHTS,
  REPRESENT,
  REPRESENT_ELSEWHERE,
  SECOND_DRUG,
  TESTS,
  TOP,
  UNPLANNED_REASONS,
  type AreaSpec,
  type Fate,
} from './assumptions.js';
import type { Rng } from './random.js';

/**
 * One cell of a generated row: what a CSV cell or an NDJSON value holds; `undefined` = blank.
 * @example const cell: Cell = 37.5
 */
export type Cell = string | number | boolean | undefined;
/**
 * One generated input row, keyed by the SPEC §2 column names.
 * @example { client_id: 'C0000001', offence_date: '2012-05-01', category: 'acquisitive' }
 */
export type GeneratedRow = Record<string, Cell>;
/**
 * Rows of the six input files for one client (in file order; `clients` has exactly one row).
 * @example rows.clients[0] // { client_id: 'C0000001', date_of_death: undefined }
 */
export type ClientRows = Record<InputFile, GeneratedRow[]>;

/** The calendar a client lives in, as day numbers. */
export interface Window {
  /** First and last day an episode may start. */
  from: number;
  to: number;
  /** Nothing is dated after this day. */
  extract: number;
}

interface Journey {
  fate: Exclude<Fate, 'died'>;
  start: number;
  /** How well treatment goes, 0 … 1; `well` journeys end abstinent with better scores. */
  q: number;
  well: boolean;
  /** Days until the effect of treatment is fully seen. */
  ramp: number;
  baseUse: Partial<Record<Substance, number>>;
  injecting: boolean;
  /** Injects but the episode's flag says no (the start review shows it, R-OUT-7). */
  injectingUnflagged: boolean;
  baseInjected: number;
  baseCrime: number;
  housing: boolean;
  qol: number;
  psych: number;
  phys: number;
  gain: number;
}

interface Ep {
  seq: number;
  journey: Journey;
  area: AreaSpec;
  provider: string;
  substances: Substance[];
  start: number;
  end: number;
  fate: Fate;
  followOn: boolean;
  band: string | undefined;
  injectingFlag: boolean | undefined;
  id?: string;
}

interface Spell {
  start: number;
  end: number;
  hours: number | undefined;
}

const OPIATE_TESTED: readonly Substance[] = ['opiates', 'crack'];

/**
 * Pseudonymous client id of a 0-based index (never a 10-digit number, so never an NHS number).
 * @example clientIdOf(0) // 'C0000001'
 */
export function clientIdOf(index: number): string {
  return 'C' + String(index + 1).padStart(7, '0');
}

/**
 * Id of the n-th (1-based) episode of a client (0-based index), in start order.
 * @example episodeIdOf(0, 1) // 'E0000001-01'
 */
export function episodeIdOf(index: number, n: number): string {
  return 'E' + String(index + 1).padStart(7, '0') + '-' + String(n).padStart(2, '0');
}

function substancesFor(rng: Rng, group: SubstanceGroup): Substance[] {
  const s = new Set<Substance>();
  if (group === 'opiate') {
    if (rng.chance(OPIATE_PROFILE.crackOnly)) {
      s.add('crack');
      if (rng.chance(0.3)) s.add('cocaine');
    } else {
      s.add('opiates');
      if (rng.chance(OPIATE_PROFILE.alsoCrack)) s.add('crack');
    }
    if (rng.chance(OPIATE_PROFILE.alsoAlcohol)) s.add('alcohol');
    if (rng.chance(OPIATE_PROFILE.alsoCannabis)) s.add('cannabis');
    if (rng.chance(OPIATE_PROFILE.alsoOtherDrugs)) s.add('other_drugs');
    if (rng.chance(OPIATE_PROFILE.alsoCocaine)) s.add('cocaine');
  } else if (group === 'alcohol') {
    s.add('alcohol');
  } else {
    const first = rng.weighted(NON_OPIATE_DRUGS);
    s.add(first);
    if (rng.chance(SECOND_DRUG)) s.add(rng.weighted(NON_OPIATE_DRUGS));
    if (group === 'non_opiate_and_alcohol') s.add('alcohol');
  }
  return ORDER.filter((x) => s.has(x));
}
const ORDER: readonly Substance[] = ['opiates', 'crack', 'cocaine', 'amphetamines', 'cannabis', 'other_drugs', 'alcohol'];

function pickProvider(rng: Rng, area: AreaSpec, avoid?: string): string {
  const table = area.providers.filter((p) => p !== avoid).map((p) => [p, PROVIDER_WEIGHTS[area.providers.indexOf(p)] ?? 5] as const);
  return table.length > 0 ? rng.weighted(table) : area.providers[0]!;
}

function otherArea(rng: Rng, area: AreaSpec): AreaSpec {
  return rng.weighted(AREAS.filter((a) => a !== area).map((a) => [a, a.weight] as const));
}

/** Journey quality by how it ends: completions mostly go well, unplanned exits mostly do not. */
function qualityFor(rng: Rng, fate: Exclude<Fate, 'died'>): number {
  const [lo, hi] =
    fate === 'successful' ? [0.62, 1] : fate === 'transfer' ? [0.15, 0.8] : fate === 'transfer_custody' ? [0, 0.4] : [0, 0.62];
  return lo + rng.next() * (hi - lo);
}

function exitReasonFor(rng: Rng, ep: Ep): { reason: string; substitution: boolean | undefined } {
  const opiates = ep.substances.includes('opiates');
  const opiateGroup = opiates || ep.substances.includes('crack');
  const alcoholOnly = ep.substances.length === 1 && ep.substances[0] === 'alcohol';
  let reason: string;
  switch (ep.fate) {
    case 'successful':
      if (opiateGroup) reason = rng.chance(OPIATE_SUCCESS.occasionalUser) ? 'completed_occasional_user' : 'completed_drug_free';
      else if (alcoholOnly) reason = rng.chance(0.06) ? 'completed_occasional_user' : 'completed_alcohol_free';
      else if (ep.substances.includes('alcohol'))
        reason = rng.weighted([['completed_drug_free', 60], ['completed_alcohol_free', 26], ['completed_occasional_user', 14]]);
      else reason = rng.chance(NON_OPIATE_OCCASIONAL) ? 'completed_occasional_user' : 'completed_drug_free';
      break;
    case 'transfer':
      reason = 'transferred_not_in_custody';
      break;
    case 'transfer_custody':
      reason = 'transferred_in_custody';
      break;
    case 'unplanned':
      reason = rng.weighted(UNPLANNED_REASONS);
      break;
    case 'died':
      reason = 'died';
      break;
  }
  let substitution: boolean | undefined;
  if (opiates) {
    if (ep.fate === 'successful') {
      const x = rng.next();
      substitution = x < OPIATE_SUCCESS.onSubstitution ? true : x < OPIATE_SUCCESS.onSubstitution + OPIATE_SUCCESS.substitutionBlank ? undefined : false;
    } else {
      substitution = rng.weighted<boolean | undefined>([[true, 55], [false, 35], [undefined, 10]]);
    }
  } else {
    substitution = rng.chance(0.7) ? false : undefined;
  }
  return { reason, substitution };
}

/** Whole years between two day numbers (age arithmetic, integers only). */
function yearsBetween(from: number, to: number): number {
  return Math.floor(((to - from) * 4) / 1461);
}

const iso = fromDayNumber;

/**
 * Generates the rows of one client. `rng` is the client's own stream.
 * @example generateClientRows(Rng.of(2012, 0, 1), 0, window).episodes[0].episode_id // 'E0000001-01'
 */
export function generateClientRows(rng: Rng, index: number, w: Window): ClientRows {
  const clientId = clientIdOf(index);
  const group = rng.weighted(GROUP_MIX);
  const substances = substancesFor(rng, group);
  const opiateClient = substances.includes('opiates') || substances.includes('crack');
  const injectingTrait =
    group === 'opiate'
      ? rng.chance(INJECTING.opiate)
      : (substances.includes('amphetamines') || substances.includes('other_drugs')) && rng.chance(INJECTING.stimulantOrOther);
  const [ageLo, ageHi] = AGE[group];
  const age0 = rng.around(ageLo, ageHi);
  const homeArea = rng.weighted(AREAS.map((a) => [a, a.weight] as const));
  const firstStart = rng.int(w.from, w.to);
  const death = rng.chance(DEATH[group]) ? rng.int(firstStart, w.extract) : undefined;
  const deathDateKnown = death !== undefined && !rng.chance(DEATH.dateMissing);
  const offender = rng.chance(OFFENDING.share[group]);
  const baseUse: Partial<Record<Substance, number>> = {};
  for (const s of substances) baseUse[s] = rng.around(BASELINE_USE[s][0], BASELINE_USE[s][1]);
  const testedOther: Substance | undefined = opiateClient
    ? rng.chance(TESTS.alsoOtherSubstance)
      ? rng.pick<Substance>(['cocaine', 'cannabis', 'other_drugs'])
      : undefined
    : group !== 'alcohol' && rng.chance(TESTS.nonOpiateTested)
      ? substances.find((s) => s !== 'alcohol')
      : undefined;

  // ---- The story: journeys of episode chains, with re-presentations ------------------------------
  const episodes: Ep[] = [];
  const journeys: Journey[] = [];
  let seq = 0;
  let area = homeArea;
  let provider = pickProvider(rng, area);
  let t = firstStart;
  let journeySubstances = substances;
  let previous: Journey | undefined;
  const lastDay = death !== undefined && death < w.to ? death : w.to;
  while (t <= lastDay) {
    const fate = rng.weighted(FATE[group]);
    const q = qualityFor(rng, fate);
    const journey: Journey = {
      fate,
      start: t,
      q,
      well: q >= 0.6,
      ramp: rng.int(100, 240),
      baseUse: {},
      injecting: previous === undefined ? injectingTrait : previous.well ? injectingTrait && rng.chance(0.3) : injectingTrait,
      injectingUnflagged: false,
      baseInjected: rng.around(6, 28),
      baseCrime: offender ? rng.around(2, 20) : 0,
      housing: rng.chance(previous === undefined ? HOUSING_PROBLEM : HOUSING_PROBLEM * 0.8),
      qol: rng.around(3, 13),
      psych: rng.around(3, 13),
      phys: rng.around(4, 14),
      gain: rng.int(2, 10),
    };
    journey.injectingUnflagged = opiateClient && !journey.injecting && rng.chance(0.04);
    for (const s of journeySubstances) {
      const b = baseUse[s] ?? rng.around(BASELINE_USE[s][0], BASELINE_USE[s][1]);
      journey.baseUse[s] = Math.max(1, Math.min(28, b + rng.int(-3, 3)));
    }
    journeys.push(journey);
    const kind = opiateClient ? 'opiate' : 'other';
    let epFate: Exclude<Fate, 'died'> = fate;
    let epStart = t;
    let followOn = false;
    let band: string | undefined = rng.chance(BAND_BLANK) ? undefined : rng.weighted(BANDS[group]);
    if (journey.injecting && band === '1') band = '2';
    else if (journey.injecting && band === '2' && rng.chance(0.4)) band = '3';
    let journeyEnd = t;
    for (let link = 0; link < 4; link++) {
      const dur = rng.buckets(EPISODE_DAYS[kind][epFate]);
      const ep: Ep = {
        seq: seq++,
        journey,
        area,
        provider,
        substances: journeySubstances,
        start: epStart,
        end: epStart + dur,
        fate: epFate,
        followOn,
        band: followOn ? rng.weighted<string | undefined>([[band, 50], [undefined, 35], [rng.weighted(BANDS[group]), 15]]) : band,
        injectingFlag: undefined,
      };
      episodes.push(ep);
      journeyEnd = Math.max(journeyEnd, ep.end);
      // An extra episode alongside the first one (overlapping), at another provider of the area.
      if (link === 0 && dur > 14 && rng.chance(OVERLAP[kind])) {
        const oStart = epStart + rng.int(7, dur - 1);
        const oFate = rng.weighted<Exclude<Fate, 'died'>>([['successful', 50], ['transfer', 10], ['unplanned', 40]]);
        const oSubs: Substance[] = opiateClient && rng.chance(0.5) ? ['alcohol'] : journeySubstances;
        const o: Ep = {
          seq: seq++,
          journey,
          area,
          provider: pickProvider(rng, area, provider),
          substances: oSubs,
          start: oStart,
          end: oStart + rng.buckets(EPISODE_DAYS.other[oFate]),
          fate: oFate,
          followOn: true,
          band: rng.chance(0.5) ? band : undefined,
          injectingFlag: undefined,
        };
        if (o.start <= w.to) {
          episodes.push(o);
          journeyEnd = Math.max(journeyEnd, o.end);
        }
      }
      if (!rng.chance(FOLLOW_ON[epFate])) break;
      const next = ep.end + rng.buckets(FOLLOW_ON_GAP);
      if (next > lastDay) break;
      if (epFate === 'transfer') {
        if (rng.chance(0.1)) {
          area = otherArea(rng, area);
          provider = pickProvider(rng, area);
        } else provider = pickProvider(rng, area, provider);
      } else if (rng.chance(0.3)) provider = pickProvider(rng, area, provider);
      epStart = next;
      followOn = true;
      epFate = rng.weighted(FATE[group]);
      journey.fate = epFate;
    }
    previous = journey;
    const lastFate = episodes[episodes.length - 1]!.fate as Exclude<Fate, 'died'>;
    const rep = REPRESENT[lastFate];
    if (!rng.chance(rep.chance)) break;
    t = journeyEnd + rng.buckets(rep.days);
    if (rng.chance(REPRESENT_ELSEWHERE.otherArea)) {
      area = otherArea(rng, area);
      provider = pickProvider(rng, area);
    } else if (rng.chance(REPRESENT_ELSEWHERE.otherProvider)) {
      provider = pickProvider(rng, area, provider);
    }
    if (rng.chance(0.15)) {
      // Substances cited change a little between journeys (alcohol added, a second drug dropped).
      journeySubstances = journeySubstances.length > 1 && rng.chance(0.5)
        ? journeySubstances.slice(0, journeySubstances.length - 1)
        : ORDER.filter((s) => s === 'alcohol' || journeySubstances.includes(s));
    }
  }

  // ---- Death: nothing starts after it; an episode in progress ends that day with `died` ----------
  let kept = episodes;
  if (death !== undefined) {
    kept = episodes.filter((e) => e.start <= death);
    for (const e of kept) {
      if (e.end >= death) {
        e.end = death;
        e.fate = 'died';
      }
    }
  }
  kept.sort((a, b) => a.start - b.start || a.seq - b.seq);
  kept.forEach((e, i) => (e.id = episodeIdOf(index, i + 1)));
  const horizon = death !== undefined ? Math.min(death, w.extract) : w.extract;

  // ---- Employment spells ----------------------------------------------------------------------------
  const spells: Spell[] = [];
  const hours = (): number | undefined => rng.weighted(EMPLOYMENT.hours);
  if (rng.chance(EMPLOYMENT.atStart[group])) {
    const s0 = firstStart - rng.int(30, 1500);
    spells.push({ start: s0, end: firstStart + rng.buckets([[-20, 90, 30], [90, 600, 35], [600, 2500, 35]]), hours: hours() });
  }
  for (const j of journeys) {
    if (!rng.chance(j.well ? EMPLOYMENT.findsWorkWell : EMPLOYMENT.findsWorkBadly)) continue;
    const s = j.start + rng.int(30, 365);
    const e = s + rng.buckets(EMPLOYMENT.days);
    spells.push({ start: s, end: e, hours: hours() });
    if (rng.chance(EMPLOYMENT.secondSpell)) {
      // Next job the day after (adjacent spells), or after a gap.
      const s2 = e + rng.buckets([[1, 1, 30], [2, 30, 40], [31, 120, 30]]);
      spells.push({ start: s2, end: s2 + rng.buckets(EMPLOYMENT.days), hours: rng.chance(0.6) ? spells[spells.length - 1]!.hours : hours() });
    }
  }
  const workingOn = (day: number) => spells.some((s) => s.start <= day && day <= s.end);

  // ---- Rows ---------------------------------------------------------------------------------------
  const rows: ClientRows = { episodes: [], reviews: [], drug_tests: [], offences: [], employment: [], clients: [] };
  const ramp = (j: Journey, day: number) => Math.min(1, Math.max(0, (day - j.start) / j.ramp));

  /** Days of use of `s` in the 28 before `day` (before noise): falls as treatment takes effect. */
  const useAt = (j: Journey, s: Substance, day: number): number => {
    const base = j.baseUse[s] ?? baseUse[s] ?? 10;
    const f = ramp(j, day) * j.q;
    if (j.well && f > 0.45) return 0;
    return base * (1 - f);
  };

  const testResult = (expectedDays: number): string => {
    const x = rng.next();
    if (x < TESTS.invalid) return 'invalid';
    if (x < TESTS.invalid + TESTS.refused) return 'refused';
    const pPositive = expectedDays <= 0 ? 0.04 : Math.min(0.97, 0.35 + expectedDays / 28);
    return rng.chance(pPositive) ? 'positive' : 'negative';
  };

  const tests: { day: number; substance: Substance; result: string }[] = [];
  const testSubjects = (e: Ep): Substance[] => {
    const subs = e.substances.filter((s) => OPIATE_TESTED.includes(s));
    if (subs.length === 0 && !opiateClient && testedOther !== undefined && e.substances.includes(testedOther)) subs.push(testedOther);
    if (opiateClient && testedOther !== undefined && rng.chance(0.5)) subs.push(testedOther);
    return subs;
  };
  const addTests = (e: Ep, day: number, known: Partial<Record<Substance, number | undefined>> | undefined) => {
    if (day > horizon || day < e.start) return;
    for (const s of testSubjects(e)) {
      const k = known?.[s];
      tests.push({ day, substance: s, result: testResult(k !== undefined ? k : useAt(e.journey, s, day)) });
    }
  };

  const reviewRows: { day: number; row: GeneratedRow }[] = [];
  const review = (e: Ep, day: number, stage: string): Partial<Record<Substance, number | undefined>> => {
    const j = e.journey;
    const row: GeneratedRow = { client_id: clientId, episode_id: e.id, date: iso(day), stage };
    const known: Partial<Record<Substance, number | undefined>> = {};
    const exitLike = stage === 'exit' || stage === 'post_exit';
    const abstinentExit = exitLike && e.fate === 'successful' && rng.chance(0.85);
    for (const s of ORDER) {
      let v: number | undefined;
      if (e.substances.includes(s)) {
        if (rng.chance(TOP.blankCount)) v = undefined;
        else if (abstinentExit) v = 0;
        else {
          const u = useAt(j, s, day);
          v = u === 0 ? (rng.chance(0.93) ? 0 : rng.int(1, 3)) : Math.max(0, Math.min(28, Math.round(u) + rng.int(-2, 2)));
        }
        known[s] = v;
      } else {
        const x = rng.next();
        v = x < 0.7 ? 0 : x < 0.95 ? undefined : rng.int(1, 6);
      }
      row['days_' + s] = v;
    }
    const f = ramp(j, day) * j.q;
    const injecting = j.injecting || j.injectingUnflagged;
    row['days_injected'] = !injecting
      ? rng.chance(0.9) ? 0 : undefined
      : j.well && f > 0.35 ? 0 : Math.max(0, Math.min(28, Math.round(j.baseInjected * (1 - f)) + rng.int(-2, 2)));
    row['days_paid_work'] = workingOn(day) ? rng.int(12, 20) : rng.chance(0.92) ? 0 : rng.int(1, 4);
    row['days_acquisitive_crime'] = j.baseCrime > 0 ? Math.max(0, Math.round(j.baseCrime * (1 - Math.min(1, f * 1.4))) + rng.int(-1, 1)) : 0;
    const score = (base: number, gain: number) =>
      rng.chance(TOP.blankScore) ? undefined : Math.max(0, Math.min(20, base + Math.round(gain * ramp(j, day) * j.q) + rng.int(-1, 1)));
    row['quality_of_life'] = score(j.qol, j.gain);
    row['psychological_health'] = score(j.psych, j.gain - 1);
    row['physical_health'] = score(j.phys, j.gain - 2);
    row['housing_problem'] = rng.chance(0.05) ? undefined : j.housing && !(f > 0.5 && rng.chance(0.7));
    reviewRows.push({ day, row });
    return known;
  };

  for (const e of kept) {
    const j = e.journey;
    const discharged = e.end <= w.extract;
    const last = discharged ? e.end : w.extract;
    // The injecting flag: the journey's state at its first episode; later episodes re-ask.
    e.injectingFlag = rng.chance(0.05) ? undefined : j.injecting;
    const exit = discharged ? exitReasonFor(rng, e) : undefined;
    rows.episodes.push({
      episode_id: e.id,
      client_id: clientId,
      provider_id: e.provider,
      area_code: e.area.code,
      substances: e.substances.join(';'),
      start_date: iso(e.start),
      discharge_date: discharged ? iso(e.end) : undefined,
      exit_reason: exit?.reason,
      tariff_band: e.band,
      substitute_medication_at_exit: exit?.substitution,
      age_at_start: rng.chance(0.02) ? undefined : Math.min(120, age0 + yearsBetween(firstStart, e.start)),
      injecting_at_start: e.injectingFlag,
    });

    // TOP: start, about every 3 months, exit at discharge, sometimes post-exit (within 28 days).
    if (rng.chance(e.followOn ? TOP.startFollowOn : TOP.start)) {
      const d = Math.min(e.start + (rng.chance(0.7) ? 0 : rng.int(1, 14)), last);
      const known = review(e, d, 'start');
      addTests(e, d + rng.int(0, 3), known);
    } else if (opiateClient) addTests(e, e.start + rng.int(0, 5), undefined);
    for (let d = e.start + rng.int(TOP.reviewEveryDays[0], TOP.reviewEveryDays[1]); d < e.end && d <= w.extract; d += rng.int(TOP.reviewEveryDays[0], TOP.reviewEveryDays[1])) {
      if (rng.chance(TOP.reviewMissed)) continue;
      const known = review(e, d, 'review');
      if (rng.chance(TESTS.atReview)) addTests(e, d + rng.int(-3, 3), known);
    }
    if (opiateClient) {
      for (let d = e.start + rng.int(TESTS.everyDays[0], TESTS.everyDays[1]); d < last; d += rng.int(TESTS.everyDays[0], TESTS.everyDays[1])) {
        if (rng.chance(TESTS.extra)) addTests(e, d, undefined);
      }
    }
    if (discharged && e.fate !== 'died' && rng.chance(TOP.exit[e.fate])) {
      const d = Math.max(e.start, e.end - (rng.chance(0.7) ? 0 : rng.int(1, 7)));
      if (d <= horizon) {
        const known = review(e, d, 'exit');
        if (rng.chance(TESTS.atReview)) addTests(e, Math.min(e.end, d + rng.int(0, 2)), known);
      }
      if (e.fate === 'successful' && rng.chance(TOP.postExit)) {
        const p = e.end + rng.int(1, 28);
        if (p <= horizon) review(e, p, 'post_exit');
      }
    }
  }
  reviewRows.sort((a, b) => a.day - b.day);
  for (const r of reviewRows) rows.reviews.push(r.row);
  tests.sort((a, b) => a.day - b.day || ORDER.indexOf(a.substance) - ORDER.indexOf(b.substance));
  for (const x of tests) rows.drug_tests.push({ client_id: clientId, date: iso(x.day), substance: x.substance, result: x.result });

  // ---- Offences: a heavy-tailed minority, more before the start than after for those doing well ----
  const offenceDays: number[] = [];
  if (offender) {
    const before = rng.buckets(OFFENDING.yearBefore);
    for (let k = 0; k < before; k++) offenceDays.push(firstStart - rng.int(1, 365));
    if (rng.chance(OFFENDING.onStartDate)) offenceDays.push(firstStart);
    const older = rng.int(0, Math.floor(before / 2));
    for (let k = 0; k < older; k++) offenceDays.push(firstStart - rng.int(366, 1095));
    const rate = before / 365;
    journeys.forEach((j, i) => {
      const until = Math.min(i + 1 < journeys.length ? journeys[i + 1]!.start - 1 : horizon, horizon);
      const p = Math.min(0.9, rate * (j.well ? OFFENDING.afterFactorWell : OFFENDING.afterFactorBadly) * 7);
      for (let wk = j.start + 1; wk <= until; wk += 7) {
        if (rng.chance(p)) offenceDays.push(Math.min(until, wk + rng.int(0, 6)));
      }
    });
  } else if (rng.chance(0.02)) {
    // A first proven offence after the start, for a few clients with no offending history.
    offenceDays.push(firstStart + rng.int(1, 700));
  }
  offenceDays.sort((a, b) => a - b);
  for (const d of offenceDays) {
    if (d > horizon) continue;
    rows.offences.push({
      client_id: clientId,
      offence_date: iso(d),
      category: rng.chance(OFFENDING.categoryBlank) ? undefined : rng.weighted(OFFENDING.categories[group]),
    });
  }

  // ---- Employment rows: clipped to the extract (ongoing = blank end) and to a death -----------------
  spells.sort((a, b) => a.start - b.start);
  for (const s of spells) {
    if (s.start > horizon) continue;
    const end = Math.min(s.end, death ?? Infinity);
    rows.employment.push({
      client_id: clientId,
      start_date: iso(s.start),
      end_date: end > w.extract ? undefined : iso(end),
      hours_per_week: s.hours,
    });
  }

  rows.clients.push({ client_id: clientId, date_of_death: death !== undefined && deathDateKnown ? iso(death) : undefined });
  return rows;
}
