/**
 * The input records of SPEC §2 as zod schemas. Each schema accepts a CSV/NDJSON row (strings) or a
 * typed object, trims cells, turns blanks into `undefined` and rejects what R-VAL-2 rejects.
 * Types come from the schemas (`z.output`). Each record is described once, as a table of fields
 * ({@link RECORD_FIELDS}); the zod schema and the fast row parser used for large files are both
 * built from that table, so they cannot drift apart.
 * @module
 */
import * as z from 'zod';
import {
  OFFENCE_CATEGORIES,
  REVIEW_STAGES,
  TEST_RESULTS,
  SUBSTANCES,
  type InputFile,
} from './codes.js';
import {
  Invalid,
  intInRange,
  numberInRange,
  oneOf,
  parseBool,
  parseClientId,
  parseDate,
  parseId,
  redactNhsNumbers,
  parseSubstances,
  type Parsed,
} from './fields.js';
import type { RejectionCode } from './rejection-codes.js';

/**
 * How a field's parsed value is held in the columnar reader (src/ingest): `client` and `episode` ids
 * are numbered per data set (they group records), other ids and codes from small vocabularies.
 */
export type FieldStorage =
  | { kind: 'client' }
  | { kind: 'episode' }
  | { kind: 'id' }
  | { kind: 'date' }
  | { kind: 'int' }
  | { kind: 'number' }
  | { kind: 'bool' }
  | { kind: 'code'; codes: readonly string[] }
  | { kind: 'substances' };

/** One field of an input record: its name, whether it is required, its parser and how it is stored. */
export interface FieldSpec<N extends string = string, T = unknown, R extends boolean = boolean> {
  readonly name: N;
  readonly required: R;
  readonly parse: (v: unknown) => Parsed<T>;
  /** Short description (used in the JSON Schema and the docs). */
  readonly description: string;
  readonly storage: FieldStorage;
}

function req<N extends string, T>(name: N, parse: (v: unknown) => Parsed<T>, storage: FieldStorage, description: string): FieldSpec<N, T, true> {
  return { name, required: true, parse, description, storage };
}
function opt<N extends string, T>(name: N, parse: (v: unknown) => Parsed<T>, storage: FieldStorage, description: string): FieldSpec<N, T, false> {
  return { name, required: false, parse, description, storage };
}
const CLIENT: FieldStorage = { kind: 'client' };
const EPISODE: FieldStorage = { kind: 'episode' };
const ID: FieldStorage = { kind: 'id' };
const DATE: FieldStorage = { kind: 'date' };
const INT: FieldStorage = { kind: 'int' };
const NUMBER: FieldStorage = { kind: 'number' };
const BOOL: FieldStorage = { kind: 'bool' };
const SUBSTANCE_LIST: FieldStorage = { kind: 'substances' };
const codes = (list: readonly string[]): FieldStorage => ({ kind: 'code', codes: list });

const day28 = intInRange(0, 28, 'days (of the previous 28)');
const score20 = intInRange(0, 20, 'points');
// Exit reasons are checked against the standard list plus the scheme's own codes in validation
// (R-VAL-2), because a scheme may add codes (SPEC §2.1); here they only need to be identifiers.
const exitCode = (v: unknown): Parsed<string> => {
  const r = parseId(v);
  return typeof r === 'string' ? r.toLowerCase() : r;
};

/** Field tables of the six input files (SPEC §2), required fields first as listed there. */
export const RECORD_FIELDS = {
  episodes: [
    req('episode_id', parseId, EPISODE, 'Unique id of the treatment episode'),
    req('client_id', parseClientId, CLIENT, 'Pseudonymous client id (never an NHS number)'),
    req('provider_id', parseId, ID, 'Provider delivering the episode'),
    req('area_code', parseId, ID, 'Local authority area of the episode'),
    req('substances', parseSubstances, SUBSTANCE_LIST, `;-list of ${SUBSTANCES.join(', ')}`),
    req('start_date', parseDate, DATE, 'Episode start, YYYY-MM-DD'),
    opt('discharge_date', parseDate, DATE, 'Discharge date, blank while in treatment'),
    opt('exit_reason', exitCode, ID, 'Exit reason code (SPEC §2.1), required when discharged'),
    opt('tariff_band', parseId, ID, 'Assessment / complexity band, e.g. 1–3'),
    opt('substitute_medication_at_exit', parseBool, BOOL, 'true/false: on substitute medication at exit'),
    opt('age_at_start', intInRange(10, 120, 'years'), INT, 'Age in whole years at episode start'),
    opt('injecting_at_start', parseBool, BOOL, 'true/false: injecting at episode start'),
  ],
  reviews: [
    req('client_id', parseClientId, CLIENT, 'Pseudonymous client id'),
    req('episode_id', parseId, EPISODE, 'Episode the review belongs to'),
    req('date', parseDate, DATE, 'Review date'),
    req('stage', oneOf(REVIEW_STAGES), codes(REVIEW_STAGES), `TOP stage: ${REVIEW_STAGES.join(', ')}`),
    opt('days_opiates', day28, INT, 'Days of opiate use in the previous 28'),
    opt('days_crack', day28, INT, 'Days of crack use in the previous 28'),
    opt('days_cocaine', day28, INT, 'Days of cocaine use in the previous 28'),
    opt('days_amphetamines', day28, INT, 'Days of amphetamine use in the previous 28'),
    opt('days_cannabis', day28, INT, 'Days of cannabis use in the previous 28'),
    opt('days_other_drugs', day28, INT, 'Days of other drug use in the previous 28'),
    opt('days_alcohol', day28, INT, 'Days of drinking in the previous 28'),
    opt('days_injected', day28, INT, 'Days injected in the previous 28'),
    opt('days_paid_work', day28, INT, 'Days of paid work in the previous 28'),
    opt('days_acquisitive_crime', day28, INT, 'Days of acquisitive crime in the previous 28'),
    opt('quality_of_life', score20, INT, 'Quality of life score 0–20'),
    opt('psychological_health', score20, INT, 'Psychological health score 0–20'),
    opt('physical_health', score20, INT, 'Physical health score 0–20'),
    opt('housing_problem', parseBool, BOOL, 'true/false: housing problem'),
  ],
  drug_tests: [
    req('client_id', parseClientId, CLIENT, 'Pseudonymous client id'),
    req('date', parseDate, DATE, 'Test date'),
    req('substance', oneOf(SUBSTANCES), codes(SUBSTANCES), `One of ${SUBSTANCES.join(', ')}`),
    req('result', oneOf(TEST_RESULTS), codes(TEST_RESULTS), `One of ${TEST_RESULTS.join(', ')}`),
  ],
  offences: [
    req('client_id', parseClientId, CLIENT, 'Pseudonymous client id'),
    req('offence_date', parseDate, DATE, 'Date of the proven offence'),
    opt('category', oneOf(OFFENCE_CATEGORIES), codes(OFFENCE_CATEGORIES), `One of ${OFFENCE_CATEGORIES.join(', ')}`),
  ],
  employment: [
    req('client_id', parseClientId, CLIENT, 'Pseudonymous client id'),
    req('start_date', parseDate, DATE, 'First day in work'),
    opt('end_date', parseDate, DATE, 'Last day in work, blank while ongoing'),
    opt('hours_per_week', numberInRange(0, 168, 'hours a week'), NUMBER, 'Contracted hours a week'),
  ],
  clients: [
    req('client_id', parseClientId, CLIENT, 'Pseudonymous client id'),
    opt('date_of_death', parseDate, DATE, 'Date of death, blank if not known to have died'),
  ],
} as const satisfies Record<InputFile, readonly FieldSpec<string, any, boolean>[]>;

/** A problem with one field of one row (or with the row as a whole: `field` is then blank). */
export interface FieldProblem {
  readonly field: string;
  readonly value: string;
  /** The kind of problem, from the closed list of `REJECTION_CODES`. */
  readonly code: RejectionCode;
  /** What was wrong, written for the person fixing the file. */
  readonly reason: string;
}

/** The reason given for a required field that is blank or missing (code `blank_required`). */
export const REQUIRED_BLANK = 'is required but blank';

/**
 * The problem of field `field`, shown as `value`: refused by its parser (`refused`, its code and
 * reason), or required and blank (no `refused`). What every reader of rows reports (R-VAL-2).
 * @example fieldProblem('date', '2023-02-30', new Invalid('not_a_date', 'is not a real date'))
 */
export function fieldProblem(field: string, value: string, refused?: { code: RejectionCode; reason: string }): FieldProblem {
  return refused ? { field, value, code: refused.code, reason: refused.reason } : { field, value, code: 'blank_required', reason: REQUIRED_BLANK };
}

/** A cross-field check of one row, and the fields it reads (it reads no other). */
export interface RowCheck {
  readonly reads: readonly string[];
  readonly check: (r: any) => FieldProblem | undefined;
}

/** Cross-field checks within one row, after every field parsed (R-VAL-2). */
const ROW_CHECKS: Partial<Record<InputFile, RowCheck>> = {
  episodes: {
    reads: ['start_date', 'discharge_date', 'exit_reason'],
    check: (r) => {
      if (r.discharge_date !== undefined && r.discharge_date < r.start_date) {
        return { field: 'discharge_date', value: r.discharge_date, code: 'date_order', reason: `is before start_date ${r.start_date}` };
      }
      if (r.discharge_date !== undefined && r.exit_reason === undefined) {
        return { field: 'exit_reason', value: '', code: 'discharge_without_exit_reason', reason: 'is required when discharge_date is given' };
      }
      if (r.discharge_date === undefined && r.exit_reason !== undefined) {
        return { field: 'discharge_date', value: '', code: 'exit_reason_without_discharge', reason: `is blank but exit_reason '${r.exit_reason}' says the episode ended; give the discharge date or clear the exit reason` };
      }
      return undefined;
    },
  },
  employment: {
    reads: ['start_date', 'end_date'],
    check: (r) => {
      if (r.end_date !== undefined && r.end_date < r.start_date) {
        return { field: 'end_date', value: r.end_date, code: 'date_order', reason: `is before start_date ${r.start_date}` };
      }
      return undefined;
    },
  },
};

/**
 * The cross-field check of one row of `file` (R-VAL-2: discharge before start, …), if it has one,
 * with the fields it reads. The check reads only those and keeps nothing of the row: the columnar
 * reader hands it one object per table holding just those fields, filled again for every row (so a
 * check must never return or store the row itself).
 * @example rowCheck('employment')?.check({ start_date: '2020-02-01', end_date: '2020-01-01' })?.field // 'end_date'
 */
export function rowCheck(file: InputFile): RowCheck | undefined {
  return ROW_CHECKS[file];
}

function shown(v: unknown): string {
  if (v === undefined || v === null) return '';
  // NHS numbers never reach a rejection (R-VAL-3), whichever reader made it.
  if (typeof v === 'string') return redactNhsNumbers(v);
  try {
    return redactNhsNumbers(typeof v === 'object' ? JSON.stringify(v) : String(v));
  } catch {
    return redactNhsNumbers(String(v));
  }
}

/**
 * Parses one raw row of `file` with the fast table-driven parser. Returns the record or the first
 * problem found (field order as in SPEC §2). Unknown columns are ignored (never copied to outputs,
 * R-VAL-3). This is exactly what the zod schemas of {@link RECORD_SCHEMAS} accept.
 * @example parseRow('offences', { client_id: 'C1', offence_date: '2020-01-05' })
 * // { ok: true, record: { client_id: 'C1', offence_date: '2020-01-05', category: undefined } }
 */
export function parseRow<F extends InputFile>(
  file: F,
  raw: Record<string, unknown>,
): { ok: true; record: RecordOf<F> } | { ok: false; problem: FieldProblem } {
  const fields = RECORD_FIELDS[file] as readonly FieldSpec[];
  return parseCells(file, fields.map((f) => raw[f.name]), FIELD_ORDER[file]);
}

/** Each file's fields in table order (`parseRow` hands `parseCells` the raw values in that order). */
const FIELD_ORDER = Object.fromEntries(
  Object.entries(RECORD_FIELDS).map(([file, fields]) => [file, (fields as readonly FieldSpec[]).map((_, i) => i)]),
) as unknown as Record<InputFile, readonly number[]>;

/**
 * {@link parseRow} on the cells of a CSV row, without building an object of raw values first (the
 * national-scale runner parses millions of rows). `at[i]` is the cell of the i-th field of the
 * file's table, or -1 when the file has no such column. Same results as `parseRow` on the object
 * `{ [field]: cells[at[i]] }`.
 * @example parseCells('offences', ['C1', '2020-01-05', ''], [0, 1, 2]).ok // true
 */
export function parseCells<F extends InputFile>(
  file: F,
  cells: readonly unknown[],
  at: readonly number[],
): { ok: true; record: RecordOf<F> } | { ok: false; problem: FieldProblem } {
  const fields = RECORD_FIELDS[file] as readonly FieldSpec[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const k = at[i]!;
    const v = k < 0 ? undefined : cells[k];
    const p = f.parse(v);
    if (p instanceof Invalid) return { ok: false, problem: fieldProblem(f.name, shown(v), p) };
    if (p === undefined && f.required) {
      return { ok: false, problem: fieldProblem(f.name, shown(v)) };
    }
    out[f.name] = p;
  }
  const problem = ROW_CHECKS[file]?.check(out);
  if (problem) return { ok: false, problem };
  return { ok: true, record: out as RecordOf<F> };
}

type FieldsOf<F extends InputFile> = (typeof RECORD_FIELDS)[F][number];
/** The typed record an input file's field table describes: required fields set, others maybe undefined. */
type RecordFromFields<F extends InputFile> = {
  [K in FieldsOf<F> as K['name']]: K extends FieldSpec<string, infer T, true> ? T : K extends FieldSpec<string, infer T, false> ? T | undefined : never;
};

function zodField(f: FieldSpec): z.ZodType {
  const field = z
    .unknown()
    .transform((v, ctx) => {
      const p = f.parse(v);
      if (p instanceof Invalid) {
        ctx.addIssue({ code: 'custom', message: p.reason, input: v, params: { rejection: p.code } });
        return z.NEVER;
      }
      if (p === undefined && f.required) {
        ctx.addIssue({ code: 'custom', message: REQUIRED_BLANK, input: v, params: { rejection: 'blank_required' } });
        return z.NEVER;
      }
      return p;
    });
  // zod 4 refuses an `undefined` output for an object key unless the schema is optional, so a blank
  // or absent optional field must be declared optional (every parser maps `undefined` to `undefined`).
  return (f.required ? field : field.optional()).describe(f.description);
}

function recordSchema<F extends InputFile>(file: F): z.ZodType<RecordFromFields<F>, unknown> {
  const fields = RECORD_FIELDS[file] as readonly FieldSpec[];
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) shape[f.name] = zodField(f);
  const check = ROW_CHECKS[file]?.check;
  const obj = z.object(shape);
  const refined = check
    ? obj.superRefine((r, ctx) => {
        const p = check(r);
        if (p) ctx.addIssue({ code: 'custom', message: p.reason, path: [p.field], input: p.value, params: { rejection: p.code } });
      })
    : obj;
  // Every field present, in table order, exactly as `parseRow` builds the record.
  return refined.transform((r: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f.name] = r[f.name];
    return out;
  }) as any;
}

/** zod schemas of the six input records (typed-object API input is parsed with these). */
export const RECORD_SCHEMAS = {
  episodes: recordSchema('episodes'),
  reviews: recordSchema('reviews'),
  drug_tests: recordSchema('drug_tests'),
  offences: recordSchema('offences'),
  employment: recordSchema('employment'),
  clients: recordSchema('clients'),
};

/** A treatment episode (SPEC §2 `episodes`). */
export type Episode = z.output<typeof RECORD_SCHEMAS.episodes>;
/** An outcome-profile (TOP) review (SPEC §2 `reviews`). */
export type Review = z.output<typeof RECORD_SCHEMAS.reviews>;
/** A drug test result (SPEC §2 `drug_tests`). */
export type DrugTest = z.output<typeof RECORD_SCHEMAS.drug_tests>;
/** A proven offence (SPEC §2 `offences`). */
export type Offence = z.output<typeof RECORD_SCHEMAS.offences>;
/** A spell in paid work (SPEC §2 `employment`). */
export type EmploymentSpell = z.output<typeof RECORD_SCHEMAS.employment>;
/** A client row (SPEC §2 `clients`). */
export type Client = z.output<typeof RECORD_SCHEMAS.clients>;

/** The record type of an input file. */
export type RecordOf<F extends InputFile> = z.output<(typeof RECORD_SCHEMAS)[F]>;

/** Where a record came from: the input row number (header = 1, first record = 2; NDJSON: the line). */
export interface RowRef {
  readonly row?: number;
  /**
   * The part the record was read from (`episodes/2014.csv`) when its input is a folder of parts;
   * `row` is then that part's row.
   */
  readonly part?: string;
}

/** A record with its input row number, as the readers return it (used by `explain`). */
export type Located<T> = T & RowRef;

/**
 * Whether two records hold the same values, wherever they were read (`row` and `part` ignored):
 * the test of R-VAL-2 for identical duplicate rows.
 * @example sameValues({ client_id: 'C1', row: 2 }, { client_id: 'C1', row: 9 }) // true
 */
export function sameValues(a: object, b: object): boolean {
  for (const k of Object.keys(a)) {
    if (k === 'row' || k === 'part') continue;
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/**
 * The column names of an input file, in SPEC order.
 * @example columnsOf('offences') // ['client_id', 'offence_date', 'category']
 */
export function columnsOf(file: InputFile): string[] {
  return (RECORD_FIELDS[file] as readonly FieldSpec[]).map((f) => f.name);
}

/**
 * The required column names of an input file.
 * @example requiredColumnsOf('offences') // ['client_id', 'offence_date']
 */
export function requiredColumnsOf(file: InputFile): string[] {
  return (RECORD_FIELDS[file] as readonly FieldSpec[]).filter((f) => f.required).map((f) => f.name);
}
