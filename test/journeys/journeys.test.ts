import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildJourneys, episodeInChargeOn, substanceGroupOf } from '../../src/journeys/index.js';
import { episode, opiateEpisode } from '../support/builders.js';

const ids = (js: ReturnType<typeof buildJourneys>) => js.map((j) => j.episodes.map((e) => e.episode_id));

describe('R-JNY-1 grouping episodes into journeys', () => {
  it('a gap of exactly 21 days continues the journey; 22 days starts a new one', () => {
    const a = episode('E1', '2024-01-01', '2024-02-01');
    expect(ids(buildJourneys([a, episode('E2', '2024-02-22', '2024-03-01')]))).toEqual([['E1', 'E2']]);
    expect(ids(buildJourneys([a, episode('E2', '2024-02-23', '2024-03-01')]))).toEqual([['E1'], ['E2']]);
  });

  it('the gap is measured from the latest discharge so far, not the previous episode', () => {
    const long = episode('E1', '2024-01-01', '2024-06-30');
    const inner = episode('E2', '2024-02-01', '2024-02-10');
    const next = episode('E3', '2024-07-15', '2024-08-01'); // 15 days after E1's discharge
    expect(ids(buildJourneys([long, inner, next]))).toEqual([['E1', 'E2', 'E3']]);
  });

  it('overlapping episodes and same-day restarts join the same journey', () => {
    const j = buildJourneys([episode('E1', '2024-01-01', '2024-03-01'), episode('E2', '2024-02-01', '2024-04-01'), episode('E3', '2024-04-01', '2024-05-01')]);
    expect(ids(j)).toEqual([['E1', 'E2', 'E3']]);
    expect(j[0]!.end_date).toBe('2024-05-01');
  });

  it('an open episode keeps the journey open, so every later episode joins it', () => {
    const j = buildJourneys([episode('E1', '2020-01-01'), episode('E2', '2022-01-01', '2022-02-01')]);
    expect(ids(j)).toEqual([['E1', 'E2']]);
    expect(j[0]!.end_date).toBeUndefined();
    expect(j[0]!.exit_reason).toBeUndefined();
    expect(j[0]!.current_episode.episode_id).toBe('E2');
  });

  it('orders episodes by start date then episode_id, whatever the input order', () => {
    const j = buildJourneys([episode('E9', '2024-01-01', '2024-01-10'), episode('E10', '2024-01-01', '2024-01-05')]);
    expect(j[0]!.episodes.map((e) => e.episode_id)).toEqual(['E10', 'E9']); // code point: '1' < '9'
    expect(j[0]!.journey_id).toBe('E10');
  });
});

describe('R-JNY-2 journey attributes', () => {
  it('exit reason from the latest discharge; ties go to the largest episode_id', () => {
    const j = buildJourneys([
      episode('E1', '2024-01-01', '2024-03-01', { exit_reason: 'dropped_out' }),
      episode('E2', '2024-01-05', '2024-03-01', { exit_reason: 'completed_alcohol_free' }),
      episode('E3', '2024-01-07', '2024-02-01', { exit_reason: 'moved_away' }),
    ])[0]!;
    expect(j.exit_episode!.episode_id).toBe('E2');
    expect(j.exit_reason).toBe('completed_alcohol_free');
    expect(j.exit_class).toBe('successful');
  });

  it('band of the first episode that has one; a scheme code maps onto a standard exit', () => {
    const j = buildJourneys(
      [episode('E1', '2024-01-01', '2024-01-10', { tariff_band: undefined }), episode('E2', '2024-01-05', '2024-02-01', { tariff_band: '3', exit_reason: 'pbr_done' })],
      { exitReasonMap: { pbr_done: 'completed_drug_free' } },
    )[0]!;
    expect(j.tariff_band).toBe('3');
    expect(j.exit_code).toBe('completed_drug_free');
    expect(j.exit_class).toBe('successful');
  });
});

describe('R-JNY-3 substance group', () => {
  it('applies the precedence opiate > non-opiate and alcohol > non-opiate > alcohol', () => {
    expect(substanceGroupOf(['alcohol', 'crack'])).toBe('opiate');
    expect(substanceGroupOf(['cannabis', 'alcohol'])).toBe('non_opiate_and_alcohol');
    expect(substanceGroupOf(['cocaine'])).toBe('non_opiate');
    expect(substanceGroupOf(['alcohol'])).toBe('alcohol');
  });
  it('uses the union of substances of the episodes known at asOf', () => {
    const eps = [episode('E1', '2024-01-01', '2024-03-01'), opiateEpisode('E2', '2024-02-01', '2024-03-01')];
    expect(buildJourneys(eps)[0]!.substance_group).toBe('opiate');
    expect(buildJourneys(eps, { asOf: '2024-01-31' })[0]!.substance_group).toBe('alcohol');
  });
});

describe("R-JNY-3 a journey's substances", () => {
  it('are the union of its episodes\' in canonical order (its substance group reads them), one frozen list per set shared by journeys citing it', () => {
    const a = buildJourneys([episode('E1', '2024-01-01', '2024-02-01', { substances: ['alcohol', 'opiates'] }), episode('E2', '2024-01-10', '2024-02-01', { substances: ['cannabis'] })])[0]!;
    const b = buildJourneys([episode('E3', '2024-06-01', undefined, { substances: ['cannabis', 'opiates', 'alcohol', 'opiates'] })])[0]!;
    expect(a.substances).toEqual(['opiates', 'cannabis', 'alcohol']);
    expect(b.substances).toBe(a.substances);
    expect(Object.isFrozen(a.substances)).toBe(true);
  });
  it('keep a substance the library does not know (records that were not validated) in a list of their own', () => {
    const j = buildJourneys([episode('E1', '2024-01-01', '2024-02-01', { substances: ['ketamine' as never, 'alcohol'] })])[0]!;
    expect(j.substances).toContain('ketamine');
    expect(j.substance_group).toBe('non_opiate_and_alcohol');
  });
});

describe('R-CAL-2 the journey as known at asOf', () => {
  it('episodes starting after asOf do not exist; a discharge after asOf is unseen', () => {
    const eps = [episode('E1', '2024-01-01', '2024-03-01'), episode('E2', '2024-05-01', '2024-06-01')];
    const j = buildJourneys(eps, { asOf: '2024-02-15' });
    expect(j).toHaveLength(1);
    expect(j[0]!.end_date).toBeUndefined();
    expect(j[0]!.exit_reason).toBeUndefined();
    // A record dated exactly asOf is seen.
    expect(buildJourneys(eps, { asOf: '2024-03-01' })[0]!.end_date).toBe('2024-03-01');
  });
});

describe('R-JNY-4 provider in charge on a date', () => {
  const eps = [
    episode('E1', '2024-01-01', '2024-03-01', { provider_id: 'PA' }),
    episode('E2', '2024-02-15', '2024-05-01', { provider_id: 'PB', area_code: 'A2' }),
  ];
  const j = buildJourneys(eps)[0]!;
  it('is the latest episode started on or before the date while the journey runs', () => {
    expect(episodeInChargeOn(j, '2024-02-01').provider_id).toBe('PA');
    expect(episodeInChargeOn(j, '2024-02-15').provider_id).toBe('PB');
  });
  it('is the exit episode once the journey has ended', () => {
    expect(episodeInChargeOn(j, '2024-05-01').provider_id).toBe('PB');
    expect(episodeInChargeOn(j, '2025-01-01').area_code).toBe('A2');
    expect(j.first_episode.provider_id).toBe('PA'); // attachment
  });
});

// Random episodes of one client, valid as validation would leave them.
const dayArb = fc.integer({ min: 0, max: 900 });
const episodesArb = fc
  .array(fc.record({ start: dayArb, len: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }) }), { minLength: 1, maxLength: 12 })
  .map((xs) =>
    xs.map((x, i) => {
      const start = new Date(Date.UTC(2020, 0, 1) + x.start * 86_400_000).toISOString().slice(0, 10);
      const end = x.len === undefined ? undefined : new Date(Date.UTC(2020, 0, 1) + (x.start + x.len) * 86_400_000).toISOString().slice(0, 10);
      return episode(`E${i}`, start, end);
    }),
  );

describe('R-JNY-1 laws (property)', () => {
  it('every episode is in exactly one journey, and journeys do not overlap or touch within the gap', () => {
    fc.assert(
      fc.property(episodesArb, (eps) => {
        const js = buildJourneys(eps);
        const seen = js.flatMap((j) => j.episodes.map((e) => e.episode_id)).sort();
        expect(seen).toEqual(eps.map((e) => e.episode_id).sort());
        for (let i = 1; i < js.length; i++) {
          const prev = js[i - 1]!;
          expect(prev.end_date).toBeDefined();
          const gap = (Date.parse(js[i]!.start_date) - Date.parse(prev.end_date!)) / 86_400_000;
          expect(gap).toBeGreaterThan(21);
        }
      }),
    );
  });

  it('journeys do not depend on input order, and the list given is left as it was (never sorted in place)', () => {
    fc.assert(
      fc.property(episodesArb.chain((eps) => fc.tuple(fc.constant(eps), fc.shuffledSubarray(eps, { minLength: eps.length }))), ([eps, shuffled]) => {
        const given = [...shuffled];
        expect(JSON.stringify(buildJourneys(shuffled))).toBe(JSON.stringify(buildJourneys(eps)));
        expect(shuffled).toEqual(given);
        // As known at a date among the episodes' own (some left out or still open then): the same.
        const asOf = eps[0]!.start_date;
        expect(JSON.stringify(buildJourneys(shuffled, { asOf }))).toBe(JSON.stringify(buildJourneys([...eps].reverse(), { asOf })));
        expect(shuffled).toEqual(given);
      }),
    );
  });
});
