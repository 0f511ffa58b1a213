/**
 * A dataset: the six input files as arrays of parsed records, plus the rejection report shape.
 * @module
 */
import type { InputFile } from './codes.js';
import type { RejectionCode } from './rejection-codes.js';
import type { Client, DrugTest, EmploymentSpell, Episode, Located, Offence, Review } from './records.js';

/**
 * The input records of SPEC §2. `episodes` is required; an absent optional file is `undefined`
 * (rules that need it report `no_evidence`, R-OUT-11), which differs from an empty array (the
 * file was supplied and has no rows).
 */
export interface Dataset {
  episodes: Located<Episode>[];
  reviews?: Located<Review>[];
  drug_tests?: Located<DrugTest>[];
  offences?: Located<Offence>[];
  employment?: Located<EmploymentSpell>[];
  clients?: Located<Client>[];
}

/** One rejected input row (SPEC §4 `rejections.csv`, R-VAL-1). */
export interface Rejection {
  /** Input file kind, e.g. `episodes`. */
  file: InputFile;
  /** Row as a spreadsheet shows it (header = 1, first record = 2); NDJSON: the line; API: index + 1. */
  row: number;
  /** The part of a folder of parts the row is in (`episodes/2014.csv`); `row` is then that part's row. */
  part?: string;
  /** The field at fault; blank when the row as a whole could not be read (`wrong_width`, `not_json`, …). */
  field: string;
  /** The value as shown (NHS numbers hidden, long values cut; blank for a row that could not be read). */
  value: string;
  /** The kind of problem, from the closed list `REJECTION_CODES` (each with its meaning in `REJECTION_CODE_TEXT`). */
  code: RejectionCode;
  /** What was wrong with this row, written for the person fixing the file. */
  reason: string;
}

/** A rejected row with the part it is in (every {@link Rejection} carries it when there is one). */
export type LocatedRejection = Rejection;

/** Rows read, used and rejected for one file; `used + rejected = read` (R-VAL-1). */
export interface FileCounts {
  read: number;
  used: number;
  rejected: number;
}

/** Counts per input file; files not supplied are absent. */
export type DatasetCounts = Partial<Record<InputFile, FileCounts>>;
