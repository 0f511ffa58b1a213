import { describe, expect, it } from 'vitest';
import { evidenceAsOf, type ClientRecords, type EvidencePresence } from '../../src/evidence/index.js';
import { buildJourneys } from '../../src/journeys/index.js';
import { journeyReviews, type OutcomeContext } from '../../src/outcomes/context.js';
import { episode, review } from '../support/builders.js';

const ALL: EvidencePresence = { reviews: true, drug_tests: true, offences: true, employment: true, clients: true };

function contextOf(records: ClientRecords, asOf: string): OutcomeContext {
  const journeys = buildJourneys(records.episodes, { asOf });
  return { journey: journeys[0]!, journeys, evidence: evidenceAsOf(records, ALL, asOf), asOf, journeyGapDays: 21, explain: false };
}

describe('journeyReviews (R-OUT-3)', () => {
  const episodes = [episode('E1', '2020-01-01'), episode('E2', '2021-01-01')];
  const reviews = [review('E1', '2020-01-01', 'start'), review('E1', '2020-04-01', 'review'), review('E2', '2021-02-01', 'start'), review('E1', '2020-07-01', 'review')];
  const records: ClientRecords = { client_id: 'C1', episodes, reviews, drug_tests: [], offences: [], employment: [], client: undefined };

  it('are the reviews of the journey\'s episodes dated within it (to asOf while open)', () => {
    expect(journeyReviews(contextOf(records, '2020-05-01')).map((r) => r.date)).toEqual(['2020-01-01', '2020-04-01']);
    expect(journeyReviews(contextOf(records, '2021-12-31')).map((r) => `${r.episode_id} ${r.date}`)).toEqual(['E1 2020-01-01', 'E1 2020-04-01', 'E1 2020-07-01', 'E2 2021-02-01']);
    // A closed journey: not a review of an episode outside it, nor one dated before its start or after its end.
    const closed: ClientRecords = {
      ...records,
      episodes: [episode('E7', '2020-03-01', '2020-06-01')],
      reviews: [review('E7', '2020-02-01', 'start'), review('E7', '2020-03-01', 'start'), review('E9', '2020-04-01', 'review'), review('E7', '2020-06-01', 'exit'), review('E7', '2020-06-02', 'post_exit')],
    };
    expect(journeyReviews(contextOf(closed, '2021-12-31')).map((r) => `${r.episode_id} ${r.date}`)).toEqual(['E7 2020-03-01', 'E7 2020-06-01']);
  });

  it('are the client\'s own list when every review is the journey\'s, and a list of their own otherwise', () => {
    const one: ClientRecords = {
      ...records,
      episodes: [episode('E7', '2020-03-01', '2020-06-01')],
      reviews: [review('E7', '2020-03-01', 'start'), review('E7', '2020-04-01', 'review'), review('E7', '2020-06-01', 'exit')],
    };
    const ctx = contextOf(one, '2021-12-31');
    expect(journeyReviews(ctx)).toBe(ctx.evidence.reviews);
    // The last review is after the journey's end: it is left out, so the list is not the client's.
    const after: ClientRecords = { ...one, reviews: [...one.reviews, review('E7', '2020-06-02', 'post_exit')] };
    const later = contextOf(after, '2021-12-31');
    expect(journeyReviews(later)).not.toBe(later.evidence.reviews);
    expect(journeyReviews(later).map((r) => r.date)).toEqual(['2020-03-01', '2020-04-01', '2020-06-01']);
  });

  it('answer for the context asked about, whichever was asked before: the same journey with other evidence or another asOf', () => {
    const early = contextOf(records, '2020-05-01');
    const late = contextOf(records, '2021-12-31');
    // The same journey object seen with other evidence and another asOf (the answer must follow them).
    const sameJourney: OutcomeContext = { ...late, journey: early.journey };
    // Written out, not spread: the evidence's drug_tests is a getter (made when first read).
    const fewer: OutcomeContext = { ...early, evidence: { ...early.evidence, drug_tests: early.evidence.drug_tests, reviews: early.evidence.reviews.slice(0, 1) } };
    // The same journey and the same reviews, another asOf: the open journey now reaches July.
    const later: OutcomeContext = { ...sameJourney, asOf: '2020-12-31' };
    const laterStill: OutcomeContext = { ...sameJourney, asOf: '2020-06-30' };
    for (let round = 0; round < 2; round++) {
      expect(journeyReviews(early)).toHaveLength(2);
      expect(journeyReviews(fewer)).toHaveLength(1);
      expect(journeyReviews(late)).toHaveLength(4);
      expect(journeyReviews(sameJourney).map((r) => r.date)).toEqual(['2020-01-01', '2020-04-01', '2020-07-01']);
      expect(journeyReviews(laterStill).map((r) => r.date)).toEqual(['2020-01-01', '2020-04-01']);
      expect(journeyReviews(later).map((r) => r.date)).toEqual(['2020-01-01', '2020-04-01', '2020-07-01']);
      // Asked again at once: the answer remembered, the same list.
      expect(journeyReviews(early)).toBe(journeyReviews(early));
    }
  });
});
