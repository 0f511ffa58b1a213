/**
 * Shape sanity checks: the synthetic cohort keeps realistic proportions (assumptions in
 * src/generate/assumptions.ts and examples/README.md), within tolerances wide enough for sampling
 * noise and narrow enough to catch a broken table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths, daysBetween } from '../../src/calendar/index.js';
import { STANDARD_EXIT_REASONS, type SubstanceGroup } from '../../src/schema/codes.js';
import type { Dataset } from '../../src/schema/dataset.js';
import type { Episode, Located } from '../../src/schema/records.js';
import { buildJourneys, type Journey } from '../../src/journeys/index.js';
import { cohort, validate } from './helpers.js';

const EXTRACT = '2015-03-31';
let data: Dataset;
let journeys: Map<string, Journey[]>;
let clients: number;

const share = (n: number, d: number) => (d === 0 ? 0 : n / d);

beforeAll(() => {
  const c = cohort({ clients: 4000, seed: 4242 });
  const v = validate(c);
  expect(v.rejections).toEqual([]);
  data = v.data;
  clients = 4000;
  const byClient = new Map<string, Located<Episode>[]>();
  for (const e of data.episodes) {
    const list = byClient.get(e.client_id) ?? [];
    list.push(e);
    byClient.set(e.client_id, list);
  }
  journeys = new Map([...byClient].map(([k, eps]) => [k, buildJourneys(eps, { asOf: EXTRACT })]));
});

const allJourneys = () => [...journeys.values()].flat();

describe('shape of the synthetic cohort', () => {
  it('every client has at least one episode', () => {
    expect(journeys.size).toBe(clients);
  });

  it('substance mix: opiates ± crack about half, alcohol only about 30%, non-opiate groups the rest', () => {
    const count = new Map<SubstanceGroup, number>();
    for (const js of journeys.values()) count.set(js[0]!.substance_group, (count.get(js[0]!.substance_group) ?? 0) + 1);
    expect(share(count.get('opiate') ?? 0, clients)).toBeGreaterThan(0.44);
    expect(share(count.get('opiate') ?? 0, clients)).toBeLessThan(0.56);
    expect(share(count.get('alcohol') ?? 0, clients)).toBeGreaterThan(0.24);
    expect(share(count.get('alcohol') ?? 0, clients)).toBeLessThan(0.34);
    for (const g of ['non_opiate', 'non_opiate_and_alcohol'] as const) {
      expect(share(count.get(g) ?? 0, clients), g).toBeGreaterThan(0.06);
      expect(share(count.get(g) ?? 0, clients), g).toBeLessThan(0.15);
    }
  });

  it('re-presentations: a minority of clients start more than one journey', () => {
    const multi = [...journeys.values()].filter((js) => js.length > 1).length;
    expect(share(multi, clients)).toBeGreaterThan(0.08);
    expect(share(multi, clients)).toBeLessThan(0.3);
  });

  it('successful completion is much likelier for alcohol and non-opiate journeys than for opiate journeys', () => {
    const rate = (g: SubstanceGroup) => {
      const closed = allJourneys().filter((j) => j.substance_group === g && j.end_date !== undefined);
      return share(closed.filter((j) => j.exit_class === 'successful').length, closed.length);
    };
    expect(rate('opiate')).toBeGreaterThan(0.15);
    expect(rate('opiate')).toBeLessThan(0.4);
    expect(rate('alcohol')).toBeGreaterThan(0.45);
    expect(rate('alcohol')).toBeLessThan(0.75);
    expect(rate('non_opiate')).toBeGreaterThan(rate('opiate') + 0.2);
    const closed = allJourneys().filter((j) => j.end_date !== undefined);
    const ok = share(closed.filter((j) => j.exit_class === 'successful').length, closed.length);
    expect(ok).toBeGreaterThan(0.3);
    expect(ok).toBeLessThan(0.6);
  });

  it('opiate treatment runs longer: often over a year, and more often still open at the extract', () => {
    const lengths = (opiate: boolean) =>
      data.episodes
        .filter((e) => (e.substances.includes('opiates') || e.substances.includes('crack')) === opiate)
        .map((e) => daysBetween(e.start_date, e.discharge_date ?? EXTRACT))
        .sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
    const op = lengths(true);
    const other = lengths(false);
    expect(median(op)).toBeGreaterThan(1.5 * median(other));
    expect(share(op.filter((d) => d > 365).length, op.length)).toBeGreaterThan(0.3);
    const openShare = (g: SubstanceGroup) => {
      const js = allJourneys().filter((j) => j.substance_group === g);
      return share(js.filter((j) => j.end_date === undefined).length, js.length);
    };
    expect(openShare('opiate')).toBeGreaterThan(0.1);
    expect(openShare('opiate')).toBeGreaterThan(2 * openShare('alcohol'));
  });

  it('offending is concentrated: 20–32% of clients, the top tenth of offenders hold a large share', () => {
    const perClient = new Map<string, number>();
    for (const o of data.offences!) perClient.set(o.client_id, (perClient.get(o.client_id) ?? 0) + 1);
    expect(share(perClient.size, clients)).toBeGreaterThan(0.2);
    expect(share(perClient.size, clients)).toBeLessThan(0.32);
    const counts = [...perClient.values()].sort((a, b) => b - a);
    const total = counts.reduce((a, b) => a + b, 0);
    const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0);
    expect(share(top, total)).toBeGreaterThan(0.3);
  });

  it('offending falls after the start for those who complete (R-OUT-4 windows: 12 months before, 6 after)', () => {
    const byClient = new Map<string, string[]>();
    for (const o of data.offences!) byClient.set(o.client_id, [...(byClient.get(o.client_id) ?? []), o.offence_date]);
    let before = 0;
    let after = 0;
    let metShare = [0, 0];
    for (const [id, js] of journeys) {
      const j = js[0]!;
      const dates = byClient.get(id) ?? [];
      const b = dates.filter((d) => d >= addMonths(j.start_date, -12) && d <= j.start_date).length;
      const a = dates.filter((d) => d > j.start_date && d <= addMonths(j.start_date, 6)).length;
      if (b > 0) {
        metShare = [metShare[0]! + (a === 0 ? 1 : 0), metShare[1]! + 1];
        if (j.exit_class === 'successful') {
          before += b;
          after += a;
        }
      }
    }
    expect(after).toBeLessThan(before * 0.3);
    // Not trivially all met or all failed among eligible clients.
    expect(share(metShare[0]!, metShare[1]!)).toBeGreaterThan(0.2);
    expect(share(metShare[0]!, metShare[1]!)).toBeLessThan(0.8);
  });

  it('about 1% of clients die, more among opiate clients', () => {
    const died = new Set(data.clients!.filter((c) => c.date_of_death !== undefined).map((c) => c.client_id));
    for (const e of data.episodes) if (e.exit_reason === 'died') died.add(e.client_id);
    expect(share(died.size, clients)).toBeGreaterThan(0.004);
    expect(share(died.size, clients)).toBeLessThan(0.025);
    const group = (id: string) => journeys.get(id)![0]!.substance_group;
    const opiateClients = [...journeys.keys()].filter((id) => group(id) === 'opiate').length;
    const opiateDeaths = [...died].filter((id) => group(id) === 'opiate').length;
    expect(share(opiateDeaths, opiateClients)).toBeGreaterThan(share(died.size - opiateDeaths, clients - opiateClients));
  });

  it('paid work: a minority of clients have a spell; some part-time, some ongoing, some without hours', () => {
    const emp = data.employment!;
    const withWork = new Set(emp.map((e) => e.client_id)).size;
    expect(share(withWork, clients)).toBeGreaterThan(0.1);
    expect(share(withWork, clients)).toBeLessThan(0.35);
    expect(emp.some((e) => e.end_date === undefined)).toBe(true);
    expect(emp.some((e) => e.hours_per_week !== undefined && e.hours_per_week < 16)).toBe(true);
    expect(emp.some((e) => e.hours_per_week === undefined)).toBe(true);
  });

  it('TOP reviews: start reviews for most journeys, quality of life improves by 4+ points in some journeys but not all', () => {
    const reviewsByEpisode = new Map<string, NonNullable<Dataset['reviews']>>();
    for (const r of data.reviews!) reviewsByEpisode.set(r.episode_id, [...(reviewsByEpisode.get(r.episode_id) ?? []), r]);
    let withStart = 0;
    let improved = 0;
    for (const j of allJourneys()) {
      const rs = j.episodes.flatMap((e) => reviewsByEpisode.get(e.episode_id) ?? []).sort((a, b) => (a.date < b.date ? -1 : 1));
      const start = rs.find((r) => r.stage === 'start' && r.quality_of_life !== undefined);
      if (!start) continue;
      withStart++;
      if (rs.some((r) => r.date > start.date && r.quality_of_life !== undefined && r.quality_of_life >= start.quality_of_life! + 4)) improved++;
    }
    expect(share(withStart, allJourneys().length)).toBeGreaterThan(0.75);
    expect(share(improved, withStart)).toBeGreaterThan(0.15);
    expect(share(improved, withStart)).toBeLessThan(0.75);
  });

  it('days of use fall for those who complete: exit reviews of successful episodes mostly record 0 days', () => {
    const exits = new Map(data.episodes.filter((e) => e.exit_reason !== undefined).map((e) => [e.episode_id, e]));
    const exitReviews = data.reviews!.filter((r) => r.stage === 'exit' && STANDARD_EXIT_REASONS[exits.get(r.episode_id)?.exit_reason as keyof typeof STANDARD_EXIT_REASONS] === 'successful');
    const starts = data.reviews!.filter((r) => r.stage === 'start');
    const abstinent = (r: (typeof starts)[number]) => {
      const e = data.episodes.find((x) => x.episode_id === r.episode_id)!;
      return e.substances.every((s) => r[`days_${s}`] === 0);
    };
    expect(exitReviews.length).toBeGreaterThan(200);
    expect(share(exitReviews.filter(abstinent).length, exitReviews.length)).toBeGreaterThan(0.7);
    expect(share(starts.slice(0, 500).filter(abstinent).length, 500)).toBeLessThan(0.1);
  });

  it('drug tests: opiate clients are tested, positive early and negative later for those who do well; a few invalid or refused', () => {
    const tests = data.drug_tests!;
    const results = new Map<string, number>();
    for (const t of tests) results.set(t.result, (results.get(t.result) ?? 0) + 1);
    expect(share(results.get('positive') ?? 0, tests.length)).toBeGreaterThan(0.2);
    expect(share(results.get('negative') ?? 0, tests.length)).toBeGreaterThan(0.2);
    expect(share((results.get('invalid') ?? 0) + (results.get('refused') ?? 0), tests.length)).toBeGreaterThan(0.02);
    expect(share((results.get('invalid') ?? 0) + (results.get('refused') ?? 0), tests.length)).toBeLessThan(0.1);
    expect(tests.some((t) => !['opiates', 'crack'].includes(t.substance))).toBe(true);
  });

  it('tariff bands 1–3, complexity higher for opiate journeys, a few blank', () => {
    const bands = (g: SubstanceGroup) => allJourneys().filter((j) => j.substance_group === g).map((j) => j.tariff_band);
    const band3 = (g: SubstanceGroup) => share(bands(g).filter((b) => b === '3').length, bands(g).length);
    expect(band3('opiate')).toBeGreaterThan(2 * band3('alcohol'));
    expect(new Set(data.episodes.map((e) => e.tariff_band))).toEqual(new Set(['1', '2', '3', undefined]));
    const injecting = data.episodes.filter((e) => e.injecting_at_start === true);
    const opiateInjecting = injecting.filter((e) => e.substances.includes('opiates') || e.substances.includes('crack'));
    expect(share(opiateInjecting.length, injecting.length)).toBeGreaterThan(0.85);
  });
});
