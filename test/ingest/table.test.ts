/**
 * The columnar table (src/ingest/table.ts, issue #11). The law: a cell means in the table exactly
 * what the field's own parser (src/schema/fields.ts, through `parseCells`/`parseRow` of
 * src/schema/records.ts) says it means — the same record, or the same first problem — however the
 * table got there: the fast paths that read a plain date or a small whole number straight from the
 * bytes, the memo that parses each distinct cell once (by its bytes), the memo past its size limit,
 * a quoted cell read from its bytes or unescaped, a value given in memory (NDJSON, typed objects).
 * So no fast or memoised parse can ever differ from the slow one (SPEC §2, R-VAL-2).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, type CsvRecord } from '../../src/ingest/csv.js';
import { Memo, NA, RecordTable, recordMaker, vocabularies } from '../../src/ingest/table.js';
import { isoOfDay, toDayNumber } from '../../src/calendar/index.js';
import {
  INPUT_FILES,
  OFFENCE_CATEGORIES,
  REVIEW_STAGES,
  STANDARD_EXIT_REASON_CODES,
  SUBSTANCES,
  TEST_RESULTS,
  maskOfSubstances,
  substancesOfMask,
  type InputFile,
} from '../../src/schema/codes.js';
import { redactNhsNumbers } from '../../src/schema/fields.js';
import { RECORD_FIELDS, parseCells, parseRow, type FieldProblem, type FieldSpec } from '../../src/schema/records.js';

const enc = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Cell texts, valid and invalid, per kind of field (the fast paths' edges included).

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const DATES = [
  '2014-02-28', '2014-02-29', '2016-02-29', '1900-02-29', '2000-02-29', '2014-13-01', '2014-00-10', '2014-04-31', '2014-12-31',
  ' 2014-01-01', '2014-01-01 ', '\t2014-01-01', '2014-1-01', '2014-01-1', '1899-12-31', '1900-01-01', '2199-12-31', '2200-01-01',
  '01/02/2014', '1/2/14', '2014-01-01T00:00', '2014-01-01 10:00', '2014/01/01', '２０１４-01-01', '2014-01-0a', '2014_01_01',
  '0000-01-01', '9999-12-31', '20140101', '2014-01-01\u00a0', '\ufeff2014-01-01', '', ' ', 'yesterday',
];
/** Any 10-character `YYYY-MM-DD` (the fast path's shape), real or not, in range or not. */
const plainDateArb = fc
  .tuple(fc.integer({ min: 1890, max: 2210 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const dateArb = fc.oneof(
  { arbitrary: fc.constantFrom(...DATES), weight: 3 },
  { arbitrary: plainDateArb, weight: 3 },
  { arbitrary: fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '-', '/', ' ', 'T'), maxLength: 12 }), weight: 1 },
);

const INTS = ['007', '-1', '1e3', '0', '00', '000', '0000', '0028', '28', '29', '99', '999', '120', '121', '10', '9', ' 5', '5 ', '+5', '5.0', '5.00', '5.5', '0x1', '٣', '１', '1000', '', ' ', '1,000', 'NaN'];
const intArb = fc.oneof(
  { arbitrary: fc.constantFrom(...INTS), weight: 3 },
  { arbitrary: fc.nat({ max: 1200 }).map(String), weight: 2 },
  { arbitrary: fc.string({ unit: fc.constantFrom('0', '1', '2', '8', '9', '-', '+', '.', ' ', 'e'), maxLength: 5 }), weight: 1 },
);

const NUMBERS = ['37.5', '37,5', '-5', '200', '168', '168.0', '168.01', '0', '.5', '5.', '1e2', 'NaN', 'Infinity', ' 10 ', '+3', '', 'full time', '0x10'];
const numberArb = fc.oneof(fc.constantFrom(...NUMBERS), intArb, fc.double({ min: -10, max: 200, noNaN: true }).map(String));

const boolArb = fc.constantFrom('true', 'TRUE', 'False', 'false', 'yes', '1', '0', '', ' true ', 'truE', 't');

const withCase = (codes: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...codes),
    fc.constantFrom(...codes).map((c) => c.toUpperCase()),
    fc.constantFrom(...codes).map((c) => ` ${c[0]!.toUpperCase()}${c.slice(1)} `),
    fc.constantFrom('', ' ', 'unknown', 'pos', 'Review 2', 'heroin', 'drug s'),
  );

const substancesArb = fc.oneof(
  fc
    .tuple(fc.subarray([...SUBSTANCES, 'heroin', 'ALCOHOL', ' opiates ', ''], { maxLength: 4 }), fc.constantFrom(';', '; ', ' ;'))
    .map(([list, sep]) => list.join(sep)),
  fc.constantFrom('opiates', 'alcohol; opiates', 'OPIATES;;crack', ';', ' ; ', 'alcohol;alcohol', 'opiates,crack', ''),
);

const IDS = [
  'C1', ' C1', 'C1 ', 'c1', 'P01', 'E1-1', '943 476 5919', '9434765919', '9434765918', 'NHS 943.476.5919', '9.434765919E9', '__proto__',
  'x'.repeat(64), 'x'.repeat(65), 'C\u00a01', 'C\u200b1', 'C\u00001', 'é', 'e\u0301', '😀', 'A;B', '', '  ', 'Completed', 'DROPPED_OUT', 'constructor',
  ...STANDARD_EXIT_REASON_CODES,
];
const idArb = fc.oneof(
  { arbitrary: fc.constantFrom(...IDS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
  { arbitrary: fc.string({ unit: fc.constantFrom('C', '0', '1', '9', ' ', '-', 'é', '"', ',', '\n', '\r'), maxLength: 12 }), weight: 1 },
);

/** Cell texts for a field, by how it is stored (and so by which fast path or memo it takes). */
function cellArbOf(f: FieldSpec): fc.Arbitrary<string> {
  const st = f.storage;
  switch (st.kind) {
    case 'date':
      return dateArb;
    case 'int':
      return intArb;
    case 'number':
      return numberArb;
    case 'bool':
      return boolArb;
    case 'code':
      return withCase(st.codes);
    case 'substances':
      return substancesArb;
    case 'client':
    case 'episode':
    case 'id':
      return idArb;
  }
}

/** A valid row of each file (every other field of a row whose one field is varied). */
const CARRIER: Record<InputFile, Record<string, string>> = {
  episodes: { episode_id: 'E1', client_id: 'C1', provider_id: 'P1', area_code: 'A1', substances: 'opiates', start_date: '2014-01-01' },
  reviews: { client_id: 'C1', episode_id: 'E1', date: '2014-01-01', stage: 'start' },
  drug_tests: { client_id: 'C1', date: '2014-01-01', substance: 'opiates', result: 'negative' },
  offences: { client_id: 'C1', offence_date: '2014-01-01' },
  employment: { client_id: 'C1', start_date: '2014-01-01' },
  clients: { client_id: 'C1' },
};

// ---------------------------------------------------------------------------------------------
// The harness: CSV bytes through the tokenizer into a table, and the same cells through the parser.

const fieldsOf = (file: InputFile) => RECORD_FIELDS[file] as readonly FieldSpec[];

/** A cell as written in the file: quoted when it must be, or when the writer chooses to. */
function written(value: string, quote: boolean): string {
  const must = /[,\r\n]/.test(value) || value.startsWith('"');
  return must || quote ? `"${value.replace(/"/g, '""')}"` : value;
}

type Outcome = { ok: true; record: Record<string, unknown> } | { ok: false; problem: FieldProblem };

/**
 * An outcome with -0 read as 0: `intInRange` and `numberInRange` give -0 for '-0', which an integer
 * column holds as 0 and a number column as -0 (no output can tell them apart: String(-0) and JSON
 * are '0').
 */
function plusZero(o: Outcome): Outcome {
  if (!o.ok) return o;
  const record = Object.fromEntries(Object.entries(o.record).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v]));
  return { ok: true, record };
}

/**
 * Reads `rows` (cells in `columns` order) of `file` as the reader does — tokenized, then each record
 * pushed into one table (so its memos carry over from row to row) — and returns each row's outcome.
 */
function throughTable(file: InputFile, columns: readonly string[], rows: readonly (readonly { value: string; quote: boolean }[])[]): Outcome[] {
  const table = new RecordTable(file, vocabularies(), { capacity: 2, compile: columns.length % 2 === 0 });
  const at = fieldsOf(file).map((f) => columns.indexOf(f.name));
  // Written out for the layout (half the cases, with `compile`) or the loop of pushCells; the
  // client_id read first, as the partition reader does, in half the cases.
  const clientField = file === 'episodes' ? 1 : 0;
  const clientFirst = rows.length % 2 === 0;
  const push = table.cellReader(at, clientFirst ? clientField : -1);
  const text = [columns.join(','), ...rows.map((r) => r.map((c) => written(c.value, c.quote)).join(','))].join('\r\n') + '\n';
  const out: Outcome[] = [];
  let header = true;
  const t = new CsvTokenizer((r: CsvRecord) => {
    if (header) {
      header = false;
      return;
    }
    const problem = push(r, r.row, clientFirst ? table.clientOfCell(r, clientField, at[clientField]!) : -1);
    if (problem) {
      // The reader shows the value through shownValue (NHS numbers hidden), as parseCells does.
      out.push({ ok: false, problem: { ...problem, value: redactNhsNumbers(problem.value) } });
      return;
    }
    const { row, ...record } = table.record(table.length - 1, r.row) as unknown as Record<string, unknown>;
    expect(row).toBe(r.row);
    out.push(plusZero({ ok: true, record }));
  });
  t.push(enc.encode(text));
  t.end();
  return out;
}

/** What the field parsers say of the same rows (cells as the tokenizer reads them: a line break as \n). */
function throughParser(file: InputFile, columns: readonly string[], rows: readonly (readonly { value: string }[])[]): Outcome[] {
  const at = fieldsOf(file).map((f) => columns.indexOf(f.name));
  return rows.map((r) => plusZero(parseCells(file, r.map((c) => c.value.replace(/\r\n?/g, '\n')), at) as Outcome));
}

/** The columns of a file in any order, some optional ones left out. */
function columnsArb(file: InputFile): fc.Arbitrary<string[]> {
  const fields = fieldsOf(file);
  const required = fields.filter((f) => f.required).map((f) => f.name);
  const optional = fields.filter((f) => !f.required).map((f) => f.name);
  return fc.subarray(optional).chain((opt) => fc.shuffledSubarray([...required, ...opt], { minLength: required.length + opt.length }));
}

describe('compiled cell readers of one layout, in two tables', () => {
  it('share their code but each reads into its own table, with its own vocabulary', () => {
    const columns = ['client_id', 'offence_date', 'category'];
    const at = fieldsOf('offences').map((f) => columns.indexOf(f.name));
    const a = new RecordTable('offences', vocabularies(), { compile: true });
    const b = new RecordTable('offences', vocabularies(), { compile: true });
    const readA = a.cellReader(at, 0);
    // The second table of the layout makes no code of its own: its reader is the first's code.
    const original = globalThis.Function;
    let made = 0;
    globalThis.Function = function counted(...args: string[]) {
      made++;
      return original(...args);
    } as FunctionConstructor;
    let readB: typeof readA;
    try {
      readB = b.cellReader(at, 0);
    } finally {
      globalThis.Function = original;
    }
    expect(made).toBe(0);
    expect(readA).not.toBe(readB);
    const rows = (text: string, read: typeof readA) => {
      let header = true;
      const t = new CsvTokenizer((r: CsvRecord) => {
        if (header) return void (header = false);
        expect(read(r, r.row, -1)).toBeUndefined();
      });
      t.push(enc.encode(`${columns.join(',')}\n${text}`));
      t.end();
    };
    rows('C9,2020-01-05,violent\nC1,2020-01-06,\n', readA);
    rows('C2,2021-03-01,acquisitive\n', readB);
    expect([a.length, b.length]).toEqual([2, 1]);
    expect(a.record(0, 2)).toEqual({ client_id: 'C9', offence_date: '2020-01-05', category: 'violent', row: 2 });
    expect(a.record(1, 3)).toEqual({ client_id: 'C1', offence_date: '2020-01-06', category: undefined, row: 3 });
    expect(b.record(0, 2)).toEqual({ client_id: 'C2', offence_date: '2021-03-01', category: 'acquisitive', row: 2 });
    // Each table's vocabulary holds its own ids only.
    expect(a.vocab.clients.values).toEqual(['C9', 'C1']);
    expect(b.vocab.clients.values).toEqual(['C2']);
  });
});

describe('RecordTable parses a cell exactly as the field’s own parser (SPEC §2, R-VAL-2)', () => {
  const cases = INPUT_FILES.flatMap((file) => fieldsOf(file).map((f) => ({ file, field: f.name })));

  it('one field varied at a time, over cells valid and invalid (fast paths, memo, quoted or not), in one table', () => {
    let used = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...cases).chain(({ file, field }) => {
          const spec = fieldsOf(file).find((f) => f.name === field)!;
          // A handful of cells, each used several times (the memo's second answer must be its first).
          const cell = fc.record({ value: cellArbOf(spec), quote: fc.boolean() });
          return fc.tuple(fc.constant(file), fc.constant(field), columnsArb(file), fc.array(cell, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 24 }));
        }),
        ([file, field, cols, cells, picks]) => {
          const columns = cols.includes(field) ? cols : [...cols, field];
          const rows = picks.map((p) => {
            const c = cells[p % cells.length]!;
            return columns.map((name) => (name === field ? c : { value: CARRIER[file][name] ?? '', quote: p % 2 === 0 }));
          });
          const got = throughTable(file, columns, rows);
          expect(got).toEqual(throughParser(file, columns, rows));
          for (const o of got) o.ok ? used++ : refused++;
        },
      ),
      { numRuns: 600 },
    );
    // Both branches must be exercised for the law to mean anything.
    expect(used).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('whole rows of any cells: the same record or the same first problem (row checks included)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INPUT_FILES).chain((file) =>
          columnsArb(file).chain((columns) => {
            const cell = (name: string) => fc.record({ value: cellArbOf(fieldsOf(file).find((f) => f.name === name)!), quote: fc.boolean() });
            return fc.tuple(fc.constant(file), fc.constant(columns), fc.array(fc.tuple(...columns.map(cell)), { minLength: 1, maxLength: 12 }));
          }),
        ),
        ([file, columns, rows]) => {
          expect(throughTable(file, columns, rows)).toEqual(throughParser(file, columns, rows));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('worked examples of the fast paths: a plain date, a small whole number', () => {
    const one = (file: InputFile, values: Record<string, string>) => {
      const columns = Object.keys(values);
      const rows = [columns.map((c) => ({ value: values[c]!, quote: false }))];
      const [got] = throughTable(file, columns, rows);
      expect(got).toEqual(throughParser(file, columns, rows)[0]);
      return got!;
    };
    const death = (d: string) => one('clients', { client_id: 'C1', date_of_death: d });
    expect(death('2016-02-29')).toEqual({ ok: true, record: { client_id: 'C1', date_of_death: '2016-02-29' } });
    expect(death(' 2014-01-01')).toEqual({ ok: true, record: { client_id: 'C1', date_of_death: '2014-01-01' } });
    expect(death('2014-02-29')).toEqual({ ok: false, problem: { field: 'date_of_death', value: '2014-02-29', code: 'not_a_date', reason: 'is not a real calendar date' } });
    expect(death('2014-13-01')).toMatchObject({ ok: false, problem: { reason: 'is not a real calendar date' } });
    expect(death('2200-01-01')).toMatchObject({ ok: false, problem: { reason: 'is outside 1900-01-01 to 2199-12-31' } });

    const review = (days: string) => one('reviews', { ...CARRIER.reviews, days_opiates: days });
    expect(review('007')).toMatchObject({ ok: true, record: { days_opiates: 7 } });
    expect(review('28')).toMatchObject({ ok: true, record: { days_opiates: 28 } });
    expect(review('0028')).toMatchObject({ ok: true, record: { days_opiates: 28 } });
    expect(review('5.0')).toMatchObject({ ok: true, record: { days_opiates: 5 } });
    expect(review('29')).toEqual({ ok: false, problem: { field: 'days_opiates', value: '29', code: 'out_of_range', reason: 'is outside 0–28 days (of the previous 28)' } });
    expect(review('-1')).toMatchObject({ ok: false, problem: { value: '-1', reason: 'is outside 0–28 days (of the previous 28)' } });
    expect(review('1e3')).toMatchObject({ ok: false, problem: { value: '1e3', reason: 'must be a whole number of days (of the previous 28) (0–28)' } });
  });
});

describe('RecordTable ids (SPEC §2, R-VAL-2): one vocabulary entry per id, however the cell is written', () => {
  it('a plain id (read by its bytes) and the same id padded, quoted or held by a non-plain cell get one index; different ids different ones', () => {
    const vocab = vocabularies();
    const table = new RecordTable('offences', vocab, { capacity: 2 });
    const cells = ['C1', ' C1', '"C1"', 'C1 ', 'C2', '"C1 "', 'C1234567890', ' C1234567890', 'Cé', '"Cé"', 'C1', 'c1', 'C2'];
    const text = ['client_id,offence_date', ...cells.map((c) => `${c},2014-01-01`)].join('\n') + '\n';
    let header = true;
    const t = new CsvTokenizer((r: CsvRecord) => {
      if (header) {
        header = false;
        return;
      }
      expect(table.pushCells(r, [0, 1, -1], r.row)).toBeUndefined();
    });
    t.push(enc.encode(text));
    t.end();
    const ids = Array.from({ length: table.length }, (_, r) => table.value(0, r));
    expect(ids).toEqual(['C1', 'C1', 'C1', 'C1', 'C2', 'C1', 'C1234567890', 'C1234567890', 'Cé', 'Cé', 'C1', 'c1', 'C2']);
    expect(vocab.clients.values).toEqual(['C1', 'C2', 'C1234567890', 'Cé', 'c1']);
    // The column holds the vocabulary's index of each value.
    const column = table.cols[0] as Int32Array;
    ids.forEach((id, r) => expect(column[r]).toBe(vocab.clients.find(id as string)));
  });
});

describe('RecordTable memo past its size limit', () => {
  it('a column of ever-new cells (5,000 distinct, past the 4,096 an int column remembers), read twice, parses as the field does', () => {
    // Four digits: not the 1–3 digit fast path, so every cell goes through the memo.
    const values = Array.from({ length: 5000 }, (_, i) => pad(i, 4));
    const columns = [...Object.keys(CARRIER.reviews), 'days_alcohol'];
    const rows = [...values, ...values].map((v) => columns.map((c) => ({ value: c === 'days_alcohol' ? v : CARRIER.reviews[c]!, quote: false })));
    const got = throughTable('reviews', columns, rows);
    const expected = throughParser('reviews', columns, rows);
    const differ = got.filter((g, i) => JSON.stringify(g) !== JSON.stringify(expected[i]));
    expect(differ).toEqual([]);
    expect(got.filter((g) => g.ok)).toHaveLength(2 * 29);
  });
});

describe('RecordTable.reserve: room made at once changes no row', () => {
  it('rows pushed with room reserved for fewer, as many or more than come give the records of a table that grew as it filled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 0, max: 2500 }), (n, at, rows) => {
        const plain = new RecordTable('offences', vocabularies());
        const reserved = new RecordTable('offences', vocabularies());
        for (let i = 0; i < n; i++) {
          if (i === at) reserved.reserve(rows);
          const raw = { client_id: `C${i % 97}`, offence_date: isoOfDay(toDayNumber('2013-01-01') + (i % 400)), category: i % 3 === 0 ? 'acquisitive' : 'violent' };
          expect(reserved.pushValues(raw, i + 2)).toEqual(plain.pushValues(raw, i + 2));
        }
        expect(reserved.length).toBe(n);
        for (let r = 0; r < n; r++) expect(reserved.record(r, r + 2)).toEqual(plain.record(r, r + 2));
      }),
      { numRuns: 25 },
    );
  });

  it('past the rows reserved for, the columns grow by a quarter; once reserved() is called, they double again', () => {
    const t = new RecordTable('offences', vocabularies());
    const push = (i: number) => t.pushValues({ client_id: `C${i}`, offence_date: '2013-01-01', category: 'violent' }, i + 2);
    expect(t.pos.length).toBeLessThan(2001); // the room a table starts with
    t.reserve(2001);
    expect(t.pos.length).toBe(2001);
    for (let i = 0; i < 2002; i++) expect(push(i)).toBeUndefined();
    expect(t.pos.length).toBe(2502); // ⌈2001 × 5/4⌉: rounded up
    for (let i = 2002; i < 2503; i++) push(i);
    expect(t.pos.length).toBe(3128); // ⌈2502 × 5/4⌉
    t.reserved();
    for (let i = 2503; i < 3129; i++) push(i);
    expect(t.pos.length).toBe(6256);
    expect(t.cols.every((c) => c.length === 6256)).toBe(true);
    expect(t.length).toBe(3129);
  });
});

describe('Memo: a cell’s answer is its own, whatever else shares its cache slot', () => {
  it('cells of one length and the same end bytes (one slot of the small cache), and others that collide there, alternate: each gets its own parse', () => {
    // The small cache goes by length and end bytes: 'a1x', 'aZx' share a slot; 'b1q' lands there too (97·7 + 120 = 98·7 + 113).
    const cells = ['a1x', 'aZx', 'b1q', 'a1x', 'b1q', 'aZx', 'aZx', 'x', 'a1x', 'zz', 'b1q'];
    for (const limit of [Infinity, 2]) {
      const memo = new Memo(limit);
      let calls = 0;
      const codec = {
        invalid: undefined as never,
        parseBytes: (b: Uint8Array, s: number, e: number) => {
          calls++;
          return [...b.subarray(s, e)].reduce((h, c) => h * 131 + c, 7);
        },
      };
      const got = cells.map((c) => {
        const b = enc.encode(`,${c},`);
        return memo.get(b, 1, b.length - 1, codec);
      });
      expect(got).toEqual(cells.map((c) => [...enc.encode(c)].reduce((h, x) => h * 131 + x, 7)));
      // Under no limit each distinct cell is parsed once; past a limit of 2, the rest every time.
      expect(calls).toBe(limit === Infinity ? 5 : 2 + cells.filter((c) => c !== 'a1x' && c !== 'aZx').length);
    }
  });
});

describe('RecordTable rows of values (NDJSON lines, typed objects): record() is parseRow’s record', () => {
  const rawArb = (spec: FieldSpec) =>
    fc.oneof(
      { arbitrary: cellArbOf(spec), weight: 4 },
      { arbitrary: fc.constantFrom(undefined, null, 7, 0, -1, 37.5, true, false, [], ['opiates', 'alcohol'], { a: 1 }), weight: 1 },
    );
  it('the same record or the same first problem as parseRow, for any values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INPUT_FILES).chain((file) =>
          fc.tuple(fc.constant(file), fc.array(fc.record(Object.fromEntries(fieldsOf(file).map((f) => [f.name, rawArb(f)]))), { minLength: 1, maxLength: 10 })),
        ),
        ([file, raws]) => {
          const table = new RecordTable(file, vocabularies(), { capacity: 1, compile: raws.length % 2 === 0 });
          raws.forEach((raw, i) => {
            const problem = table.pushValues(raw, i + 1);
            const expected = plusZero(parseRow(file, raw) as Outcome);
            if (problem) expect({ ok: false, problem: { ...problem, value: redactNhsNumbers(problem.value) } }).toEqual(expected);
            else {
              const { row, ...record } = table.record(table.length - 1, i + 1) as unknown as Record<string, unknown>;
              expect(row).toBe(i + 1);
              expect(plusZero({ ok: true, record })).toEqual(expected);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a worked example: an episode row as a record (dates, substances in canonical order, ids, a lower-cased exit code)', () => {
    const t = new RecordTable('episodes', vocabularies());
    const raw = {
      episode_id: 'E1', client_id: ' C1', provider_id: 'P1', area_code: 'A1', substances: 'alcohol; OPIATES', start_date: '2014-01-01',
      discharge_date: '2014-06-30', exit_reason: 'Completed_Drug_Free', tariff_band: '2', substitute_medication_at_exit: 'FALSE', age_at_start: '34', injecting_at_start: '',
    };
    expect(t.pushValues(raw, 2)).toBeUndefined();
    const record = t.record(0, 2, 'episodes/2014.csv');
    expect(record).toEqual({
      episode_id: 'E1', client_id: 'C1', provider_id: 'P1', area_code: 'A1', substances: ['opiates', 'alcohol'], start_date: '2014-01-01',
      discharge_date: '2014-06-30', exit_reason: 'completed_drug_free', tariff_band: '2', substitute_medication_at_exit: false, age_at_start: 34,
      injecting_at_start: undefined, row: 2, part: 'episodes/2014.csv',
    });
    expect(parseRow('episodes', raw)).toEqual({ ok: true, record: { ...record, row: undefined, part: undefined } });
    // The columns hold numbers: a day number, a vocabulary index, a substance mask.
    expect(t.cols[5]![0]).toBe(toDayNumber('2014-01-01'));
    expect(t.vocab.clients.values[t.cols[1]![0]!]).toBe('C1');
    expect(t.cols[11]![0]).toBe(-1);
    // Keys in field table order, then row and part (evidence lists and explanations show records as they are).
    expect(Object.keys(record)).toEqual([...fieldsOf('episodes').map((f) => f.name), 'row', 'part']);
    expect(Object.keys(t.record(0, 2))).toEqual([...fieldsOf('episodes').map((f) => f.name), 'row']);
    // A table that compiles its maker (as Node's partitions ask) makes the same record, keys in order.
    const compiled = new RecordTable('episodes', vocabularies(), { compile: true });
    compiled.pushValues(raw, 2);
    expect(Object.keys(compiled.record(0, 2, 'episodes/2014.csv'))).toEqual(Object.keys(record));
    expect(compiled.record(0, 2, 'episodes/2014.csv')).toStrictEqual(record);
  });
});

describe('recordMaker: the maker written out from the field table and the loop make the same records', () => {
  it.each([...INPUT_FILES])('%s: the same values, keys in the same order (field table, row, part when given)', (file) => {
    const fields = fieldsOf(file);
    // Each field its own decoding (as codecs are): blank below 0, else a value naming field and cell.
    const toValue = fields.map((f, i) => ({ toValue: (x: number) => (x < 0 ? undefined : i % 2 === 0 ? `${f.name}:${x}` : x * (i + 1)) }));
    const written = recordMaker(fields, true);
    const loop = recordMaker(fields);
    // Made once per field table.
    expect(recordMaker(fields, true)).toBe(written);
    expect(recordMaker(fields)).toBe(loop);
    // Node may make code: the maker is the written-out constructor, not the loop.
    expect(written.name).toBe('writtenRecord');
    expect(loop.name).toBe('loopRecord');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3, max: 60 }), { minLength: fields.length, maxLength: fields.length }),
        fc.nat(),
        fc.option(fc.constantFrom('episodes/2014.csv', '', 'a "b"')),
        (cells, row, part) => {
          const cols = cells.map((v) => Int32Array.of(99, v));
          const p = part ?? undefined;
          const a = written(toValue, cols, 1, row, p);
          const b = loop(toValue, cols, 1, row, p);
          expect(Object.keys(a)).toEqual([...fields.map((f) => f.name), 'row', ...(p === undefined ? [] : ['part'])]);
          expect(Object.keys(b)).toEqual(Object.keys(a));
          expect(a).toStrictEqual(b);
          expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
          expect(JSON.stringify(a)).toBe(JSON.stringify(b));
          expect(a['row']).toBe(row);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('where no code may be made (the page’s Content-Security-Policy), the loop makes the records', () => {
    // A field table not met before (constructors are made once per field table).
    const fields = [...fieldsOf('offences')];
    const toValue = fields.map((f) => ({ toValue: (x: number) => `${f.name}=${x}` }));
    const cols = fields.map((_, i) => Int32Array.of(i));
    const original = globalThis.Function;
    globalThis.Function = function refused() {
      throw new EvalError('Refused to evaluate a string as JavaScript');
    } as unknown as FunctionConstructor;
    let made;
    try {
      made = recordMaker(fields, true);
    } finally {
      globalThis.Function = original;
    }
    expect(made(toValue, cols, 0, 7, undefined)).toStrictEqual({ ...Object.fromEntries(fields.map((f, i) => [f.name, `${f.name}=${i}`])), row: 7 });
    expect(made.name).toBe('loopRecord');
    // Any other failure to make the code is a bug, not a platform's refusal: it is not swallowed.
    const other = [...fieldsOf('offences')];
    globalThis.Function = function broken() {
      throw new SyntaxError('Unexpected token');
    } as unknown as FunctionConstructor;
    try {
      expect(() => recordMaker(other, true)).toThrow(SyntaxError);
    } finally {
      globalThis.Function = original;
    }
  });
});

describe('column codings', () => {
  it('substance masks and lists are inverse, in canonical order', () => {
    fc.assert(
      fc.property(fc.subarray([...SUBSTANCES]), (list) => {
        const mask = maskOfSubstances(list);
        expect(substancesOfMask(mask)).toEqual(SUBSTANCES.filter((s) => list.includes(s)));
        expect(maskOfSubstances(substancesOfMask(mask))).toBe(mask);
      }),
    );
  });

  it('isoOfDay is the inverse of toDayNumber over the accepted range and beyond', () => {
    fc.assert(
      fc.property(plainDateArb, (d) => {
        fc.pre(!Number.isNaN(new Date(`${d}T00:00:00Z`).getTime()) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d));
        expect(isoOfDay(toDayNumber(d))).toBe(d);
      }),
      { numRuns: 300 },
    );
    expect(NA).toBe(-2147483648);
  });

  it('every code list fits its column', () => {
    for (const list of [REVIEW_STAGES, TEST_RESULTS, OFFENCE_CATEGORIES, SUBSTANCES]) expect(list.length).toBeLessThan(128);
    expect(SUBSTANCES.length).toBeLessThanOrEqual(8); // a substance mask is one byte
  });
});
