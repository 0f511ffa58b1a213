/**
 * The committed demo cohort (examples/demo) contains every edge case the generator is meant to
 * exercise (journeys R-JNY-1, outcome primitives R-OUT-1..9, validation R-VAL-2). The files are read
 * as committed; test/cli/generate.test.ts checks that they are exactly what the documented command
 * regenerates.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths, daysBetween } from '../../src/calendar/index.js';
import { compareEpisodes, buildJourneys, type Journey } from '../../src/journeys/index.js';
import { INPUT_FILES } from '../../src/schema/codes.js';
import type { Dataset } from '../../src/schema/dataset.js';
import type { Episode, Located } from '../../src/schema/records.js';
import { validateDataset, type RawDataset, type ValidationResult } from '../../src/validate/index.js';

const DEMO = new URL('../../examples/demo/', import.meta.url);
const EXTRACT = '2015-03-31';

let v: ValidationResult;
let data: Dataset;
let byClient: Map<string, Located<Episode>[]>;
let journeys: Map<string, Journey[]>;

beforeAll(() => {
  const raw: RawDataset = {};
  for (const f of INPUT_FILES) {
    const rows = parse(readFileSync(new URL(`${f}.csv`, DEMO), 'utf8'), { columns: true }) as Record<string, string>[];
    raw[f] = rows.map((values, i) => ({ row: i + 2, values }));
  }
  v = validateDataset(raw);
  data = v.data;
  byClient = new Map();
  for (const e of data.episodes) byClient.set(e.client_id, [...(byClient.get(e.client_id) ?? []), e]);
  for (const eps of byClient.values()) eps.sort(compareEpisodes);
  journeys = new Map([...byClient].map(([k, eps]) => [k, buildJourneys(eps, { asOf: EXTRACT })]));
});

/** Gaps between each episode and the latest discharge before it (R-JNY-1), per client. */
function gaps(): { gap: number; sameJourney: boolean }[] {
  const out: { gap: number; sameJourney: boolean }[] = [];
  for (const [id, eps] of byClient) {
    const journeyOf = new Map<string, string>();
    for (const j of journeys.get(id)!) for (const e of j.episodes) journeyOf.set(e.episode_id, j.journey_id);
    let latest: string | undefined;
    let open = false;
    for (let i = 0; i < eps.length; i++) {
      const e = eps[i]!;
      if (i > 0 && !open && latest !== undefined) {
        out.push({ gap: daysBetween(latest, e.start_date), sameJourney: journeyOf.get(e.episode_id) === journeyOf.get(eps[i - 1]!.episode_id) });
      }
      if (e.discharge_date === undefined) open = true;
      else if (latest === undefined || e.discharge_date > latest) latest = e.discharge_date;
    }
  }
  return out;
}

describe('the demo cohort (examples/demo)', () => {
  it('has about 2,000 clients, a small rejection report, and no file over 2 MB', () => {
    expect(data.clients!.length).toBeGreaterThan(1990);
    expect(v.rejections.length).toBeGreaterThan(20);
    expect(v.rejections.length).toBeLessThan(400);
    for (const f of INPUT_FILES) expect(readFileSync(new URL(`${f}.csv`, DEMO)).length, f).toBeLessThan(2_000_000);
  });

  it('R-JNY-1: gaps of exactly 21 days (same journey) and 22 days (new journey), same-day restarts, overlaps', () => {
    const g = gaps();
    expect(g.some((x) => x.gap === 21 && x.sameJourney)).toBe(true);
    expect(g.some((x) => x.gap === 22 && !x.sameJourney)).toBe(true);
    expect(g.some((x) => x.gap === 0 && x.sameJourney)).toBe(true);
    expect(g.some((x) => x.gap < 0 && x.sameJourney)).toBe(true); // overlapping episodes
  });

  it('episodes still open at the extract, including journeys kept open by an open episode', () => {
    expect(data.episodes.some((e) => e.discharge_date === undefined)).toBe(true);
    expect(
      [...journeys.values()].flat().some((j) => j.end_date === undefined && j.episodes.some((e) => e.discharge_date !== undefined)),
    ).toBe(true);
  });

  it('re-presentations: a later journey at another provider, and one in another area', () => {
    const pairs = [...journeys.values()].flatMap((js) => js.slice(1).map((j, i) => [js[i]!, j] as const));
    expect(pairs.some(([a, b]) => b.first_episode.provider_id !== a.current_episode.provider_id)).toBe(true);
    expect(pairs.some(([a, b]) => b.first_episode.area_code !== a.current_episode.area_code)).toBe(true);
    // ...some within 6 months of a successful completion (R-OUT-2 not met), some later.
    const afterSuccess = pairs.filter(([a]) => a.exit_class === 'successful');
    expect(afterSuccess.some(([a, b]) => b.start_date <= addMonths(a.end_date!, 6))).toBe(true);
    expect(afterSuccess.some(([a, b]) => b.start_date > addMonths(a.end_date!, 6))).toBe(true);
  });

  it('deaths: a date of death, a `died` exit, and a `died` exit without a date of death (R-OUT-9)', () => {
    const dates = new Map(data.clients!.filter((c) => c.date_of_death !== undefined).map((c) => [c.client_id, c.date_of_death!]));
    expect(dates.size).toBeGreaterThan(5);
    const diedExits = data.episodes.filter((e) => e.exit_reason === 'died');
    expect(diedExits.some((e) => dates.has(e.client_id))).toBe(true);
    expect(diedExits.some((e) => !dates.has(e.client_id))).toBe(true);
  });

  it('R-OUT-1 edge cases: opiate completions on substitute medication, with it blank, and as occasional user', () => {
    const opiateExit = [...journeys.values()].flat().filter((j) => j.substance_group === 'opiate' && j.exit_class === 'successful');
    expect(opiateExit.some((j) => j.exit_episode!.substitute_medication_at_exit === true)).toBe(true);
    expect(opiateExit.some((j) => j.exit_episode!.substitute_medication_at_exit === undefined)).toBe(true);
    expect(opiateExit.some((j) => j.exit_code === 'completed_occasional_user')).toBe(true);
    expect(opiateExit.some((j) => j.exit_code === 'completed_drug_free' && j.exit_episode!.substitute_medication_at_exit === false)).toBe(true);
  });

  it('every exit reason code of SPEC §2.1 appears', () => {
    const reasons = new Set(data.episodes.map((e) => e.exit_reason));
    for (const r of [
      'completed_drug_free',
      'completed_alcohol_free',
      'completed_occasional_user',
      'transferred_not_in_custody',
      'transferred_in_custody',
      'dropped_out',
      'declined',
      'withdrawn_by_provider',
      'retained_in_custody',
      'moved_away',
      'no_appropriate_treatment',
      'other',
      'not_known',
      'died',
    ]) {
      expect(reasons.has(r), r).toBe(true);
    }
  });

  it('R-JNY-2: a journey whose first episode has no tariff band but a later one does', () => {
    expect(
      [...journeys.values()].flat().some((j) => j.first_episode.tariff_band === undefined && j.tariff_band !== undefined),
    ).toBe(true);
  });

  it('TOP reviews of every stage, post-exit within 28 days, blank counts; injecting shown only by a start review (R-OUT-7)', () => {
    const reviews = data.reviews!;
    expect(new Set(reviews.map((r) => r.stage))).toEqual(new Set(['start', 'review', 'exit', 'post_exit']));
    expect(reviews.some((r) => r.days_opiates === undefined)).toBe(true);
    const episodes = new Map(data.episodes.map((e) => [e.episode_id, e]));
    expect(
      reviews.some((r) => r.stage === 'start' && (r.days_injected ?? 0) > 0 && episodes.get(r.episode_id)!.injecting_at_start === false),
    ).toBe(true);
  });

  it('R-OUT-3: drug tests of every result, and a zero-use review ≥ 6 months in confirmed by a negative test within 7 days', () => {
    const tests = data.drug_tests!;
    expect(new Set(tests.map((t) => t.result))).toEqual(new Set(['negative', 'positive', 'invalid', 'refused']));
    const byClientTests = new Map<string, typeof tests>();
    for (const t of tests) byClientTests.set(t.client_id, [...(byClientTests.get(t.client_id) ?? []), t]);
    const episodes = new Map(data.episodes.map((e) => [e.episode_id, e]));
    const confirmed = data.reviews!.some((r) => {
      const e = episodes.get(r.episode_id)!;
      if (!e.substances.includes('opiates') || r.days_opiates !== 0) return false;
      if (r.date < addMonths(e.start_date, 6)) return false;
      return (byClientTests.get(r.client_id) ?? []).some(
        (t) => t.substance === 'opiates' && t.result === 'negative' && Math.abs(daysBetween(r.date, t.date)) <= 7,
      );
    });
    expect(confirmed).toBe(true);
  });

  it('R-OUT-4: an offence on a journey start date, offences with no category', () => {
    const starts = new Set([...journeys.values()].flat().map((j) => `${j.client_id} ${j.start_date}`));
    expect(data.offences!.some((o) => starts.has(`${o.client_id} ${o.offence_date}`))).toBe(true);
    expect(data.offences!.some((o) => o.category === undefined)).toBe(true);
  });

  it('R-OUT-5: ongoing spells, part-time (< 16 h) and blank hours, adjacent spells', () => {
    const emp = data.employment!;
    expect(emp.some((e) => e.end_date === undefined)).toBe(true);
    expect(emp.some((e) => e.hours_per_week !== undefined && e.hours_per_week < 16)).toBe(true);
    expect(emp.some((e) => e.hours_per_week === 16)).toBe(true);
    expect(emp.some((e) => e.hours_per_week === undefined)).toBe(true);
    const adjacent = emp.some((a) => emp.some((b) => b.client_id === a.client_id && a.end_date !== undefined && daysBetween(a.end_date, b.start_date) === 1));
    expect(adjacent).toBe(true);
  });

  it('R-VAL-2: the rejection report covers every file and several kinds of error', () => {
    const files = new Set(v.rejections.map((r) => r.file));
    expect(files.size).toBeGreaterThanOrEqual(5);
    const reasons = v.rejections.map((r) => r.reason).join('\n');
    for (const re of [/not a real calendar date/, /is before start_date/, /outside 0–28/, /not a known/, /belongs to another client/, /required but blank/, /duplicate|appears in rows/]) {
      expect(reasons).toMatch(re);
    }
  });
});
