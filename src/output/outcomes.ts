/**
 * `outcomes.csv` (SPEC §4): one row per journey and outcome, sorted by client_id, journey_id,
 * outcome_id (code point order, R-JNY-5).
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import { csvCell, csvLine, quotesCell, startsFormula } from './csv.js';

/** The columns of `outcomes.csv`, in order. */
export const OUTCOME_COLUMNS = [
  'client_id',
  'journey_id',
  'provider_id',
  'area_code',
  'substance_group',
  'tariff_band',
  'outcome_id',
  'status',
  'achieved_on',
  'due_on',
  'reason',
] as const;

/** One row of `outcomes.csv`. */
export type OutcomeRow = Record<(typeof OUTCOME_COLUMNS)[number], string>;

/**
 * The `outcomes.csv` row of a decision.
 * @example outcomeRow(decision).status // 'met'
 */
export function outcomeRow(d: OutcomeDecision): OutcomeRow {
  return {
    client_id: d.client_id,
    journey_id: d.journey_id,
    provider_id: d.provider_id,
    area_code: d.area_code,
    substance_group: d.substance_group,
    tariff_band: d.tariff_band ?? '',
    outcome_id: d.outcome_id,
    status: d.status,
    achieved_on: d.achieved_on ?? '',
    due_on: d.due_on ?? '',
    reason: d.reason ?? '',
  };
}

/**
 * Sort order of `outcomes.csv`: client_id, journey_id, outcome_id.
 * @example decisions.sort(compareOutcomeRows)
 */
export function compareOutcomeRows(a: Pick<OutcomeDecision, 'client_id' | 'journey_id' | 'outcome_id'>, b: typeof a): number {
  return compareCodePoint(a.client_id, b.client_id) || compareCodePoint(a.journey_id, b.journey_id) || compareCodePoint(a.outcome_id, b.outcome_id);
}

/**
 * The header line of `outcomes.csv`.
 * @example outcomesHeader() // 'client_id,journey_id,…,reason\n'
 */
export function outcomesHeader(): string {
  return csvLine(OUTCOME_COLUMNS);
}

/**
 * Where {@link writeOutcomeLines} puts its bytes: a buffer, the bytes written so far, and a way to
 * make room (a file's writer flushes, a collector starts a new piece). `room(n)` leaves at least n
 * bytes free after `length`; it may swap `bytes` and reset `length`.
 */
export interface ByteSink {
  bytes: Uint8Array;
  length: number;
  room(n: number): void;
}

/**
 * The `outcomes.csv` lines (no header) of decisions already in output order, as UTF-8 bytes into
 * `sink`. The one place the lines are made: {@link outcomeLines} is this, decoded.
 * @example writeOutcomeLines(result.decisions, sink)
 */
export function writeOutcomeLines(decisions: Iterable<OutcomeDecision>, sink: ByteSink): void {
  // The cells of outcomeRow(d) in OUTCOME_COLUMNS order (a blank is undefined here, '' there: the
  // same cell), written as bytes without a string per line: millions of lines at national scale,
  // where building them as text and encoding it took longer than deciding the outcomes. A
  // journey's outcomes follow one another and share its first six cells, encoded once per journey.
  let journey: OutcomeDecision | undefined;
  // The journey's six cells and their commas, as bytes (a view of `prefix`).
  let journeyCells = PREFIX.subarray(0, 0);
  for (const d of decisions) {
    if (journey === undefined || !sameJourneyCells(journey, d)) {
      journey = d;
      // Room for each cell as csvCell may write it — up to 3 bytes a UTF-16 unit (a doubled `"`
      // is 2), an apostrophe and two quotes — and a comma after each. A journey of longer cells
      // than the usual buffer holds gets one of its own, not kept for the next.
      const room = 3 * (cellLength(d.client_id) + cellLength(d.journey_id) + cellLength(d.provider_id) + cellLength(d.area_code) + cellLength(d.substance_group) + cellLength(d.tariff_band)) + 6 * 4;
      const prefix = room > PREFIX.length ? new Uint8Array(room) : PREFIX;
      let p = putCell(d.client_id, prefix, 0);
      prefix[p++] = COMMA;
      p = putCell(d.journey_id, prefix, p);
      prefix[p++] = COMMA;
      p = putCell(d.provider_id, prefix, p);
      prefix[p++] = COMMA;
      p = putCell(d.area_code, prefix, p);
      prefix[p++] = COMMA;
      p = putCell(d.substance_group, prefix, p);
      prefix[p++] = COMMA;
      p = putCell(d.tariff_band, prefix, p);
      prefix[p++] = COMMA;
      // Copied into each of the journey's lines by the engine's own copy (faster than byte by byte).
      journeyCells = prefix.subarray(0, p);
    }
    // A status, a reason code and an ISO date are their own cells (no character a cell must quote
    // or guard; test/output/outcomes.test.ts holds every one of them to csvCell): only the outcome
    // id, the scheme's, is looked up.
    const outcome = knownCell(d.outcome_id);
    const achieved = d.achieved_on ?? '';
    const due = d.due_on ?? '';
    const reason = d.reason ?? '';
    sink.room(journeyCells.length + 3 * (outcome.length + d.status.length + achieved.length + due.length + reason.length) + 5);
    const b = sink.bytes;
    let at = sink.length;
    b.set(journeyCells, at);
    at = putText(outcome, b, at + journeyCells.length);
    b[at++] = COMMA;
    at = putText(d.status, b, at);
    b[at++] = COMMA;
    at = putText(achieved, b, at);
    b[at++] = COMMA;
    at = putText(due, b, at);
    b[at++] = COMMA;
    at = putText(reason, b, at);
    b[at++] = LF;
    sink.length = at;
  }
}

/**
 * CSV lines (no header) of decisions already in output order: {@link writeOutcomeLines} as text.
 * The text is that of the bytes: a lone surrogate in a cell reads as U+FFFD, as it is written.
 * @example outcomesHeader() + outcomeLines(decisions)
 */
export function outcomeLines(decisions: Iterable<OutcomeDecision>): string {
  const sink = growingSink();
  writeOutcomeLines(decisions, sink);
  return DECODER.decode(sink.bytes.subarray(0, sink.length));
}

/**
 * A {@link ByteSink} that keeps every byte, its buffer doubled as it fills: `bytes.subarray(0, length)`.
 * @example const sink = growingSink(); writeOutcomeLines(decisions, sink)
 */
export function growingSink(capacity = 1024): ByteSink {
  return {
    bytes: new Uint8Array(capacity),
    length: 0,
    room(n) {
      if (this.length + n <= this.bytes.length) return;
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    },
  };
}

const COMMA = 44;
const LF = 10;
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });
/** The journey's cells of a line, encoded (reused from one line and one call to the next). */
const PREFIX = new Uint8Array(256);

/** A cell's length in UTF-16 units (0 for a blank). */
function cellLength(text: string | undefined): number {
  return text === undefined ? 0 : text.length;
}

/**
 * Writes the cell of `text` (as {@link csvCell} makes it) as UTF-8 into `b` at `at` and returns
 * where it ends. A plain ASCII cell — no character to guard, quote or encode, the cells of a run —
 * is written as it is, without a string made; any other by csvCell.
 */
function putCell(text: string | undefined, b: Uint8Array, at: number): number {
  if (text === undefined) return at;
  const n = text.length;
  if (n === 0) return at;
  // A possible formula: csvCell decides (a number stays as it is, a formula is guarded).
  if (startsFormula(text.charCodeAt(0))) return putText(csvCell(text), b, at);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || quotesCell(c)) return putText(csvCell(text), b, at);
    b[at + i] = c;
  }
  return at + n;
}

/**
 * Writes `text` as UTF-8 into `b` at `at` (room for 3 bytes per UTF-16 unit is the caller's) and
 * returns where it ends. ASCII byte by byte (the cells of a run are); other text by the platform's
 * encoder, which writes a lone surrogate as U+FFFD as every UTF-8 output of the tool does.
 */
function putText(text: string, b: Uint8Array, at: number): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return at + ENCODER.encodeInto(text, b.subarray(at)).written;
    b[at + i] = c;
  }
  return at + n;
}

/** Whether two decisions have the same first six cells (those of their journey). */
function sameJourneyCells(a: OutcomeDecision, b: OutcomeDecision): boolean {
  return (
    a.client_id === b.client_id &&
    a.journey_id === b.journey_id &&
    a.provider_id === b.provider_id &&
    a.area_code === b.area_code &&
    a.substance_group === b.substance_group &&
    a.tariff_band === b.tariff_band
  );
}

const KNOWN_CELLS = new Map<string, string>();
const KNOWN_CELLS_LIMIT = 1 << 16;
/** The first few values {@link knownCell} remembered, and their cells, tried before the map. */
const FIRST_VALUES: string[] = [];
const FIRST_CELLS: string[] = [];
const FIRST_LIMIT = 8;

/**
 * A cell of few distinct values (a scheme's outcome ids), remembered: the same few strings fill
 * millions of lines. Bounded, so that a scheme of odd ids cannot grow the
 * memo without end; past the bound a cell is simply written again.
 */
function knownCell(value: string | undefined): string {
  if (value === undefined) return '';
  // A run's lines go through its scheme's few outcome ids, the same strings each time: the first
  // few remembered are compared with `===` (at once when it is the very same string) before the
  // map is looked in.
  for (let i = 0; i < FIRST_VALUES.length; i++) if (FIRST_VALUES[i] === value) return FIRST_CELLS[i]!;
  let cell = KNOWN_CELLS.get(value);
  if (cell === undefined) {
    cell = csvCell(value);
    if (KNOWN_CELLS.size < KNOWN_CELLS_LIMIT) KNOWN_CELLS.set(value, cell);
    if (FIRST_VALUES.length < FIRST_LIMIT) {
      FIRST_VALUES.push(value);
      FIRST_CELLS.push(cell);
    }
  }
  return cell;
}

/**
 * The whole `outcomes.csv` text for a set of decisions (sorted here).
 * @example outcomesCsv(result.clients.flatMap((c) => c.decisions))
 */
export function outcomesCsv(decisions: readonly OutcomeDecision[]): string {
  return outcomesHeader() + outcomeLines([...decisions].sort(compareOutcomeRows));
}
