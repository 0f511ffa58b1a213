/**
 * Header checks of an input file, run before any row is read: the anonymisation guard (R-VAL-3:
 * a column that names a direct identifier stops the run), missing required columns, duplicated
 * columns, and unknown columns (ignored, never copied to outputs). Pure: the Node readers and the
 * browser both call it with the column names they found.
 * @module
 */
import type { InputFile } from '../schema/codes.js';
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
  /** Columns that are not part of the file's record: ignored, never copied to outputs. */
  unknown: string[];
  /**
   * For each input column, the record field it feeds (`undefined` for unknown or duplicate
   * columns). Names match after trimming and ignoring letter case, so `Episode_ID` feeds `episode_id`.
   */
  fields: (string | undefined)[];
  /** Problems that stop the run, one sentence each, saying what to do. Empty when the header is usable. */
  errors: string[];
  /** Things the user should know that do not stop the run (unknown columns). */
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

/**
 * Checks the column names of an input file before any row is read (R-VAL-3, SPEC §2): direct
 * identifiers and missing or duplicated required columns are errors that stop the run; unknown
 * columns are noted and ignored. Column names match the SPEC field names after trimming and
 * ignoring letter case.
 * @example
 * checkHeader('clients', ['client_id', 'Client Name']).errors
 * // ["clients: column 'Client Name' holds a name. …"]
 */
export function checkHeader(file: InputFile, columns: readonly string[]): HeaderCheck {
  const known = columnsOf(file);
  const byLower = new Map(known.map((k) => [k, k]));
  const identifiers: HeaderCheck['identifiers'] = [];
  const unknown: string[] = [];
  const duplicates: string[] = [];
  const fields: (string | undefined)[] = [];
  const seen = new Set<string>();
  for (const c of columns) {
    const kind = identifierKind(c);
    if (kind) identifiers.push({ column: c, kind });
    const field = byLower.get(c.trim().toLowerCase());
    if (field === undefined) {
      fields.push(undefined);
      if (!kind) unknown.push(c);
    } else if (seen.has(field)) {
      fields.push(undefined);
      if (!duplicates.includes(field)) duplicates.push(field);
    } else {
      seen.add(field);
      fields.push(field);
    }
  }
  const missing = requiredColumnsOf(file).filter((r) => !seen.has(r));
  const errors: string[] = [];
  const notes: string[] = [];
  if (identifiers.length > 0) {
    const list = identifiers.map((i) => `'${i.column}' (${i.kind})`).join(', ');
    errors.push(
      `${file}: ${identifiers.length === 1 ? 'column' : 'columns'} ${list} ${identifiers.length === 1 ? 'identifies' : 'identify'} people directly. ` +
        `Remove ${identifiers.length === 1 ? 'it' : 'them'} from the file and run again: recovery-pbr only takes anonymised data (R-VAL-3). No rows were read.`,
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
    errors.push(
      `${file}: required ${missing.length === 1 ? 'column' : 'columns'} ${missing.map((m) => `'${m}'`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing ` +
        `(the header has: ${columns.map((c) => `'${c}'`).join(', ') || 'nothing'}). Add ${missing.length === 1 ? 'it' : 'them'}, spelled as in the documentation.${hint}`,
    );
  }
  if (unknown.length > 0) {
    notes.push(`${file}: ${unknown.length === 1 ? 'column' : 'columns'} ${unknown.map((u) => `'${u}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not used and ignored (never copied to outputs).`);
  }
  return { file, identifiers, missing, duplicates, unknown, fields, errors, notes };
}
