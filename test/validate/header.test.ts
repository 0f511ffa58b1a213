import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPUT_FILES } from '../../src/schema/codes.js';
import { columnsOf, requiredColumnsOf } from '../../src/schema/records.js';
import { checkHeader, closeField, columnTokens, identifierKind, ndjsonKeyGuard, shownColumn } from '../../src/validate/header.js';

describe('identifierKind: the anonymisation guard on column names (R-VAL-3)', () => {
  it.each([
    ['name', 'a name'],
    ['Client Name', 'a name'],
    ['client_name', 'a name'],
    ['forename', 'a name'],
    ['Surname', 'a name'],
    ['first_name', 'a name'],
    ['FirstName', 'a name'],
    ['last name', 'a name'],
    ['LAST_NAME', 'a name'],
    ['full_name', 'a name'],
    ['patientSurname', 'a name'],
    ['date_of_birth', 'a date of birth'],
    ['Date of Birth', 'a date of birth'],
    ['DOB', 'a date of birth'],
    ['dob', 'a date of birth'],
    ['birth_date', 'a date of birth'],
    ['BirthDate', 'a date of birth'],
    ['client_dob', 'a date of birth'],
    ['nhs_number', 'an NHS number'],
    ['NHS No', 'an NHS number'],
    ['NHSNumber', 'an NHS number'],
    ['nhsno', 'an NHS number'],
    ['nhs', 'an NHS number'],
    ['postcode', 'a postcode'],
    ['Post Code', 'a postcode'],
    ['POST_CODE', 'a postcode'],
    ['home_postcode', 'a postcode'],
    ['zip', 'a postcode'],
    ['address', 'an address'],
    ['Address Line 1', 'an address'],
    ['home_address', 'an address'],
    ['phone', 'a phone number'],
    ['home_phone', 'a phone number'],
    ['Telephone', 'a phone number'],
    ['mobile', 'a phone number'],
    ['MobilePhone', 'a phone number'],
    ['tel_no', 'a phone number'],
    ['email', 'an email address'],
    ['EMAIL_ADDRESS', 'an email address'],
    ['E-mail', 'an email address'],
    ['contactEmail', 'an email address'],
  ])('flags %j as %s', (column, kind) => {
    expect(identifierKind(column)).toBe(kind);
  });

  it.each([
    'provider_id',
    'area_code',
    'provider_name',
    'Service Name',
    'drug_name',
    'team name',
    'date_of_death',
    'age_at_start',
    'nhs_trust',
    'notes',
    'adobe_id',
    'postal_region',
    'code',
    '',
  ])('does not flag %j', (column) => {
    expect(identifierKind(column)).toBeUndefined();
  });

  it("never flags the project's own columns", () => {
    for (const f of INPUT_FILES) for (const c of columnsOf(f)) expect(identifierKind(c), c).toBeUndefined();
  });

  it('splits names into tokens across case, separators and acronyms', () => {
    expect(columnTokens('EMAIL_ADDRESS')).toEqual(['email', 'address']);
    expect(columnTokens('homePhone')).toEqual(['home', 'phone']);
    expect(columnTokens('NHSNumber')).toEqual(['nhs', 'number']);
    expect(columnTokens(' Post  Code ')).toEqual(['post', 'code']);
  });

  it('is blind to letter case and separators (property)', () => {
    const base = ['client name', 'date of birth', 'post code', 'email address', 'home phone', 'nhs number', 'home address'];
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.constantFrom(' ', '_', '-', '.'), fc.boolean(), (col, sep, upper) => {
        const written = col.split(' ').join(sep);
        const shown = upper ? written.toUpperCase() : written;
        expect(identifierKind(shown)).toBe(identifierKind(col));
        expect(identifierKind(shown)).toBeDefined();
      }),
    );
  });
});

describe('checkHeader (R-VAL-3, SPEC §2)', () => {
  it('a header with every SPEC column is clean', () => {
    for (const f of INPUT_FILES) {
      const h = checkHeader(f, columnsOf(f));
      expect(h.errors).toEqual([]);
      expect(h.notes).toEqual([]);
      expect(h.fields).toEqual(columnsOf(f));
    }
  });

  it('stops on direct identifiers and says which columns to remove', () => {
    const h = checkHeader('episodes', [...columnsOf('episodes'), 'Client Name', 'EMAIL_ADDRESS', 'home_phone', 'Post Code']);
    expect(h.identifiers.map((i) => i.column)).toEqual(['Client Name', 'EMAIL_ADDRESS', 'home_phone', 'Post Code']);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toMatch(/'Client Name' \(a name\), 'EMAIL_ADDRESS' \(an email address\), 'home_phone' \(a phone number\), 'Post Code' \(a postcode\)/);
    expect(h.errors[0]).toMatch(/Remove them from the file/);
    // Identifier columns are not also listed as merely unknown.
    expect(h.unknown).toEqual([]);
  });

  it('reports every missing required column', () => {
    const h = checkHeader('episodes', ['episode_id', 'client_id', 'substances']);
    expect(h.missing).toEqual(['provider_id', 'area_code', 'start_date']);
    expect(h.errors[0]).toMatch(/required columns 'provider_id', 'area_code', 'start_date' are missing/);
  });

  it('optional columns may be left out', () => {
    expect(checkHeader('episodes', requiredColumnsOf('episodes')).errors).toEqual([]);
    expect(checkHeader('reviews', requiredColumnsOf('reviews')).errors).toEqual([]);
  });

  it('notes unknown columns (ignored, never copied) without stopping', () => {
    const h = checkHeader('clients', ['client_id', 'comment', 'team']);
    expect(h.errors).toEqual([]);
    expect(h.unknown).toEqual(['comment', 'team']);
    expect(h.fields).toEqual(['client_id', undefined, undefined]);
    expect(h.notes[0]).toMatch(/'comment', 'team' are not used and ignored/);
  });

  it('matches column names after trimming and ignoring letter case', () => {
    const h = checkHeader('clients', [' Client_ID ', 'DATE_OF_DEATH']);
    expect(h.errors).toEqual([]);
    expect(h.fields).toEqual(['client_id', 'date_of_death']);
  });

  it('refuses a column given twice', () => {
    const h = checkHeader('clients', ['client_id', 'Client_ID']);
    expect(h.duplicates).toEqual(['client_id']);
    expect(h.errors[0]).toMatch(/'client_id' appears more than once/);
    expect(h.fields).toEqual(['client_id', undefined]);
  });

  it('hints at the separator when the whole header is one semicolon-separated cell', () => {
    const h = checkHeader('clients', ['client_id;date_of_death']);
    expect(h.errors[0]).toMatch(/separated by semicolons: save the file as comma-separated/);
  });
});

describe('misspelled columns stop the run; unknown ones are noted (issue #13)', () => {
  it.each([
    ['employment', 'end_dt', 'end_date'],
    ['employment', 'hours_per_wek', 'hours_per_week'],
    ['clients', 'date_of_deth', 'date_of_death'],
    ['clients', 'date_od_death', 'date_of_death'],
    ['episodes', 'discharge', 'discharge_date'],
    ['episodes', 'exit_reasn', 'exit_reason'],
    ['reviews', 'days_opiate', 'days_opiates'],
    ['reviews', 'qualty_of_life', 'quality_of_life'],
    ['offences', 'categroy', 'category'],
  ] as const)('%s: %j → did you mean %s?', (file, column, field) => {
    const cols = [...columnsOf(file).filter((c) => c !== field), column];
    const h = checkHeader(file, cols);
    expect(h.misspelled).toEqual([{ column, field }]);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toContain(`column '${column}' is not a column of ${file}; did you mean ${field}?`);
    expect(h.errors[0]).toMatch(/No rows were read\.$/);
    expect(closeField(column, columnsOf(file))).toBe(field);
  });

  it('a column close to a field that another column already feeds is only extra (noted, not an error)', () => {
    const h = checkHeader('episodes', [...columnsOf('episodes'), 'provider', 'start']);
    expect(h.errors).toEqual([]);
    expect(h.unknown).toEqual(['provider', 'start']);
  });

  it('names that are not close to any field are noted and ignored', () => {
    const h = checkHeader('employment', ['client_id', 'start_date', 'employer_sector', 'notes']);
    expect(h.misspelled).toEqual([]);
    expect(h.notes).toEqual(["employment: columns 'employer_sector', 'notes' are not used and ignored (never copied to outputs)."]);
  });

  it('letter case, spaces and punctuation do not matter: End Date, end-date and EndDate feed end_date', () => {
    for (const c of ['End Date', 'end-date', 'EndDate', ' END_DATE ', 'end.date']) {
      const h = checkHeader('employment', ['client_id', 'start_date', c]);
      expect(h.errors, c).toEqual([]);
      expect(h.fields, c).toEqual(['client_id', 'start_date', 'end_date']);
    }
    expect(checkHeader('employment', ['client_id', 'start_date', 'end_date', 'End Date']).duplicates).toEqual(['end_date']);
  });

  it('closeField gives nothing for short or far names, or a tie', () => {
    expect(closeField('id', ['client_id'])).toBeUndefined();
    expect(closeField('team', ['date', 'stage'])).toBeUndefined();
    expect(closeField('xyz_abc', ['end_date'])).toBeUndefined();
    expect(closeField('days_x', ['days_crack', 'days_alcohol'])).toBeUndefined();
  });

  it('names are shown safely: controls escaped, long names cut', () => {
    const h = checkHeader('clients', ['\u001b[2Jevil', 'x'.repeat(10_000)]);
    const text = h.errors.join('\n');
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain('\\u001B[2Jevil');
    expect(text).toContain(`${'x'.repeat(60)}… (10000 characters)`);
    expect(text.length).toBeLessThan(1000);
    expect(shownColumn('a\u202eb')).toBe('a\\u202Eb');
  });
});

describe('ndjsonKeyGuard: NDJSON keys are checked like a header (R-VAL-3, issue #13)', () => {
  it('stops on an identifier key and on a misspelled field, naming the line', () => {
    const g = ndjsonKeyGuard('employment', 'employment.ndjson');
    g.check(['client_id', 'start_date'], 1);
    expect(() => g.check(['end_dt'], 4)).toThrow("employment.ndjson line 4: key 'end_dt' (did you mean end_date?) is not a field of employment");
    expect(() => g.check(['End_Date'], 5)).toThrow(/did you mean end_date\?/);
    expect(() => g.check(['email'], 6)).toThrow(/key 'email' \(an email address\) identifies people directly/);
  });

  it('gathers other unknown keys (at most 100 kept, all counted)', () => {
    const g = ndjsonKeyGuard('clients', 'clients.ndjson');
    g.check(['client_id', 'team'], 1);
    g.check(Array.from({ length: 150 }, (_, i) => `zz_extra_${i}`), 2);
    expect(g.unknown()).toHaveLength(100);
    expect(g.unknown()[0]).toBe('team');
    expect(g.unknownCount()).toBe(151);
  });
});
