import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutcomeDecision } from '../../src/outcomes/types.js';
import { MAX_DATE, MIN_DATE, fromDayNumber, toDayNumber } from '../../src/calendar/index.js';
import { csvCell, csvLine } from '../../src/output/csv.js';
import { OUTCOME_STATUSES, REASON_CODES } from '../../src/schema/codes.js';
import { OUTCOME_COLUMNS, outcomeLines, outcomeRow, outcomesHeader, writeOutcomeLines, type ByteSink } from '../../src/output/outcomes.js';

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

  it('writes long cells of quotes and characters beyond ASCII whole', () => {
    const cell = (c: string) => c.repeat(300);
    const mixed = decision({ client_id: cell('"'), journey_id: cell('é'), provider_id: cell('"€'), area_code: cell('=,'), substance_group: cell('\ud83d\ude00') as OutcomeDecision['substance_group'], tariff_band: cell('\n'), outcome_id: cell('"') });
    // Three bytes for every unit of every cell: the most a journey's cells can take.
    const wide = decision({ client_id: '=' + cell('€'), journey_id: cell('\ud800'), provider_id: cell('€'), area_code: cell('€'), substance_group: cell('€') as OutcomeDecision['substance_group'], tariff_band: cell('€') + '"', outcome_id: '="' + cell('€') });
    const short = decision({});
    // Lines longer than the buffer the writer gathers lines in (16 KiB), with dates and without.
    const huge = decision({ client_id: '€'.repeat(7000), status: 'not_met', achieved_on: undefined, reason: 'not_abstinent' });
    const hugeDated = decision({ client_id: '€'.repeat(7000) });
    const lines = [mixed, mixed, wide, short, wide, huge, short, hugeDated, hugeDated, short, huge];
    const expected = lines.map((d) => csvLine(OUTCOME_COLUMNS.map((c) => outcomeRow(d)[c]))).join('');
    expect(Buffer.from(writtenInPieces(lines))).toEqual(Buffer.from(expected, 'utf8'));
  });

  it('writes the same lines past the bounds of its remembered line ends (many outcome ids, statuses and reasons)', () => {
    // More outcome ids than the 256 remembered, and more status and reason pairs for one id than
    // its 64: each met in turn and again, with dates and without.
    const decisions: OutcomeDecision[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 300; i++) decisions.push(decision({ outcome_id: `o${i}`, status: 'not_met', achieved_on: undefined, reason: REASON_CODES[i % REASON_CODES.length] }));
      for (const status of OUTCOME_STATUSES) {
        for (const reason of [undefined, ...REASON_CODES]) {
          decisions.push(decision({ outcome_id: '=o', status, achieved_on: undefined, reason }));
          decisions.push(decision({ outcome_id: '=o', status, achieved_on: '2014-01-02', due_on: '2014-02-03', reason }));
        }
      }
    }
    expect(OUTCOME_STATUSES.length * (REASON_CODES.length + 1)).toBeGreaterThan(64);
    const expected = decisions.map((d) => csvLine(OUTCOME_COLUMNS.map((c) => outcomeRow(d)[c]))).join('');
    expect(Buffer.from(writtenInPieces(decisions))).toEqual(Buffer.from(expected, 'utf8'));
  });

  it("hands a sink at most its maxPiece at once where it can (a longer line alone), the same bytes", () => {
    const long = decision({ client_id: 'C'.repeat(300) });
    const decisions = [decision({}), decision({ status: 'not_met', achieved_on: undefined, reason: 'not_abstinent' }), long, decision({ journey_id: 'E1-02' }), long, decision({})];
    const lineBytes = decisions.map((d) => Buffer.byteLength(csvLine(OUTCOME_COLUMNS.map((c) => outcomeRow(d)[c]))));
    for (const maxPiece of [64, 100, 200, 1000]) {
      const asked: number[] = [];
      const got = writtenInPieces(decisions, maxPiece, asked);
      expect(Buffer.from(got).toString()).toBe(decisions.map((d) => csvLine(OUTCOME_COLUMNS.map((c) => outcomeRow(d)[c]))).join(''));
      // Each piece asked for: within maxPiece, or one line longer than it.
      for (const n of asked) expect(n <= maxPiece || lineBytes.includes(n)).toBe(true);
    }
  });

  it('writes a journey\'s cells again wherever its lines fall: across flushes of every size, beside lines of their own', () => {
    // Runs of one journey's lines (its cells copied from its line before) cut by flushes at every
    // point, with journeys of cells too long for a piece among them.
    const journeys = [decision({}), decision({ client_id: 'C22', journey_id: 'E22-01', provider_id: 'P7', tariff_band: undefined }), decision({ client_id: 'C'.repeat(150) })];
    const endings = [{}, { status: 'not_met', achieved_on: undefined, reason: 'not_abstinent' }, { status: 'pending', achieved_on: undefined, due_on: '2015-01-01', reason: 'window_open' }] as const;
    const line = (d: OutcomeDecision) => csvLine(OUTCOME_COLUMNS.map((c) => outcomeRow(d)[c]));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(2), fc.nat(3)), { minLength: 1, maxLength: 30 }), fc.integer({ min: 30, max: 600 }), (picks, maxPiece) => {
        const decisions = picks.map(([j, e, o]) => ({ ...journeys[j]!, ...endings[e]!, outcome_id: `outcome-${o}` }) as OutcomeDecision);
        expect(Buffer.from(writtenInPieces(decisions, maxPiece)).toString()).toBe(decisions.map(line).join(''));
      }),
    );
    // And every piece size for a run of one journey after another's line, its lines of two lengths.
    const other = decision({ client_id: 'C333', journey_id: 'E333-01', provider_id: 'P12345', area_code: 'E06000001' });
    const run = [other, ...[0, 1, 0, 0, 1, 1, 0].map((e) => ({ ...journeys[0]!, ...endings[e]!, outcome_id: `o${e}` }) as OutcomeDecision), other];
    for (let maxPiece = 30; maxPiece <= 700; maxPiece++) expect(Buffer.from(writtenInPieces(run, maxPiece)).toString()).toBe(run.map(line).join(''));
  });

  it('hands on the lines made before its decisions fail, and the next call starts afresh', () => {
    function* failing(): Generator<OutcomeDecision> {
      yield decision({});
      yield decision({ journey_id: 'E1-02', achieved_on: undefined, status: 'pending', due_on: '2015-01-01', reason: 'window_open' });
      throw new Error('no more');
    }
    const pieces: Uint8Array[] = [];
    const sink: ByteSink = { bytes: new Uint8Array(1 << 12), length: 0, room: () => {} };
    expect(() => writeOutcomeLines(failing(), sink)).toThrow('no more');
    pieces.push(sink.bytes.slice(0, sink.length));
    expect(Buffer.concat(pieces).toString()).toBe(outcomeLines([...[decision({}), decision({ journey_id: 'E1-02', achieved_on: undefined, status: 'pending', due_on: '2015-01-01', reason: 'window_open' })]]));
    expect(outcomeLines([decision({ client_id: 'C2' })])).toBe(csvLine(OUTCOME_COLUMNS.map((c) => outcomeRow(decision({ client_id: 'C2' }))[c])));
  });

  it('writes the same lines when called again while it runs (from a sink making room)', () => {
    const inner = [decision({ client_id: 'C9', journey_id: 'E9-01' }), decision({ client_id: 'C9', journey_id: 'E9-01', outcome_id: 'reduced-offending', status: 'not_met', achieved_on: undefined, reason: 'not_abstinent' })];
    const outer = [decision({}), decision({ outcome_id: 'reduced-offending', status: 'not_met', achieved_on: undefined, reason: 'not_abstinent' }), decision({ client_id: 'C'.repeat(9000) }), decision({ journey_id: 'E1-03' })];
    let innerText = '';
    let calls = 0;
    const sink: ByteSink = {
      bytes: new Uint8Array(0),
      length: 0,
      room(n) {
        // Written in the middle of the outer call: its lines gathered so far must not be touched.
        if (calls++ === 0) innerText = outcomeLines(inner);
        if (this.length + n <= this.bytes.length) return;
        const grown = new Uint8Array(this.length + n + 64);
        grown.set(this.bytes.subarray(0, this.length));
        this.bytes = grown;
      },
    };
    writeOutcomeLines(outer, sink);
    const line = (d: OutcomeDecision) => csvLine(OUTCOME_COLUMNS.map((c) => outcomeRow(d)[c]));
    expect(new TextDecoder().decode(sink.bytes.subarray(0, sink.length))).toBe(outer.map(line).join(''));
    expect(innerText).toBe(inner.map(line).join(''));
  });

  it('is the row of each decision written as a CSV line (quotes, commas, formulas, blanks)', () => {
    // Any UTF-16 text too (accents, emoji, lone surrogates), which the lines write as UTF-8.
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a,b', 'say "x"', '=1+1', '-5', 'line\nbreak', '@x', '', 'café', '\ud800', '\ufeffC1', 'a\rb', '\tx', 'x"y', '+1', '-', '€'));
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
          // As bytes, into a sink whose room comes in small pieces (as a file's writer flushes).
          expect(Buffer.from(writtenInPieces(decisions))).toEqual(Buffer.from(expected, 'utf8'));
          expect(outcomeLines(decisions)).toBe(new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.from(expected, 'utf8')));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * writeOutcomeLines into a sink that starts a new piece of just the room asked for whenever it is
 * short (with `maxPiece` when given; each room asked for is pushed to `asked`).
 */
function writtenInPieces(decisions: OutcomeDecision[], maxPiece?: number, asked: number[] = []): Uint8Array {
  const pieces: Uint8Array[] = [];
  const sink: ByteSink = {
    bytes: new Uint8Array(0),
    length: 0,
    maxPiece,
    room(n) {
      asked.push(n);
      if (this.length + n <= this.bytes.length) return;
      pieces.push(this.bytes.slice(0, this.length));
      this.bytes = new Uint8Array(n).fill(0x7e); // bytes the writer must overwrite or leave out
      this.length = 0;
    },
  };
  writeOutcomeLines(decisions, sink);
  pieces.push(sink.bytes.slice(0, sink.length));
  return Buffer.concat(pieces);
}
