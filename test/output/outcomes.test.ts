import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutcomeDecision } from '../../src/outcomes/types.js';
import { MAX_DATE, MIN_DATE, fromDayNumber, toDayNumber } from '../../src/calendar/index.js';
import { csvCell, csvLine } from '../../src/output/csv.js';
import { OUTCOME_STATUSES, REASON_CODES } from '../../src/schema/codes.js';
import { OUTCOME_COLUMNS, outcomeLines, outcomeRow, outcomesHeader } from '../../src/output/outcomes.js';

/** A decision with the fields outcomes.csv reads (the rest is not written). */
const decision = (d: Partial<OutcomeDecision>): OutcomeDecision =>
  ({
    client_id: 'C1',
    journey_id: 'E1-01',
    outcome_id: 'free-from-dependence',
    provider_id: 'P1',
    area_code: 'E08000001',
    substance_group: 'opiate',
    tariff_band: '2',
    status: 'met',
    achieved_on: '2024-07-01',
    due_on: undefined,
    reason: undefined,
    sustainment: [],
    steps: [],
    ...d,
  }) as OutcomeDecision;

describe('outcomes.csv lines (SPEC §4)', () => {
  it('writes a status, a reason code and a date as they are: each is its own CSV cell', () => {
    for (const v of [...OUTCOME_STATUSES, ...REASON_CODES]) expect(csvCell(v)).toBe(v);
    for (let day = toDayNumber(MIN_DATE); day <= toDayNumber(MAX_DATE); day += 1) {
      const iso = fromDayNumber(day);
      if (csvCell(iso) !== iso) expect(csvCell(iso)).toBe(iso);
    }
  });

  it('writes the columns in order, blanks empty', () => {
    expect(outcomesHeader() + outcomeLines([decision({}), decision({ status: 'pending', achieved_on: undefined, due_on: '2025-01-01', reason: 'window_open', tariff_band: undefined })])).toBe(
      'client_id,journey_id,provider_id,area_code,substance_group,tariff_band,outcome_id,status,achieved_on,due_on,reason\n' +
        'C1,E1-01,P1,E08000001,opiate,2,free-from-dependence,met,2024-07-01,,\n' +
        'C1,E1-01,P1,E08000001,opiate,,free-from-dependence,pending,,2025-01-01,window_open\n',
    );
  });

  it('is the row of each decision written as a CSV line (quotes, commas, formulas, blanks)', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('a,b', 'say "x"', '=1+1', '-5', 'line\nbreak', '@x', ''));
    const optional = fc.option(text, { nil: undefined });
    const journeyCells = ['client_id', 'journey_id', 'provider_id', 'area_code', 'substance_group', 'tariff_band'] as const;
    // The cells the code makes (a status, a date, a reason code) are of their types; the others any text.
    const date = fc.option(fc.integer({ min: toDayNumber(MIN_DATE), max: toDayNumber(MAX_DATE) }).map(fromDayNumber), { nil: undefined });
    const reason = fc.option(fc.constantFrom(...REASON_CODES), { nil: undefined });
    const row = fc.record({ client_id: text, journey_id: text, provider_id: text, area_code: text, substance_group: text, tariff_band: optional, outcome_id: text, status: fc.constantFrom(...OUTCOME_STATUSES), achieved_on: date, due_on: date, reason });
    fc.assert(
      fc.property(
        // Each row may carry some of the journey's cells over from the row before: a journey's
        // outcomes in a run (all six the same), or two journeys that differ in one cell.
        fc.array(fc.tuple(row, fc.subarray([...journeyCells])), { maxLength: 8 }),
        (rows) => {
          const decisions: OutcomeDecision[] = [];
          for (const [r, kept] of rows) {
            const before = decisions[decisions.length - 1];
            const carried = before ? Object.fromEntries(kept.map((c) => [c, before[c]])) : {};
            decisions.push(decision({ ...(r as Partial<OutcomeDecision>), ...carried }));
          }
          const expected = decisions.map((d) => csvLine(OUTCOME_COLUMNS.map((c) => outcomeRow(d)[c]))).join('');
          expect(outcomeLines(decisions)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
