/**
 * fast-check arbitraries for whole client histories that pass validation: episodes (overlapping,
 * open, re-presenting, at several providers), reviews linked to them, drug tests, offences,
 * employment spells and deaths.
 */
import fc from 'fast-check';
import { addDays, type IsoDate } from '../../src/calendar/index.js';
import { episodeAsOf } from '../../src/journeys/index.js';
import { STANDARD_EXIT_REASON_CODES, SUBSTANCES, type Substance } from '../../src/schema/codes.js';
import type { Dataset } from '../../src/schema/dataset.js';
import type { Client, DrugTest, EmploymentSpell, Episode, Located, Offence, Review } from '../../src/schema/records.js';

export const ORIGIN = '2020-01-01';
const day = (n: number) => addDays(ORIGIN, n);

const substancesArb = fc.subarray([...SUBSTANCES] as Substance[], { minLength: 1, maxLength: 3 });
const countArb = fc.option(fc.integer({ min: 0, max: 28 }), { nil: undefined, freq: 3 });
const scoreArb = fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined, freq: 3 });

interface ClientParts {
  episodes: Located<Episode>[];
  reviews: Located<Review>[];
  drug_tests: Located<DrugTest>[];
  offences: Located<Offence>[];
  employment: Located<EmploymentSpell>[];
  clients: Located<Client>[];
}

/** One client's valid history; ids are prefixed with the client id so clients never clash. */
export function clientArb(clientId: string): fc.Arbitrary<ClientParts> {
  const episodeArb = fc.record({
    start: fc.integer({ min: 0, max: 1000 }),
    len: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined, freq: 4 }),
    substances: substancesArb,
    exit: fc.constantFrom(...STANDARD_EXIT_REASON_CODES, 'completed_drug_free', 'completed_alcohol_free'),
    band: fc.option(fc.constantFrom('1', '2', '3'), { nil: undefined, freq: 5 }),
    subst: fc.option(fc.boolean(), { nil: undefined }),
    injecting: fc.option(fc.boolean(), { nil: undefined }),
    provider: fc.constantFrom('P1', 'P2'),
    area: fc.constantFrom('A1', 'A2'),
  });
  return fc
    .record({
      eps: fc.array(episodeArb, { minLength: 1, maxLength: 4 }),
      reviews: fc.array(
        fc.record({
          ep: fc.nat(),
          offset: fc.integer({ min: 0, max: 420 }),
          stage: fc.constantFrom('start', 'review', 'exit', 'post_exit' as const),
          opi: countArb,
          crack: countArb,
          alc: countArb,
          other: countArb,
          inj: countArb,
          qol: scoreArb,
        }),
        { maxLength: 8 },
      ),
      tests: fc.array(
        fc.record({ d: fc.integer({ min: 0, max: 1400 }), s: fc.constantFrom('opiates', 'crack', 'cocaine' as const), r: fc.constantFrom('negative', 'positive', 'invalid', 'refused' as const) }),
        { maxLength: 6 },
      ),
      offences: fc.array(fc.integer({ min: -400, max: 1400 }), { maxLength: 5 }),
      jobs: fc.array(fc.record({ s: fc.integer({ min: 0, max: 1300 }), len: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }), h: fc.option(fc.constantFrom(10, 16, 37.5), { nil: undefined }) }), { maxLength: 3 }),
      // A day, or the discharge day of one of the episodes (R-OUT-9: death on the day a journey ends).
      dies: fc.option(fc.oneof({ arbitrary: fc.integer({ min: 100, max: 1500 }), weight: 3 }, { arbitrary: fc.record({ dischargeOf: fc.nat({ max: 3 }) }), weight: 1 }), { nil: undefined, freq: 4 }),
    })
    .map(({ eps, reviews, tests, offences, jobs, dies }) => {
      const first = eps[0]!;
      let row = 1;
      const onDischarge = typeof dies === 'object' ? eps[dies.dischargeOf % eps.length]! : undefined;
      const death = typeof dies === 'number' ? dies : onDischarge?.len === undefined ? undefined : onDischarge.start + onDischarge.len;
      // Nothing starts after a recorded death (validation rejects such episodes).
      if (death !== undefined) eps = eps.filter((e) => e.start <= death);
      if (eps.length === 0) eps = [{ ...first, start: 0 }];
      const episodes: Located<Episode>[] = eps.map((e, i) => ({
        episode_id: `${clientId}-E${i}`,
        client_id: clientId,
        provider_id: e.provider,
        area_code: e.area,
        substances: e.substances,
        start_date: day(e.start),
        discharge_date: e.len === undefined ? undefined : day(e.start + e.len),
        exit_reason: e.len === undefined ? undefined : e.exit,
        tariff_band: e.band,
        substitute_medication_at_exit: e.len === undefined ? undefined : e.subst,
        age_at_start: 30,
        injecting_at_start: e.injecting,
        row: ++row,
      }));
      const out: ClientParts = { episodes, reviews: [], drug_tests: [], offences: [], employment: [], clients: [] };
      for (const r of reviews) {
        const e = episodes[r.ep % episodes.length]!;
        const date = addDays(e.start_date, r.offset);
        // As validation requires: not before the episode start, not more than 28 days after discharge.
        if (e.discharge_date !== undefined && date > addDays(e.discharge_date, 28)) continue;
        out.reviews.push({
          client_id: clientId,
          episode_id: e.episode_id,
          date,
          stage: r.stage,
          days_opiates: r.opi,
          days_crack: r.crack,
          days_cocaine: r.other,
          days_amphetamines: r.other,
          days_cannabis: r.other,
          days_other_drugs: r.other,
          days_alcohol: r.alc,
          days_injected: r.inj,
          days_paid_work: undefined,
          days_acquisitive_crime: undefined,
          quality_of_life: r.qol,
          psychological_health: undefined,
          physical_health: undefined,
          housing_problem: undefined,
          row: ++row,
        });
      }
      for (const t of tests) out.drug_tests.push({ client_id: clientId, date: day(t.d), substance: t.s, result: t.r, row: ++row });
      for (const o of offences) out.offences.push({ client_id: clientId, offence_date: day(o), category: 'acquisitive', row: ++row });
      for (const j of jobs) {
        out.employment.push({ client_id: clientId, start_date: day(j.s), end_date: j.len === undefined ? undefined : day(j.s + j.len), hours_per_week: j.h, row: ++row });
      }
      out.clients.push({ client_id: clientId, date_of_death: death === undefined ? undefined : day(death), row: ++row });
      return out;
    });
}

/** A dataset of 1–3 clients with every evidence file present. */
export const datasetArb: fc.Arbitrary<Dataset> = fc
  .array(fc.constantFrom('C1', 'C2', 'C3'), { minLength: 1, maxLength: 3 })
  .map((ids) => [...new Set(ids)])
  .chain((ids) => fc.tuple(...ids.map((id) => clientArb(id))))
  .map((parts) => ({
    episodes: parts.flatMap((p) => p.episodes),
    reviews: parts.flatMap((p) => p.reviews),
    drug_tests: parts.flatMap((p) => p.drug_tests),
    offences: parts.flatMap((p) => p.offences),
    employment: parts.flatMap((p) => p.employment),
    clients: parts.flatMap((p) => p.clients),
  }));

/** An asOf date within (and a little beyond) the generated histories. */
export const asOfArb = fc.integer({ min: 30, max: 1600 }).map(day);

/**
 * An asOf date for `data`, half the time within a few days of one of its edges — an episode's start
 * or discharge, the day its journey could settle (discharge + 21), a review, the close of a 7-day
 * confirmation window, a death — where statuses change; otherwise anywhere ({@link asOfArb}).
 */
export function asOfNearArb(data: Dataset): fc.Arbitrary<IsoDate> {
  const edges: IsoDate[] = [];
  for (const e of data.episodes) {
    edges.push(e.start_date);
    if (e.discharge_date !== undefined) edges.push(e.discharge_date, addDays(e.discharge_date, 21));
  }
  for (const r of data.reviews ?? []) edges.push(r.date, addDays(r.date, 7));
  for (const c of data.clients ?? []) if (c.date_of_death !== undefined) edges.push(c.date_of_death);
  const near = fc.tuple(fc.constantFrom(...edges), fc.integer({ min: -2, max: 2 })).map(([d, k]) => addDays(d, k));
  return fc.oneof(asOfArb, near);
}

/** The same dataset with every file's rows shuffled. */
export function shuffledArb(data: Dataset): fc.Arbitrary<Dataset> {
  const sh = <T>(xs: T[] | undefined) => (xs === undefined ? fc.constant(undefined) : fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length }));
  return fc.record({
    episodes: sh(data.episodes) as fc.Arbitrary<Located<Episode>[]>,
    reviews: sh(data.reviews),
    drug_tests: sh(data.drug_tests),
    offences: sh(data.offences),
    employment: sh(data.employment),
    clients: sh(data.clients),
  }) as fc.Arbitrary<Dataset>;
}

/**
 * The records of `data` as they were known on `asOf` (R-CAL-2): later episodes, reviews, tests,
 * offences, spells and deaths dropped, later discharges unseen, spells ending later shown as ongoing.
 * Running a rule on this at any later date asks "what if no further record arrives?".
 */
export function asKnownOn(data: Dataset, asOf: IsoDate): Dataset {
  const by = <T>(xs: T[] | undefined, date: (x: T) => IsoDate) => xs?.filter((x) => date(x) <= asOf);
  return {
    episodes: data.episodes.flatMap((e) => episodeAsOf(e, asOf) ?? []),
    reviews: by(data.reviews, (r) => r.date),
    drug_tests: by(data.drug_tests, (t) => t.date),
    offences: by(data.offences, (o) => o.offence_date),
    employment: by(data.employment, (s) => s.start_date)?.map((s) => (s.end_date !== undefined && s.end_date > asOf ? { ...s, end_date: undefined } : s)),
    clients: data.clients?.map((c) => (c.date_of_death !== undefined && c.date_of_death > asOf ? { ...c, date_of_death: undefined } : c)),
  };
}
