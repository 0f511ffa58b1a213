import { describe, expect, it } from 'vitest';
import { presetScheme } from '../../src/presets/index.js';
import { maskOfSubstances, substancesOfMask } from '../../src/schema/codes.js';
import { brief, dataset, decide, died, drugTest, episode, oneOutcome, opiateEpisode, review } from '../support/builders.js';

const anyReview = oneOutcome({ type: 'abstinence', substances: 'cited', at: 'any_review' });
const atExit = oneOutcome({ type: 'abstinence', at: 'exit' });
const after6 = oneOutcome({ type: 'abstinence', at: 'review_after_months', months: 6 });
const confirmed = oneOutcome({
  type: 'abstinence',
  at: 'review_after_months',
  months: 6,
  confirmTest: { substances: ['opiates', 'crack'], withinDays: 7 },
});

describe('R-OUT-3 abstinence', () => {
  it('the earliest review with 0 days of every cited substance wins', () => {
    const data = dataset({
      episodes: [episode('E1', '2024-01-01', '2024-12-01', { substances: ['alcohol', 'cannabis'] })],
      reviews: [
        review('E1', '2024-01-01', 'start', { days_alcohol: 20, days_cannabis: 10 }),
        review('E1', '2024-04-01', 'review', { days_alcohol: 0, days_cannabis: 2 }),
        review('E1', '2024-07-01', 'review', { days_alcohol: 0, days_cannabis: 0 }),
        review('E1', '2024-10-01', 'review', { days_alcohol: 0, days_cannabis: 0 }),
      ],
    });
    expect(brief(decide(data, anyReview, '2025-01-01'))).toEqual({ status: 'met', achieved_on: '2024-07-01' });
  });

  it('a blank count is not evidence of abstinence', () => {
    const data = dataset({
      episodes: [episode('E1', '2024-01-01', '2024-06-01', { substances: ['alcohol', 'cannabis'] })],
      reviews: [review('E1', '2024-05-01', 'review', { days_alcohol: 0 })],
    });
    expect(brief(decide(data, anyReview, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'not_abstinent' });
  });

  it('at exit: only the exit review of the exit episode counts', () => {
    const data = dataset({
      episodes: [episode('E1', '2024-01-01', '2024-06-01')],
      reviews: [review('E1', '2024-03-01', 'review', { days_alcohol: 0 }), review('E1', '2024-06-01', 'exit', { days_alcohol: 3 })],
    });
    expect(brief(decide(data, atExit, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'not_abstinent' });
    const none = dataset({ episodes: [episode('E1', '2024-01-01', '2024-06-01')], reviews: [] });
    expect(brief(decide(none, atExit, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'no_qualifying_review' });
  });

  it('at exit: achieved at the exit, and only once the journey can no longer be continued', () => {
    const data = dataset({
      episodes: [episode('E1', '2024-01-01', '2024-06-01')],
      reviews: [review('E1', '2024-05-28', 'exit', { days_alcohol: 0 })],
    });
    expect(brief(decide(data, atExit, '2024-06-10'))).toEqual({ status: 'pending', due_on: '2024-06-22', reason: 'window_open' });
    expect(brief(decide(data, atExit, '2024-06-22'))).toEqual({ status: 'met', achieved_on: '2024-06-01' });
    // An episode starting within 21 days continues the journey: its exit review is then the one that counts.
    const continued = { ...data, episodes: [...data.episodes, episode('E2', '2024-06-15', '2024-08-01')] };
    expect(brief(decide(continued, atExit, '2024-12-01'))).toEqual({ status: 'not_met', reason: 'no_qualifying_review' });
  });

  it('review_after_months: a review the day before start + 6 months does not count; on that day it does', () => {
    const mk = (date: string) =>
      dataset({ episodes: [episode('E1', '2024-01-31', '2024-12-01')], reviews: [review('E1', date, 'review', { days_alcohol: 0 })] });
    expect(decide(mk('2024-07-30'), after6, '2025-01-01').status).toBe('not_met');
    expect(brief(decide(mk('2024-07-31'), after6, '2025-01-01'))).toEqual({ status: 'met', achieved_on: '2024-07-31' });
  });

  it('reviews outside the journey do not count', () => {
    const data = dataset({
      episodes: [episode('E1', '2024-01-01', '2024-06-01')],
      reviews: [review('E1', '2024-06-20', 'post_exit', { days_alcohol: 0 })],
    });
    expect(decide(data, anyReview, '2025-01-01').reason).toBe('no_qualifying_review');
  });

  it('an open journey without a qualifying review is pending/in_treatment', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01')], reviews: [review('E1', '2024-03-01', 'review', { days_alcohol: 4 })] });
    expect(brief(decide(data, anyReview, '2025-01-01'))).toEqual({ status: 'pending', reason: 'in_treatment' });
  });

  it('a journey is judged by each rule on its own, whether its substances are a shared list of the set or its own', () => {
    // The pipeline's episodes share one frozen list per set of substances, and what a review is
    // judged on is kept per rule and list: each rule must still be judged on its own terms.
    const shared = substancesOfMask(maskOfSubstances(['opiates', 'alcohol']));
    expect(Object.isFrozen(shared)).toBe(true);
    const withList = (substances: typeof shared) =>
      dataset({
        episodes: [opiateEpisode('E1', '2024-01-01', '2025-01-01', { substances })],
        reviews: [review('E1', '2024-07-10', 'review', { days_opiates: 0, days_alcohol: 0 })],
        drug_tests: [drugTest('2024-07-08', 'opiates', 'negative')],
      });
    const rules = {
      opiateTest: confirmed,
      crackTest: oneOutcome({ type: 'abstinence', at: 'review_after_months', months: 6, confirmTest: { substances: ['crack'], withinDays: 7 } }),
      alcoholOnly: oneOutcome({ type: 'abstinence', substances: ['alcohol'], at: 'any_review' }),
    };
    const expected = {
      opiateTest: { status: 'met', achieved_on: '2024-07-17' },
      crackTest: { status: 'met', achieved_on: '2024-07-10' },
      alcoholOnly: { status: 'met', achieved_on: '2024-07-10' },
    };
    for (let round = 0; round < 2; round++) {
      for (const [name, scheme] of Object.entries(rules)) {
        // The shared list, a list of the caller's own, and one the caller froze: the same answers.
        for (const list of [shared, [...shared], Object.freeze([...shared]) as typeof shared]) {
          expect(brief(decide(withList(list), scheme, '2025-06-01')), name).toEqual(expected[name as keyof typeof expected]);
        }
      }
    }
    // A rule changed after it was read is judged as it is now (the opiate rule now asks for a crack test).
    const changed = oneOutcome({ type: 'abstinence', at: 'review_after_months', months: 6, confirmTest: { substances: ['opiates'], withinDays: 7 } });
    expect(brief(decide(withList(shared), changed, '2025-06-01'))).toEqual({ status: 'met', achieved_on: '2024-07-17' });
    const rule = changed.outcomes[0]!.primitives[0] as { confirmTest: { substances: string[] } };
    rule.confirmTest.substances.splice(0, 1, 'crack');
    expect(brief(decide(withList(shared), changed, '2025-06-01'))).toEqual({ status: 'met', achieved_on: '2024-07-10' });
    // Use of a substance the shared list cites defeats the review under the rule that cites it.
    const used = dataset({
      episodes: [opiateEpisode('E1', '2024-01-01', '2025-01-01', { substances: shared })],
      reviews: [review('E1', '2024-07-10', 'review', { days_opiates: 0, days_alcohol: 3 })],
      drug_tests: [drugTest('2024-07-08', 'opiates', 'negative')],
    });
    expect(decide(used, rules.opiateTest, '2025-06-01').reason).toBe('not_abstinent');
    expect(decide(used, rules.alcoholOnly, '2025-06-01').reason).toBe('not_abstinent');
  });

  it('a review is judged on the substances of the episodes started by its date, the journey\'s first alone or more', () => {
    // E2 joins the journey on 1 March citing alcohol: a review before it is judged on opiates
    // alone, one after it on both (a decision made on a review is not overturned later: R-CAL-3).
    const opiatesOnly = substancesOfMask(maskOfSubstances(['opiates']));
    const alcoholOnly = substancesOfMask(maskOfSubstances(['alcohol']));
    const journey = [episode('E1', '2024-01-01', '2024-12-01', { substances: opiatesOnly }), episode('E2', '2024-03-01', '2024-12-01', { substances: alcoholOnly })];
    const before = dataset({ episodes: journey, reviews: [review('E1', '2024-02-01', 'review', { days_opiates: 0, days_alcohol: 3 })] });
    expect(brief(decide(before, anyReview, '2025-06-01'))).toEqual({ status: 'met', achieved_on: '2024-02-01' });
    const after = dataset({ episodes: journey, reviews: [review('E1', '2024-04-01', 'review', { days_opiates: 0, days_alcohol: 3 })] });
    expect(brief(decide(after, anyReview, '2025-06-01'))).toEqual({ status: 'not_met', reason: 'not_abstinent' });
  });

  describe('confirmation by drug tests (opiate journeys)', () => {
    const opiate = (tests: ReturnType<typeof drugTest>[], end = '2025-01-01') =>
      dataset({
        episodes: [opiateEpisode('E1', '2024-01-01', end)],
        reviews: [review('E1', '2024-07-10', 'review', { days_opiates: 0 })],
        drug_tests: tests,
      });

    it('met at review + withinDays with a negative and no positive test in ±7 days', () => {
      const d = decide(opiate([drugTest('2024-07-03', 'opiates', 'negative')]), confirmed, '2025-06-01');
      expect(brief(d)).toEqual({ status: 'met', achieved_on: '2024-07-17' });
      expect(d.steps[0]!.evidence.map((e) => e.file)).toEqual(['reviews', 'drug_tests']);
    });

    it('a test 8 days away does not confirm; 7 days does', () => {
      expect(decide(opiate([drugTest('2024-07-02', 'opiates', 'negative')]), confirmed, '2025-06-01').reason).toBe('not_confirmed');
      expect(decide(opiate([drugTest('2024-07-17', 'opiates', 'negative')]), confirmed, '2025-06-01').status).toBe('met');
    });

    it('a positive test in the window defeats the review, even with a negative', () => {
      const d = decide(opiate([drugTest('2024-07-08', 'opiates', 'negative'), drugTest('2024-07-12', 'opiates', 'positive')]), confirmed, '2025-06-01');
      expect(brief(d)).toEqual({ status: 'not_met', reason: 'not_confirmed' });
    });

    it('invalid and refused tests are neither negative nor positive', () => {
      const d = decide(opiate([drugTest('2024-07-08', 'opiates', 'refused'), drugTest('2024-07-09', 'opiates', 'invalid')]), confirmed, '2025-06-01');
      expect(d.reason).toBe('not_confirmed');
    });

    it('is pending while the confirmation window is open', () => {
      const d = decide(opiate([drugTest('2024-07-10', 'opiates', 'negative')], undefined as unknown as string), confirmed, '2024-07-12');
      expect(brief(d)).toEqual({ status: 'pending', due_on: '2024-07-17', reason: 'window_open' });
    });

    it('needs a test only for the confirm substances the journey cites', () => {
      const data = dataset({
        episodes: [episode('E1', '2024-01-01', '2025-01-01', { substances: ['cocaine'] })],
        reviews: [review('E1', '2024-07-10', 'review', { days_cocaine: 0 })],
      });
      expect(brief(decide(data, confirmed, '2025-06-01'))).toEqual({ status: 'met', achieved_on: '2024-07-10' });
      const both = dataset({
        episodes: [opiateEpisode('E1', '2024-01-01', '2025-01-01', { substances: ['opiates', 'crack'] })],
        reviews: [review('E1', '2024-07-10', 'review', { days_opiates: 0, days_crack: 0 })],
        drug_tests: [drugTest('2024-07-10', 'opiates', 'negative')],
      });
      expect(decide(both, confirmed, '2025-06-01').reason).toBe('not_confirmed'); // no crack test
    });

    it('without a drug_tests file the confirmation cannot be made (no_evidence)', () => {
      const data = { ...opiate([]), drug_tests: undefined };
      expect(brief(decide(data, confirmed, '2025-06-01'))).toEqual({ status: 'not_met', reason: 'no_evidence' });
    });

    it('death before the confirmation completes defeats it; death after does not (R-OUT-9)', () => {
      const tests = [drugTest('2024-07-10', 'opiates', 'negative')];
      const before = { ...opiate(tests), clients: [died('2024-07-15')] };
      expect(brief(decide(before, confirmed, '2025-06-01'))).toEqual({ status: 'not_met', reason: 'died' });
      const onTheDay = { ...opiate(tests), clients: [died('2024-07-17')] };
      expect(decide(onTheDay, confirmed, '2025-06-01').status).toBe('met');
    });
  });

  it('the national preset applies confirmation to opiate journeys only', () => {
    const s = presetScheme('national-model-2012');
    const data = dataset({
      episodes: [opiateEpisode('E1', '2024-01-01')],
      reviews: [review('E1', '2024-08-01', 'review', { days_opiates: 0 })],
    });
    expect(decide(data, s, '2025-01-01', 'abstinent-confirmed').reason).toBe('in_treatment');
  });

  it('without a reviews file the rule reports no_evidence (R-OUT-11)', () => {
    const data = { ...dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01')] }), reviews: undefined };
    expect(brief(decide(data, anyReview, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'no_evidence' });
  });

  describe('SPEC v3 readings', () => {
    it('R-OUT-3 (v3): cited substances are judged as at the review date, so a later opiate episode does not call for tests', () => {
      // An alcohol journey; an opiate episode joins on 2024-09-01, after the abstinent review of 2024-07-10.
      const data = dataset({
        episodes: [episode('E1', '2024-01-01', '2024-09-05'), opiateEpisode('E2', '2024-09-01', '2024-12-01')],
        reviews: [review('E1', '2024-07-10', 'review', { days_alcohol: 0 })],
      });
      expect(brief(decide(data, confirmed, '2025-06-01'))).toEqual({ status: 'met', achieved_on: '2024-07-10' });
      // A review after the opiate episode started needs an opiate test, and has none.
      const later = { ...data, reviews: [review('E2', '2024-10-10', 'review', { days_alcohol: 0, days_opiates: 0 })] };
      expect(brief(decide(later, confirmed, '2025-06-01'))).toEqual({ status: 'not_met', reason: 'not_confirmed' });
    });

    it('R-OUT-3 (v3): an open confirmation window with no positive test yet is pending/window_open, due review + withinDays', () => {
      const data = (tests: ReturnType<typeof drugTest>[], end?: string) =>
        dataset({ episodes: [opiateEpisode('E1', '2024-01-01', end)], reviews: [review('E1', '2024-07-10', 'review', { days_opiates: 0 })], drug_tests: tests });
      // No test at all yet: still pending until the window closes.
      expect(brief(decide(data([]), confirmed, '2024-07-12'))).toEqual({ status: 'pending', due_on: '2024-07-17', reason: 'window_open' });
      // A positive test defeats the review at once: the open journey then waits for another review.
      expect(brief(decide(data([drugTest('2024-07-11', 'opiates', 'positive')]), confirmed, '2024-07-12'))).toEqual({ status: 'pending', reason: 'in_treatment' });
      // Closed without confirmation: an open journey waits for another review (in_treatment) …
      expect(brief(decide(data([]), confirmed, '2024-07-17'))).toEqual({ status: 'pending', reason: 'in_treatment' });
      // … a closed one is decided at end + withinDays, or when it settles if later (R-CAL-4).
      const closed = data([], '2024-07-12');
      expect(brief(decide(closed, confirmed, '2024-07-17'))).toEqual({ status: 'pending', due_on: '2024-08-02', reason: 'window_open' });
      expect(brief(decide(closed, confirmed, '2024-08-02'))).toEqual({ status: 'not_met', reason: 'not_confirmed' });
    });

    it('R-OUT-3 / R-CAL-4 (v3): a closed journey that needs no test is decided on its settle date; one that does, at end + withinDays at the earliest', () => {
      const gap0 = (eps: ReturnType<typeof episode>[]) => ({ data: dataset({ episodes: eps }), scheme: { ...confirmed, calendar: { ...confirmed.calendar, journeyGapDays: 0 } } });
      const alcohol = gap0([episode('E1', '2024-01-01', '2024-09-01')]);
      expect(brief(decide(alcohol.data, alcohol.scheme, '2024-09-01'))).toEqual({ status: 'not_met', reason: 'no_qualifying_review' });
      const opiate = gap0([opiateEpisode('E1', '2024-01-01', '2024-09-01')]);
      expect(brief(decide(opiate.data, opiate.scheme, '2024-09-01'))).toEqual({ status: 'pending', due_on: '2024-09-08', reason: 'window_open' });
    });
  });
});
