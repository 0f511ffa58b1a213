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
  const episodes = [episode('E1', '2020-01-01'), episode('E2', '2021-01-01', undefined, { client_id: 'C1' })];
  const reviews = [review('E1', '2020-01-01', 'start'), review('E1', '2020-04-01', 'review'), review('E2', '2021-02-01', 'start'), review('E1', '2020-07-01', 'review')];
  const records: ClientRecords = { client_id: 'C1', episodes, reviews, drug_tests: [], offences: [], employment: [], client: undefined };

  it('are the reviews of the journey\'s episodes dated within it (to asOf while open)', () => {
    expect(journeyReviews(contextOf(records, '2020-05-01')).map((r) => r.date)).toEqual(['2020-01-01', '2020-04-01']);
    expect(journeyReviews(contextOf(records, '2021-12-31')).map((r) => `${r.episode_id} ${r.date}`)).toEqual(['E1 2020-01-01', 'E1 2020-04-01', 'E1 2020-07-01', 'E2 2021-02-01']);
  });

  it('answer for the context asked about, whichever was asked before: the same journey with other evidence or another asOf', () => {
    const early = contextOf(records, '2020-05-01');
    const late = contextOf(records, '2021-12-31');
    // The same journey object seen with other evidence and another asOf (the answer must follow them).
    const sameJourney: OutcomeContext = { ...late, journey: early.journey };
    const fewer: OutcomeContext = { ...early, evidence: { ...early.evidence, reviews: early.evidence.reviews.slice(0, 1) } };
    for (let round = 0; round < 2; round++) {
      expect(journeyReviews(early)).toHaveLength(2);
      expect(journeyReviews(fewer)).toHaveLength(1);
      expect(journeyReviews(late)).toHaveLength(4);
      expect(journeyReviews(sameJourney).map((r) => r.date)).toEqual(['2020-01-01', '2020-04-01', '2020-07-01']);
      expect(journeyReviews(early)).toBe(journeyReviews(early));
    }
  });
});
