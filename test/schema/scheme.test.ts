import { readFileSync, readdirSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseScheme, schemeJsonSchema, setSchemeParameter, mergeSchemeDocuments, provenanceAt } from '../../src/schema/scheme/index.js';
import { documentProblems } from '../../src/schema/scheme/common.js';
import { isRecoveryPbrError } from '../../src/errors.js';
import { withOverrides } from '../../src/modelling/compare.js';
import { PRESET_IDS, presetDocument, presetScheme, resolveExtends } from '../../src/presets/index.js';
import { calibratePrices } from '../../src/modelling/calibrate.js';
import { calibratedSchemeDocument } from '../../src/modelling/calibrated-scheme.js';
import { byClient, episode, journey, met } from '../payments/builders.js';

const seedFiles = readdirSync(new URL('../../seeds/', import.meta.url)).filter((f) => f.endsWith('.json') && f !== 'scheme.schema.json');
const minimal = { id: 'x', version: '1', title: 'x', outcomes: [{ id: 'a', title: 'A', primitives: [{ type: 'successful_completion' }] }] };

describe('R-VAL-4 scheme validation', () => {
  it('accepts a minimal scheme and fills defaults', () => {
    const r = parseScheme(minimal);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scheme.calendar).toEqual({ journeyGapDays: 21, reviewToleranceDays: 28 });
      expect(r.scheme.outcomes[0]!.primitives[0]).toEqual({ type: 'successful_completion', requireOffSubstitution: true });
    }
  });

  it('refuses a malformed scheme as a whole, listing every problem by path', () => {
    const r = parseScheme({
      id: 'bad id',
      version: '1',
      title: 't',
      calendar: { journeyGapDays: -1 },
      outcomes: [
        { id: 'a', title: 'A', primitives: [{ type: 'abstinance' }, { type: 'no_representation', monhts: 6 }] },
        { id: 'b', title: 'B', primitives: [{ type: 'abstinence', at: 'review_after_months' }] },
      ],
      tariff: { bands: ['1'], outcomes: { a: { '1': '12.345' } } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const paths = r.problems.map((p) => p.path);
      expect(paths).toEqual(
        expect.arrayContaining(['id', 'calendar.journeyGapDays', 'outcomes[0].primitives[0].type', 'outcomes[0].primitives[1]', 'outcomes[1].primitives[0].months', 'tariff.outcomes.a.1']),
      );
      expect(r.problems.find((p) => p.path === 'outcomes[0].primitives[1]')!.message).toContain("'monhts'");
      expect(r.problems.find((p) => p.path === 'tariff.outcomes.a.1')!.message).toContain('2 decimal places');
    }
  });

  it('lists reference problems together with structural ones, in one pass', () => {
    const r = parseScheme({
      ...minimal,
      outcomes: [
        { id: 'a', title: 'A', primitives: [{ type: 'nope' }], require: { anyOf: ['ghost'] } },
        { id: 'a', title: 'A2', primitives: [{ type: 'injecting_cessation' }] },
      ],
      tariff: { bands: ['1'], outcomes: { phantom: { '1': '10.00' } } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const text = r.problems.map((p) => `${p.path}: ${p.message}`);
      expect(text).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^outcomes\[0\]\.primitives\[0\]\.type: unknown primitive type/),
          "outcomes[0].require.anyOf[0]: no outcome 'ghost' is defined in this scheme",
          "outcomes[1].id: outcome 'a' is defined twice (also outcomes[0])",
          "tariff.outcomes.phantom: no outcome 'phantom' is defined in this scheme",
        ]),
      );
    }
  });

  it('refuses gateways to unknown outcomes, cycles, duplicate ids', () => {
    const r = parseScheme({
      ...minimal,
      outcomes: [
        { id: 'a', title: 'A', primitives: [{ type: 'successful_completion' }], require: { anyOf: ['b'] } },
        { id: 'b', title: 'B', primitives: [{ type: 'successful_completion' }], require: { allOf: ['a', 'zz'] } },
      ],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const text = r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
      expect(text).toContain("outcomes[1].require.allOf[1]: no outcome 'zz'");
      expect(text).toContain('gateways form a cycle: a → b → a');
    }
    const dup = parseScheme({ ...minimal, outcomes: [...minimal.outcomes, { id: 'a', title: 'A2', primitives: [{ type: 'injecting_cessation' }] }] });
    expect(!dup.ok && dup.problems.map((p) => p.message)).toContain("outcome 'a' is defined twice (also outcomes[0])");
  });

  it('provenance: wrappers and object-level provenance are lifted out by path', () => {
    const r = parseScheme({
      ...minimal,
      provenance: { kind: 'illustrative' },
      calendar: { journeyGapDays: { value: 21, provenance: { kind: 'documented', source: 'spec §1' } } },
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scheme.calendar.journeyGapDays).toBe(21);
      expect(provenanceAt(r.scheme.provenance, 'calendar.journeyGapDays')!.provenance.kind).toBe('documented');
      expect(provenanceAt(r.scheme.provenance, 'outcomes[0].id')!.provenance.kind).toBe('illustrative');
    }
    const bad = parseScheme({ ...minimal, calendar: { journeyGapDays: { value: 21, provenance: { kind: 'documented' } } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]!.path).toBe('calendar.journeyGapDays.provenance.source');
  });

  it('overrides and extends merge outcomes by id', () => {
    const doc = setSchemeParameter(presetDocument('national-model-2012'), 'outcomes.free-from-dependence.primitives[1].months', 12);
    const s = parseScheme(resolveExtends(doc));
    expect(s.ok && s.scheme.outcomes[0]!.primitives[1]).toEqual({ type: 'no_representation', months: 12, scope: 'any_provider' });
    const ext = resolveExtends({ extends: 'national-model-2012', id: 'mine', outcomes: [{ id: 'reduced-offending', title: 'RO', primitives: [{ type: 'reduced_offending', afterMonths: 12 }] }] });
    const p = parseScheme(ext);
    expect(p.ok).toBe(true);
    if (p.ok) {
      expect(p.scheme.id).toBe('mine');
      expect(p.scheme.outcomes).toHaveLength(5);
      expect(p.scheme.outcomes[2]!.primitives[0]).toMatchObject({ afterMonths: 12 });
      expect(p.scheme.outcomes[2]!.require).toEqual({ anyOf: ['free-from-dependence', 'abstinent-confirmed'] });
    }
    expect(mergeSchemeDocuments({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
  });
});

describe('JSON Schema for scheme authors', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(schemeJsonSchema());

  it('is committed next to the presets and up to date', () => {
    const committed = JSON.parse(readFileSync(new URL('../../seeds/scheme.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(schemeJsonSchema())));
  });

  it.each(seedFiles)('accepts the preset %s', (f) => {
    const doc = JSON.parse(readFileSync(new URL(`../../seeds/${f}`, import.meta.url), 'utf8'));
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('rejects what the library rejects structurally', () => {
    expect(validate({ ...minimal, outcomes: [{ id: 'a', title: 'A', primitives: [{ type: 'nope' }] }] })).toBe(false);
    expect(validate({ ...minimal, extra: 1 })).toBe(false);
  });

  it('accepts a scheme written by calibrate (prices with provenance calibrated), as the library does', () => {
    // One band-1 journey met free from dependence: calibrating to £1,000.00 scales every price by 1000/1200.
    const j = journey(episode({ id: 'E1', start: '2013-01-01', end: '2013-03-01', band: '1' }));
    const r = calibratePrices({ clients: byClient([j], [met(j, 'free-from-dependence', '2013-09-01')]) }, presetScheme('national-model-2012'), { asOf: '2014-03-31', target: '1000.00', data: 'sha256:00' });
    const doc = calibratedSchemeDocument(presetDocument('national-model-2012'), presetScheme('national-model-2012'), r)!;
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const parsed = parseScheme(doc);
    expect(parsed.ok && provenanceAt(parsed.scheme.provenance, 'tariff.outcomes.free-from-dependence.1')?.provenance.calibration?.target).toBe('1000.00');
  });

  it('a calibrated value needs its calibration, and only a calibrated one has one', () => {
    const calibration = { scheme: 'x 1', from: '1.00', factor: '2', target: '2.00', amount: '2.00', of: 'outcome', keep: 'all', asOf: '2014-03-31' };
    const withProvenance = (provenance: unknown) => ({ ...minimal, description: { value: 'd', provenance } });
    for (const bad of [{ kind: 'calibrated' }, { kind: 'illustrative', calibration }]) {
      const r = parseScheme(withProvenance(bad));
      expect(!r.ok && r.problems.map((p) => p.path)).toEqual(['description.provenance.calibration']);
    }
    expect(parseScheme(withProvenance({ kind: 'calibrated', calibration })).ok).toBe(true);
  });
});

describe('SPEC §6 presets', () => {
  it.each(seedFiles)('%s is a valid scheme whose every value has provenance', (f) => {
    const doc = JSON.parse(readFileSync(new URL(`../../seeds/${f}`, import.meta.url), 'utf8'));
    const r = parseScheme(resolveExtends(doc));
    expect(r.ok, r.ok ? '' : JSON.stringify(r.problems)).toBe(true);
    if (!r.ok) return;
    // Every leaf value of the scheme (outside descriptive text) has provenance, its own or inherited.
    const missing: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) if (k !== 'provenance') walk(x, path ? `${path}.${k}` : k);
      }
      else if (!/(^|\.)(id|title|description|domain|version|\$schema|note|file|url)$/.test(path) && !path.startsWith('sources')) {
        if (!provenanceAt(r.scheme.provenance.filter((e) => e.path !== ''), path)) missing.push(path);
      }
    };
    const { provenance: _p, ...rest } = r.scheme;
    walk(doc, '');
    void rest;
    expect(missing, `values without provenance in ${f}`).toEqual([]);
  });

  it('every preset is registered and loads by id', () => {
    for (const id of PRESET_IDS) expect(presetScheme(id).id).toBe(id);
    expect(PRESET_IDS).toEqual(expect.arrayContaining(['national-model-2012', 'drug-strategy-2017']));
  });
});

describe('prototype pollution: own keys only (issue #13)', () => {
  const clean = () => expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();

  it.each(['__proto__.polluted', 'constructor.prototype.polluted', 'tariff.__proto__.polluted', 'outcomes.free-from-dependence.__proto__.x', 'prototype', 'toString', 'tariff.hasOwnProperty'])(
    'setSchemeParameter refuses %j with a message and changes nothing',
    (path) => {
      const doc = presetDocument('national-model-2012');
      const before = JSON.stringify(doc);
      let e: unknown;
      try {
        setSchemeParameter(doc, path, 'yes');
      } catch (x) {
        e = x;
      }
      expect(isRecoveryPbrError(e) && e.code).toBe('scheme');
      expect((e as Error).message).toMatch(/is not a parameter of a scheme \(a built-in name of JavaScript objects\)/);
      expect(JSON.stringify(doc)).toBe(before);
      clean();
    },
  );

  it('withOverrides refuses the same paths (compare --set)', () => {
    expect(() => withOverrides(presetDocument('national-model-2012'), [{ path: '__proto__.polluted', value: 1 }])).toThrow(/is not a parameter of a scheme/);
    clean();
  });

  it('setSchemeParameter refuses a path through a single value, and names the path', () => {
    expect(() => setSchemeParameter(presetDocument('national-model-2012'), 'id.x', 1)).toThrow(/id is a single value \("national-model-2012"\), so nothing can be set inside it/);
    expect(() => setSchemeParameter(presetDocument('national-model-2012'), 'outcomes.nope.months', 1)).toThrow(/no item with id 'nope' at 'outcomes'/);
  });

  it("a '__proto__' key anywhere in a scheme document is refused like any other unknown key (JSON.parse makes it an own key; zod would drop it)", () => {
    const base = JSON.stringify(presetDocument('national-model-2012'));
    for (const [text, path] of [
      [base.replace('{', '{"__proto__":{"polluted":1},'), ''],
      [base.replace('"calendar":{', '"calendar":{"__proto__":{"journeyGapDays":99},'), 'calendar'],
    ] as const) {
      const r = parseScheme(JSON.parse(text));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems).toContainEqual({ path, message: "unknown key '__proto__' (check the spelling)" });
    }
    clean();
  });

  it('mergeSchemeDocuments keeps a __proto__ key as a key (to be refused), never as a prototype', () => {
    const merged = mergeSchemeDocuments({ a: { b: 1 } }, JSON.parse('{"a":{"__proto__":{"polluted":1}}}')) as { a: object };
    expect(Object.hasOwn(merged.a, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(merged.a)).toBe(Object.prototype);
    expect(parseScheme({ ...minimal, ...merged }).ok).toBe(false);
    clean();
  });

  it('preset names are own keys: toString, constructor and __proto__ are no preset', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty']) expect(presetDocument(name), name).toBeUndefined();
    expect(() => resolveExtends({ extends: 'toString' })).toThrow(/no preset or scheme file named 'toString'/);
  });

  it('ids that name a built-in of JavaScript objects are refused', () => {
    const r = parseScheme({ ...minimal, outcomes: [{ id: 'constructor', title: 'C', primitives: [{ type: 'successful_completion' }] }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toContainEqual({ path: 'outcomes[0].id', message: 'is a reserved name (a built-in of JavaScript objects); choose another id' });
  });
});

describe('limits: nesting, extends chains, digits (issue #13)', () => {
  it('nesting deeper than 32 levels is refused without recursion, at any depth', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const r = parseScheme({ ...minimal, description: deep });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toBe('nests more than 32 levels deep; a scheme is never that deep');
    expect(documentProblems(presetDocument('national-model-2012'))).toEqual([]);
  });

  it('extends chains: a circle and a chain longer than 8 are refused', () => {
    const docs: Record<string, unknown> = { a: { extends: 'b' }, b: { extends: 'a' } };
    expect(() => resolveExtends({ extends: 'a' }, (n) => docs[n])).toThrow(/goes round in a circle: a → b → a/);
    const chain = (n: string) => ({ extends: `${n}x` });
    expect(() => resolveExtends({ extends: 'x' }, chain)).toThrow(/longer than 8 schemes/);
  });

  it.each([
    ['9'.repeat(80), /more than 12 digits before the point/],
    ['1000000000000', /more than 12 digits before the point/],
    ['12.345', /at most 2 decimal places/],
    [1e21, /not a decimal number/],
  ])('a price of %j is refused', (price, message) => {
    const r = parseScheme(setSchemeParameter(presetDocument('national-model-2012'), 'tariff.outcomes.free-from-dependence.1', price));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.message).join('\n')).toMatch(message);
  });

  it('the largest price accepted is 999999999999.99, and 0012 counts as 2 digits', () => {
    for (const p of ['999999999999.99', '0000000000000012.50']) {
      expect(parseScheme(setSchemeParameter(presetDocument('national-model-2012'), 'tariff.outcomes.free-from-dependence.1', p)).ok, p).toBe(true);
    }
  });

  it('a share with more than 20 decimals, and counts above 10000, are refused', () => {
    const third = (n: number) => [{ id: 'a', share: `0.${'3'.repeat(n)}` }, { id: 'b', share: `0.${'6'.repeat(n - 1)}7` }];
    expect(parseScheme(setSchemeParameter(presetDocument('drug-strategy-2017'), 'payers', third(20))).ok).toBe(true);
    const share = parseScheme(setSchemeParameter(presetDocument('drug-strategy-2017'), 'payers', third(21)));
    expect(share.ok).toBe(false);
    if (!share.ok) expect(share.problems.map((p) => p.message).join('\n')).toMatch(/more than 20 digits after the point/);
    const gap = parseScheme(setSchemeParameter(presetDocument('national-model-2012'), 'calendar.journeyGapDays', 10001));
    expect(gap.ok).toBe(false);
    if (!gap.ok) expect(gap.problems).toContainEqual({ path: 'calendar.journeyGapDays', message: 'must be at most 10000' });
  });
});
