import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPUT_FILES } from '../../src/schema/codes.js';
import { columnsOf, requiredColumnsOf } from '../../src/schema/records.js';
import { checkHeader, columnTokens, identifierKind } from '../../src/validate/header.js';

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
