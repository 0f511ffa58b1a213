/**
 * fast-check generators of engine-like results: clients with journeys (from episodes) and met
 * outcome decisions dated after the journey start.
 */
import fc from 'fast-check';
import { addDays } from '../../src/calendar/index.js';
import type { ClientOutcomes } from '../../src/payments/types.js';
import { decision, episode, journey, met } from './builders.js';

const PROVIDERS = ['P1', 'P2', 'Pz', 'p3'];
const BANDS = [undefined, '1', '2', '3'];

/** One client: 1–2 journeys from 2011-10 to 2014, each with some met or not-met decisions. */
export function arbitraryClient(clientId: string): fc.Arbitrary<ClientOutcomes> {
  const j = fc.record({
    startOffset: fc.integer({ min: 0, max: 900 }),
    length: fc.integer({ min: 1, max: 300 }),
    provider: fc.constantFrom(...PROVIDERS),
    provider2: fc.constantFrom(...PROVIDERS),
    band: fc.constantFrom(...BANDS),
    outcomes: fc.array(fc.record({ id: fc.constantFrom('ffd', 'abst', 'emp'), met: fc.boolean(), lag: fc.integer({ min: 0, max: 400 }), sust: fc.integer({ min: 0, max: 4 }) }), {
      maxLength: 3,
    }),
  });
  return fc.array(j, { minLength: 1, maxLength: 2 }).map((specs) => {
    const journeys = [];
    const decisions = [];
    let offset = 0;
    for (const [i, s] of specs.entries()) {
      offset += s.startOffset + (i === 0 ? 0 : 60);
      const start = addDays('2011-10-01', offset);
      const end = addDays(start, s.length);
      const jr = journey(
        episode({ id: `${clientId}-E${i}`, client: clientId, provider: s.provider, start, end, band: s.band, exit: 'transferred_not_in_custody' }),
        episode({ id: `${clientId}-F${i}`, client: clientId, provider: s.provider2, start: addDays(end, 1), end: addDays(end, 30), band: s.band }),
      );
      offset += s.length + 31;
      journeys.push(jr);
      const seen = new Set<string>();
      for (const o of s.outcomes) {
        if (seen.has(o.id)) continue;
        seen.add(o.id);
        const achieved = addDays(start, o.lag);
        const sustainment = o.id === 'emp' ? Array.from({ length: o.sust }, (_, k) => addDays(achieved, 28 * (k + 1))) : [];
        decisions.push(o.met ? met(jr, o.id, achieved, { sustainment }) : decision(jr, o.id, 'not_met'));
      }
    }
    return { client_id: clientId, journeys, decisions };
  });
}

/** A run: 1–12 clients and an asOf between 2012 and 2015. */
export function arbitraryRun(): fc.Arbitrary<{ clients: ClientOutcomes[]; asOf: string }> {
  return fc.record({
    n: fc.integer({ min: 1, max: 12 }),
    asOfOffset: fc.integer({ min: 200, max: 1400 }),
    seed: fc.integer(),
  }).chain(({ n, asOfOffset }) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => arbitraryClient(`C${String(i).padStart(2, '0')}`))).map((clients) => ({
      clients,
      asOf: addDays('2012-01-01', asOfOffset),
    })),
  );
}
