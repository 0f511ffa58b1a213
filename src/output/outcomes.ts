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
  /**
   * The most bytes the sink would be handed at once, where the writer has the choice: lines are
   * gathered up to this and handed on whole (a single longer line goes on its own). None: as
   * many as the writer gathers.
   */
  readonly maxPiece?: number;
}

/**
 * The `outcomes.csv` lines (no header) of decisions already in output order, as UTF-8 bytes into
 * `sink`. The one place the lines are made: {@link outcomeLines} is this, decoded.
 * @example writeOutcomeLines(result.decisions, sink)
 */
export function writeOutcomeLines(decisions: Iterable<OutcomeDecision>, sink: ByteSink): void {
  // A call made while another runs (from its decisions' iterator or its sink's room) gathers its
  // lines in buffers of its own, not in the thread's, which hold the first call's.
  const nested = writing;
  writing = true;
  try {
    writeLines(decisions, sink, nested ? new Uint8Array(LINES.length) : LINES, nested ? new Uint8Array(PREFIX.length) : PREFIX);
  } finally {
    writing = nested;
  }
}

/** Whether {@link writeOutcomeLines} is running (its buffers are in use). */
let writing = false;

/** {@link writeOutcomeLines} with the buffers it gathers lines (`lines`) and a journey's cells (`prefixBuf`) in. */
function writeLines(decisions: Iterable<OutcomeDecision>, sink: ByteSink, lines: Uint8Array, prefixBuf: Uint8Array): void {
  // The cells of outcomeRow(d) in OUTCOME_COLUMNS order (a blank is undefined here, '' there: the
  // same cell), written as bytes without a string per line: millions of lines at national scale,
  // where building them as text and encoding it took longer than deciding the outcomes. A
  // journey's outcomes follow one another and share its first six cells, encoded once per journey.
  let journey: OutcomeDecision | undefined;
  // The journey's six cells and their commas, as bytes (a view of `prefix`).
  let journeyCells = prefixBuf.subarray(0, 0);
  // Lines are gathered in a buffer of the thread's (in the cache), then copied into the sink
  // together, a client's lines at a time as a run calls this: a copy of a few bytes into the
  // sink's large buffer cost about three times one into this one, two of them a line. At most
  // the sink's `maxPiece` is gathered; a longer line is written in a buffer of its own and handed
  // on alone.
  const limit = Math.min(lines.length, sink.maxPiece ?? lines.length);
  let at = 0;
  try {
    for (const d of decisions) {
      if (journey === undefined || !sameJourneyCells(journey, d)) {
        journey = d;
        // Room for each cell as csvCell may write it — up to 3 bytes a UTF-16 unit (a doubled `"`
        // is 2), an apostrophe and two quotes — and a comma after each. A journey of longer cells
        // than the usual buffer holds gets one of its own, not kept for the next.
        const room = 3 * (cellLength(d.client_id) + cellLength(d.journey_id) + cellLength(d.provider_id) + cellLength(d.area_code) + cellLength(d.substance_group) + cellLength(d.tariff_band)) + 6 * 4;
        const prefix = room > prefixBuf.length ? new Uint8Array(room) : prefixBuf;
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
      // The rest of the line — the outcome id, status, dates and reason — is mostly one of a few
      // texts: four lines in five carry no date, and a scheme's outcomes meet a few statuses and
      // reasons. So the end of a line is encoded once per outcome, status and reason (lineEnd) and
      // copied by the engine's own copy, as the journey's cells are; only dates are written byte by
      // byte. A status, a reason code and an ISO date are their own cells (no character a cell must
      // quote or guard; test/output/outcomes.test.ts holds every one of them to csvCell).
      const end = lineEnd(d.outcome_id, d.status, d.reason ?? '');
      const achieved = d.achieved_on;
      const due = d.due_on;
      const dated = achieved !== undefined || due !== undefined;
      const a = achieved ?? '';
      const u = due ?? '';
      // The most the line can take (putText writes at most 3 bytes a UTF-16 unit of a date).
      const n = journeyCells.length + (dated ? end.head.length + 3 * (a.length + u.length) + 1 + end.tail.length : end.whole.length);
      if (at + n > limit) {
        flushLines(lines, at, sink);
        at = 0;
      }
      const own = n > limit;
      const b = own ? new Uint8Array(n) : lines;
      let o = own ? 0 : at;
      b.set(journeyCells, o);
      o += journeyCells.length;
      if (dated) {
        b.set(end.head, o);
        o = putText(a, b, o + end.head.length);
        b[o++] = COMMA;
        o = putText(u, b, o);
        b.set(end.tail, o);
        o += end.tail.length;
      } else {
        b.set(end.whole, o);
        o += end.whole.length;
      }
      if (own) flushLines(b, o, sink);
      else at = o;
    }
  } catch (e) {
    // The lines gathered before the failure are handed on as they would have been; the failure
    // is the one told, even when the sink fails again.
    try {
      flushLines(lines, at, sink);
    } catch {
      // the first failure is thrown below
    }
    throw e;
  }
  flushLines(lines, at, sink);
}

/** Copies the first `n` bytes of `lines` into the sink (one copy for many lines). */
function flushLines(lines: Uint8Array, n: number, sink: ByteSink): void {
  if (n === 0) return;
  sink.room(n);
  sink.bytes.set(n === lines.length ? lines : lines.subarray(0, n), sink.length);
  sink.length += n;
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
/** Where {@link writeOutcomeLines} gathers lines before copying them into the sink (reused). */
const LINES = new Uint8Array(1 << 14);

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

/**
 * The end of an `outcomes.csv` line after its journey's cells, as UTF-8, for one outcome id, status
 * and reason: `whole` for a line without dates, `head` and `tail` around the dates otherwise.
 */
interface LineEnd {
  readonly status: string;
  readonly reason: string;
  /** `outcome,status,` (the outcome id as its CSV cell). */
  readonly head: Uint8Array;
  /** `,reason` and the line break (after the due date). */
  readonly tail: Uint8Array;
  /** `outcome,status,,,reason` and the line break. */
  readonly whole: Uint8Array;
}

/** The line ends met for one outcome id. */
interface OutcomeEnds {
  readonly outcome: string;
  readonly ends: LineEnd[];
}

/**
 * The line ends made so far, by outcome id (a thread's runs go through their schemes' few outcome
 * ids). Bounded both ways, so that a scheme of many ids cannot grow them without end: when full,
 * started again.
 */
const OUTCOME_ENDS: OutcomeEnds[] = [];
const OUTCOMES_LIMIT = 256;
const ENDS_LIMIT = 64;
/** Where the outcome id of the line before was found in {@link OUTCOME_ENDS}. */
let lastOutcome = 0;

/**
 * The end of a line for an outcome id, status and reason: made once, then found by `===` (at once
 * when it is the very same string, as a run's ids and codes are). A journey's lines come in outcome
 * id order, so the entry after the last one found is tried first.
 * @example lineEnd('free-from-dependence', 'not_met', 'not_abstinent').whole // the bytes of 'free-from-dependence,not_met,,,not_abstinent\n'
 */
function lineEnd(outcome: string, status: string, reason: string): LineEnd {
  const all = OUTCOME_ENDS;
  let o: OutcomeEnds | undefined;
  const next = lastOutcome + 1 < all.length ? lastOutcome + 1 : 0;
  if (next < all.length && all[next]!.outcome === outcome) {
    o = all[next]!;
    lastOutcome = next;
  } else {
    for (let i = 0; i < all.length; i++) {
      if (all[i]!.outcome === outcome) {
        o = all[i]!;
        lastOutcome = i;
        break;
      }
    }
    if (o === undefined) {
      if (all.length >= OUTCOMES_LIMIT) all.length = 0;
      o = { outcome, ends: [] };
      lastOutcome = all.push(o) - 1;
    }
  }
  const ends = o.ends;
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i]!;
    if (e.status === status && e.reason === reason) return e;
  }
  const head = `${csvCell(outcome)},${status},`;
  const tail = `,${reason}\n`;
  const made: LineEnd = { status, reason, head: ENCODER.encode(head), tail: ENCODER.encode(tail), whole: ENCODER.encode(`${head},${tail}`) };
  if (ends.length >= ENDS_LIMIT) ends.length = 0;
  ends.push(made);
  return made;
}

/**
 * The whole `outcomes.csv` text for a set of decisions (sorted here).
 * @example outcomesCsv(result.clients.flatMap((c) => c.decisions))
 */
export function outcomesCsv(decisions: readonly OutcomeDecision[]): string {
  return outcomesHeader() + outcomeLines([...decisions].sort(compareOutcomeRows));
}
