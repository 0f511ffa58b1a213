/**
 * Where a row is, and how rejections say it (R-VAL-1). A row's position is one number that orders
 * rows as they are read: part index × 2³² + row number (parts in name order, then rows), so a
 * rejection can name the part of a folder of parts. Browser-safe.
 * @module
 */
import { INPUT_FILES, STANDARD_EXIT_REASONS, type InputFile } from '../schema/codes.js';

/** Size of one part's row range inside a position (rows of a part are below 2³²). */
export const PART_SPAN = 4294967296;

/**
 * The position of a row: part index and row number in one number that orders rows as they are read.
 * @example positionOf(1, 5) > positionOf(0, 900) // true
 */
export function positionOf(part: number, row: number): number {
  return part * PART_SPAN + row;
}

/**
 * Part index of a position.
 * @example partOf(positionOf(2, 7)) // 2
 */
export function partOf(pos: number): number {
  return Math.floor(pos / PART_SPAN);
}

/**
 * Row number (within its part) of a position.
 * @example rowOf(positionOf(2, 7)) // 7
 */
export function rowOf(pos: number): number {
  // Not `pos % PART_SPAN`: V8 works a remainder of numbers beyond 32 bits out with a call to the C
  // library (about 12 ns against 4), and this runs for every record a rule reads. Exact for every
  // position (a division by a power of two, a whole number times one, a difference below 2⁵³).
  return pos - partOf(pos) * PART_SPAN;
}

/** Index of an input kind in SPEC order (episodes = 0 … clients = 5). */
export const KIND_INDEX: Readonly<Record<InputFile, number>> = Object.fromEntries(INPUT_FILES.map((f, i) => [f, i])) as Record<InputFile, number>;

/** Names of the parts of each input kind, to word rejections (R-VAL-1). */
export interface PartNames {
  /** kind index → part display names in read order (`episodes.csv`, or `episodes/2013.csv`, …). */
  parts: readonly (readonly string[])[];
  /** kind index → whether the kind was given as a folder of parts (then rows are named with the part). */
  folder: readonly boolean[];
}

/**
 * Part names of a data set whose kinds are each one file named `<kind>.csv` (or given in memory).
 * @example singleFileNames().parts[0] // ['episodes.csv']
 */
export function singleFileNames(format: 'csv' | 'ndjson' = 'csv'): PartNames {
  return { parts: INPUT_FILES.map((f) => [`${f}.${format}`]), folder: INPUT_FILES.map(() => false) };
}

/**
 * "row 5" for a kind read from one file; "episodes/2013.csv row 5" for a folder of parts.
 * @example rowWords({ parts: [['episodes.csv']], folder: [false] }, 0, 5) // 'row 5'
 */
export function rowWords(names: PartNames, kind: number, pos: number): string {
  if (!names.folder[kind]) return `row ${rowOf(pos)}`;
  return `${names.parts[kind]![partOf(pos)]} row ${rowOf(pos)}`;
}

/**
 * The wording of R-VAL-2 identical duplicates, for one file or a folder of parts.
 * @example duplicateReason(names, 0, positionOf(0, 4)) // 'duplicate: the same row already appears at row 4'
 */
export function duplicateReason(names: PartNames, kind: number, first: number): string {
  return `duplicate: the same row already appears at ${rowWords(names, kind, first)}`;
}

/**
 * Reason for rows that share a key but differ (all are rejected).
 * @example conflictReason(names, 0, [4, 9]) // 'appears in rows 4, 9 with different values; keep one correct row'
 */
export function conflictReason(names: PartNames, kind: number, positions: readonly number[]): string {
  const where = names.folder[kind]
    ? positions.map((p) => rowWords(names, kind, p)).join(', ')
    : `rows ${positions.map(rowOf).join(', ')}`;
  return `appears in ${where} with different values; keep one correct row`;
}

/**
 * Reason for a review whose episode was rejected.
 * @example rejectedEpisodeReason(names, 12) // 'its episode was rejected (episodes row 12); fix that row first'
 */
export function rejectedEpisodeReason(names: PartNames, pos: number): string {
  const where = names.folder[0] ? rowWords(names, 0, pos) : `episodes row ${rowOf(pos)}`;
  return `its episode was rejected (${where}); fix that row first`;
}

/**
 * The exit reason codes a scheme accepts, and the reason given when one is unknown (R-VAL-2).
 * @example exitCodeCheck(scheme.exitReasons).known('completed_drug_free') // true
 */
export function exitCodeCheck(exitReasonMap: Readonly<Record<string, string>> | undefined): {
  known: (code: string) => boolean;
  reason: string;
} {
  const extra = exitReasonMap ?? {};
  const list = [...Object.keys(STANDARD_EXIT_REASONS), ...Object.keys(extra)].join(', ');
  return {
    // Own properties only: `constructor` or `__proto__` must not pass as exit codes.
    known: (c) => Object.hasOwn(STANDARD_EXIT_REASONS, c) || Object.hasOwn(extra, c),
    reason: `is not a known code; use one of: ${list}`,
  };
}
