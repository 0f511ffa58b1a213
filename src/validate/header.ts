/**
 * Header checks of an input file, run before any row is read: the anonymisation guard (R-VAL-3:
 * a column that names a direct identifier stops the run), missing required columns, duplicated
 * columns, and unknown columns (ignored, never copied to outputs). Pure: the Node readers and the
 * browser both call it with the column names they found.
 * @module
 */
import { RecoveryPbrError } from '../errors.js';
import type { InputFile } from '../schema/codes.js';
import { printable } from '../schema/fields.js';
import { columnsOf, requiredColumnsOf } from '../schema/records.js';

/** What a direct-identifier column holds, in words for the message (R-VAL-3). */
export type IdentifierKind =
  | 'a name'
  | 'a date of birth'
  | 'an NHS number'
  | 'a postcode'
  | 'an address'
  | 'a phone number'
  | 'an email address';

/** Result of {@link checkHeader}. */
export interface HeaderCheck {
  file: InputFile;
  /** Columns that name a direct identifier (R-VAL-3): the run must stop before reading rows. */
  identifiers: { column: string; kind: IdentifierKind }[];
  /** Required columns (SPEC §2) that the header lacks. */
  missing: string[];
  /** Column names given more than once (after trimming and ignoring letter case). */
  duplicates: string[];
  /** Columns that are surely a misspelled field (see {@link closeField}): the run must stop. */
  misspelled: { column: string; field: string }[];
  /** Columns that are not part of the file's record: ignored, never copied to outputs. */
  unknown: string[];
  /**
   * For each input column, the record field it feeds (`undefined` for unknown or duplicate
   * columns). Names match ignoring letter case, spaces and punctuation, so `Episode ID` feeds `episode_id`.
   */
  fields: (string | undefined)[];
  /** Problems that stop the run, one sentence each, saying what to do. Empty when the header is usable. */
  errors: string[];
  /** Things the user should know that do not stop the run (unknown columns; commands print them on stderr). */
  notes: string[];
}

/**
 * Splits a column name into lower-case word tokens: `EMAIL_ADDRESS` → [email, address],
 * `homePhone` → [home, phone], `Post Code` → [post, code], `NHSNumber` → [nhs, number].
 * @example columnTokens('Client Name') // ['client', 'name']
 */
export function columnTokens(column: string): string[] {
  return column
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
}

// Words that, before `name`, make it the name of a thing rather than of a person.
const THING_NAMES = new Set([
  'provider', 'service', 'team', 'site', 'organisation', 'organization', 'org', 'area', 'la', 'authority',
  'scheme', 'outcome', 'drug', 'substance', 'file', 'ward', 'region', 'commissioner', 'trust', 'column',
  'field', 'indicator', 'payer', 'contract', 'programme', 'program', 'project', 'medication', 'medicine',
  'test', 'offence', 'category', 'stage', 'band', 'tariff', 'user', 'host', 'company', 'employer',
]);
// Compound words, tested on each token and on each run of 2–3 adjacent tokens joined, so
// `Post Code` → `postcode`, `E-mail` → `email`, `date of birth` → `dateofbirth`, `homePhone` → `homephone`.
const COMPOUNDS: [RegExp, IdentifierKind][] = [
  [/(forename|surname|firstname|lastname|fullname|givenname|familyname|middlename|maidenname)/, 'a name'],
  [/(dateofbirth|birthdate|birthday|dob$)/, 'a date of birth'],
  [/nhs(number|no|num|nbr)$/, 'an NHS number'],
  [/(postcode|zipcode|postalcode)/, 'a postcode'],
  [/(email|^mail$)/, 'an email address'],
  [/(telephone|phone)/, 'a phone number'],
  [/address/, 'an address'],
];
// Single tokens that name an identifier on their own.
const TOKENS = new Map<string, IdentifierKind>([
  ['name', 'a name'],
  ['names', 'a name'],
  ['forename', 'a name'],
  ['forenames', 'a name'],
  ['surname', 'a name'],
  ['initials', 'a name'],
  ['dob', 'a date of birth'],
  ['nhs', 'an NHS number'],
  ['postcode', 'a postcode'],
  ['zip', 'a postcode'],
  ['address', 'an address'],
  ['addr', 'an address'],
  ['street', 'an address'],
  ['phone', 'a phone number'],
  ['telephone', 'a phone number'],
  ['tel', 'a phone number'],
  ['mobile', 'a phone number'],
  ['email', 'an email address'],
  ['mail', 'an email address'],
]);

const OWN_COLUMNS = new Set<string>(
  (['episodes', 'reviews', 'drug_tests', 'offences', 'employment', 'clients'] as const).flatMap((f) => columnsOf(f)),
);

/**
 * The kind of direct identifier a column name denotes (R-VAL-3), or `undefined`. Matches on
 * normalised word tokens, so `Client Name`, `EMAIL_ADDRESS`, `home_phone`, `Post Code`, `DoB` and
 * `NHS No` are caught, while our own columns (`provider_id`, `area_code`, `date_of_death`, …) and
 * names of things (`provider_name`, `service_name`) are not.
 * @example identifierKind('Post Code') // 'a postcode'
 * @example identifierKind('area_code') // undefined
 */
export function identifierKind(column: string): IdentifierKind | undefined {
  const trimmed = column.trim();
  if (OWN_COLUMNS.has(trimmed.toLowerCase())) return undefined;
  const tokens = columnTokens(trimmed);
  if (tokens.length === 0) return undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const kind = TOKENS.get(t);
    if (kind === undefined) continue;
    // `provider_name`, `drug name`: the name of a thing, not of a person.
    if (kind === 'a name' && (t === 'name' || t === 'names') && i > 0 && THING_NAMES.has(tokens[i - 1]!)) continue;
    // `nhs_trust`, `nhs_region`: only `nhs` with a number/no/id is a patient identifier.
    if (t === 'nhs' && !['number', 'no', 'num', 'id', 'nbr'].includes(tokens[i + 1] ?? '') && tokens.length > 1) continue;
    return kind;
  }
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const candidate = tokens.slice(i, i + n).join('');
      for (const [re, kind] of COMPOUNDS) if (re.test(candidate)) return kind;
    }
  }
  return undefined;
}

/** A column name as a message shows it: controls and invisible characters escaped, long names cut. */
export function shownColumn(column: string): string {
  return printable(column, 60);
}

/** A name reduced to its letters and digits, lower case: `End Date`, `end-date` and `END_DATE` are one. */
export function normalisedName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Edit distance (insertions, deletions, substitutions and swaps of neighbours), up to `limit` + 1. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The field a misspelled column name was surely meant to be, among `candidates` (the file's fields
 * that no column of the header feeds): the same letters and digits in another case or spacing;
 * one or two letters off (`end_dt` → end_date, `date_of_deth` → date_of_death; one for names of
 * 4–6 letters, two from 7); or the start of the name, or the name with up to 4 more after it
 * (`start` → start_date, `end_date_2` → end_date; from 5 letters). `undefined` when none is close, or two are equally close.
 * @example closeField('end_dt', ['end_date', 'hours_per_week']) // 'end_date'
 */
export function closeField(column: string, candidates: readonly string[]): string | undefined {
  const u = normalisedName(column);
  // A whole header in one cell (`a;b;c`) is a separator problem, not a spelling one.
  if (u.length < 3 || /[;\t|]/.test(column)) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  let tie = false;
  for (const f of candidates) {
    const n = normalisedName(f);
    const longest = Math.max(u.length, n.length);
    const limit = longest >= 7 ? 2 : longest >= 4 ? 1 : 0;
    let score = editDistance(u, n, limit);
    if (score > limit) {
      const prefix = (u.length >= 5 && n.startsWith(u)) || (n.length >= 5 && u.startsWith(n) && u.length - n.length <= 4);
      if (!prefix) continue;
      score = limit + 1;
    }
    if (score < bestScore) {
      best = f;
      bestScore = score;
      tie = false;
    } else if (score === bestScore) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * Checks the column names of an input file before any row is read (R-VAL-3, SPEC §2): direct
 * identifiers, missing or duplicated required columns, and columns that are surely a misspelled
 * field (`end_dt`, `date_of_deth`: a whole column would be silently ignored, see {@link closeField})
 * are errors that stop the run; other unknown columns are noted (ignored, never copied to outputs)
 * and the commands name them on the terminal. Column names match the SPEC field names ignoring
 * letter case, spaces and punctuation (`End Date` feeds end_date).
 * @example
 * checkHeader('clients', ['client_id', 'Client Name']).errors
 * // ["clients: column 'Client Name' holds a name. …"]
 * @example
 * checkHeader('employment', ['client_id', 'start_date', 'end_dt']).errors
 * // ["employment: column 'end_dt' is not a column of employment; did you mean end_date? …"]
 */
export function checkHeader(file: InputFile, columns: readonly string[]): HeaderCheck {
  const known = columnsOf(file);
  const exact = new Map(known.map((k) => [k, k]));
  const loose = new Map(known.map((k) => [normalisedName(k), k]));
  const identifiers: HeaderCheck['identifiers'] = [];
  const unknown: string[] = [];
  const misspelled: { column: string; field: string }[] = [];
  const duplicates: string[] = [];
  const fields: (string | undefined)[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  for (const c of columns) {
    const kind = identifierKind(c);
    if (kind) identifiers.push({ column: c, kind });
    const n = normalisedName(c);
    const field = exact.get(c.trim().toLowerCase()) ?? (n === '' ? undefined : loose.get(n));
    if (field === undefined) {
      fields.push(undefined);
      if (!kind) unmatched.push(c);
    } else if (seen.has(field)) {
      fields.push(undefined);
      if (!duplicates.includes(field)) duplicates.push(field);
    } else {
      seen.add(field);
      fields.push(field);
    }
  }
  // Only fields no column feeds can have been meant: an extra `provider` beside provider_id is just extra.
  const free = known.filter((k) => !seen.has(k));
  for (const c of unmatched) {
    const field = closeField(c, free);
    if (field) misspelled.push({ column: c, field });
    else unknown.push(c);
  }
  const missing = requiredColumnsOf(file).filter((r) => !seen.has(r));
  const errors: string[] = [];
  const notes: string[] = [];
  if (identifiers.length > 0) {
    const list = identifiers.map((i) => `'${shownColumn(i.column)}' (${i.kind})`).join(', ');
    errors.push(
      `${file}: ${identifiers.length === 1 ? 'column' : 'columns'} ${list} ${identifiers.length === 1 ? 'identifies' : 'identify'} people directly. ` +
        `Remove ${identifiers.length === 1 ? 'it' : 'them'} from the file and run again: recovery-pbr only takes anonymised data (R-VAL-3). No rows were read.`,
    );
  }
  if (misspelled.length > 0) {
    const list = misspelled.map((m) => `'${shownColumn(m.column)}'`).join(', ');
    const means = misspelled.map((m) => m.field).join(', ');
    errors.push(
      `${file}: ${misspelled.length === 1 ? 'column' : 'columns'} ${list} ${misspelled.length === 1 ? 'is not a column' : 'are not columns'} of ${file}; did you mean ${means}? ` +
        `Rename ${misspelled.length === 1 ? 'it' : 'them'} as in the documentation and run again (a misspelled column would be ignored, as if the file had no such values). No rows were read.`,
    );
  }
  if (duplicates.length > 0) {
    errors.push(`${file}: ${duplicates.map((d) => `'${d}'`).join(', ')} ${duplicates.length === 1 ? 'appears' : 'appear'} more than once in the header; keep one column of each name.`);
  }
  if (missing.length > 0) {
    let hint = '';
    const only = columns.length === 1 ? columns[0]! : undefined;
    if (only !== undefined && /[;\t|]/.test(only)) {
      const sep = only.includes(';') ? 'semicolons' : only.includes('\t') ? 'tabs' : "'|'";
      hint = ` The header seems to be separated by ${sep}: save the file as comma-separated (CSV UTF-8).`;
    }
    const shown = columns.slice(0, 20).map((c) => `'${shownColumn(c)}'`).join(', ') + (columns.length > 20 ? `, … (${columns.length} columns)` : '');
    errors.push(
      `${file}: required ${missing.length === 1 ? 'column' : 'columns'} ${missing.map((m) => `'${m}'`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing ` +
        `(the header has: ${shown || 'nothing'}). Add ${missing.length === 1 ? 'it' : 'them'}, spelled as in the documentation.${hint}`,
    );
  }
  if (unknown.length > 0) notes.push(unknownColumnsNote(file, unknown, 'column'));
  return { file, identifiers, missing, duplicates, misspelled, unknown, fields, errors, notes };
}

/**
 * The note for columns (or NDJSON keys) that are not fields of the file: ignored, never copied to
 * outputs. Names are shown safely; a long list is cut.
 * @example unknownColumnsNote('clients.csv', ['comment'], 'column') // "clients.csv: column 'comment' is not used and ignored (never copied to outputs)."
 */
export function unknownColumnsNote(name: string, unknown: readonly string[], what: 'column' | 'key'): string {
  const list = unknown.slice(0, 20).map((u) => `'${shownColumn(u)}'`).join(', ') + (unknown.length > 20 ? `, … (${unknown.length} in all)` : '');
  return `${name}: ${unknown.length === 1 ? what : `${what}s`} ${list} ${unknown.length === 1 ? 'is' : 'are'} not used and ignored (never copied to outputs).`;
}

/**
 * The header checks for NDJSON, whose keys appear line by line: returns a function to call with
 * the keys of each line that no earlier line had (see `NdjsonOptions.onNewKeys`). It throws a
 * `RecoveryPbrError` when a key names a direct identifier (R-VAL-3) or is surely a misspelled field
 * (see {@link closeField}; NDJSON keys match exactly, so `End_Date` is one too), and gathers the
 * other unknown keys (`unknown()`, at most 100 names kept; `unknownCount()` counts them all).
 * @example const guard = ndjsonKeyGuard('employment', 'employment.ndjson'); guard.check(['client_id', 'end_dt'], 1) // throws: did you mean end_date?
 */
export function ndjsonKeyGuard(file: InputFile, name: string): { check: (keys: readonly string[], line: number) => void; unknown: () => string[]; unknownCount: () => number } {
  const known = new Set(columnsOf(file));
  const present = new Set<string>();
  const unknown = new Set<string>();
  let count = 0;
  return {
    check(keys, line) {
      for (const k of keys) if (known.has(k)) present.add(k);
      const ids: string[] = [];
      const misspelled: string[] = [];
      const free = [...known].filter((k) => !present.has(k));
      for (const k of keys) {
        if (known.has(k)) continue;
        const kind = identifierKind(k);
        if (kind) {
          ids.push(`'${shownColumn(k)}' (${kind})`);
          continue;
        }
        const field = closeField(k, free);
        if (field) misspelled.push(`'${shownColumn(k)}' (did you mean ${field}?)`);
        else {
          count++;
          if (unknown.size < 100) unknown.add(k);
        }
      }
      if (ids.length > 0) {
        throw new RecoveryPbrError(
          'input_header',
          `${name} line ${line}: ${ids.length === 1 ? 'key' : 'keys'} ${ids.join(', ')} ${ids.length === 1 ? 'identifies' : 'identify'} people directly. ` +
            `Remove ${ids.length === 1 ? 'it' : 'them'} from every line and run again: recovery-pbr only takes anonymised data (R-VAL-3). No output was written.`,
        );
      }
      if (misspelled.length > 0) {
        throw new RecoveryPbrError(
          'input_header',
          `${name} line ${line}: ${misspelled.length === 1 ? 'key' : 'keys'} ${misspelled.join(', ')} ${misspelled.length === 1 ? 'is not a field' : 'are not fields'} of ${file}. ` +
            'Spell keys exactly as in the documentation and run again (a misspelled key would be ignored, as if the file had no such values).',
        );
      }
    },
    unknown: () => [...unknown].sort(),
    unknownCount: () => count,
  };
}
