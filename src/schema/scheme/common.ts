/**
 * Building blocks of the scheme format: decimals as strings, dates, ids, and provenance.
 *
 * Provenance (SPEC §6): any object in a scheme may carry a `provenance` key that applies to every
 * value beneath it, and any single value may be written as `{ "value": …, "provenance": {…} }`.
 * {@link unwrapProvenance} lifts these out before the scheme is parsed, so the rules see plain values
 * and the provenance is kept as a list keyed by path.
 * @module
 */
import * as z from 'zod';
import { isIsoDate } from '../../calendar/index.js';

/**
 * Most digits a decimal may have before the point: 999,999,999,999 (a trillion pounds less a
 * pound) is far beyond any contract, and keeps every sum of a national run exact (money is
 * computed with 60 significant digits), so the summary total always equals the sum of payments.csv.
 */
export const MAX_INTEGER_DIGITS = 12;
/** Most digits a decimal (a rate, a share, a factor) may have after the point. */
export const MAX_FRACTION_DIGITS = 20;

/** A value as a scheme message quotes it: short, and safe on a terminal. */
function quoted(v: unknown): string {
  // eslint-disable-next-line no-control-regex
  const s = String(v).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g, '?');
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** A decimal written as a string (preferred, exact) or a JSON number; kept as a canonical string. */
export const DecimalString = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'x') : v.trim();
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: `'${quoted(v)}' is not a decimal number; write it like "1200.00"`, input: v });
      return z.NEVER;
    }
    const [int = '', frac = ''] = s.replace(/^-/, '').split('.');
    if (int.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) {
      ctx.addIssue({ code: 'custom', message: `'${quoted(v)}' has more than ${MAX_INTEGER_DIGITS} digits before the point; amounts are at most 999999999999.99`, input: v });
      return z.NEVER;
    }
    if (frac.length > MAX_FRACTION_DIGITS) {
      ctx.addIssue({ code: 'custom', message: `'${quoted(v)}' has more than ${MAX_FRACTION_DIGITS} digits after the point`, input: v });
      return z.NEVER;
    }
    return s;
  });

/** A money amount in pounds, ≥ 0, at most 12 digits before the point and 2 after. */
export const Money = DecimalString.refine((s) => !s.startsWith('-'), 'must not be negative').refine(
  (s) => !/\.\d{3,}$/.test(s),
  'money has at most 2 decimal places (pounds and pence)',
);

/** A share or rate between 0 and 1 inclusive, as a decimal string. */
export const Share = DecimalString.refine((s) => !s.startsWith('-') && (Number(s) <= 1), 'must be between 0 and 1 (e.g. 0.25 for 25%)');

/** An ISO date `YYYY-MM-DD`. */
export const DateString = z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD');

/**
 * How a parameter is known (SPEC §6), plus `calibrated`: a price found by `calibrate` from
 * historical data (issue #12), which then says how in its `calibration`.
 */
export const PROVENANCE_KINDS = ['documented', 'reconstructed', 'illustrative', 'calibrated'] as const;

/** How a calibrated price was found (`recovery-pbr calibrate`): enough to redo it. */
export const CalibrationProvenanceSchema = z.strictObject({
  scheme: z.string().min(1).describe('The scheme calibrated, id and version, e.g. "national-model-2012 1.0.0"'),
  from: z.string().regex(/^\d+(\.\d{1,2})?$/, 'must be an amount like "1200.00"').describe('The price before calibration'),
  factor: z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal like "1.25"').describe('The common factor on the price shape'),
  nudged: z.boolean().optional().describe('True when this price was moved by a penny off the factor to meet the target exactly'),
  target: z.string().regex(/^\d+(\.\d{1,2})?$/, 'must be an amount like "250000.00"').describe('The budget calibrated to, in pounds'),
  amount: z.string().regex(/^\d+(\.\d{1,2})?$/, 'must be an amount like "250000.00"').describe('What the calibrated prices pay on the data (the target when met exactly)'),
  of: z.enum(['outcome', 'total']).describe('outcome: the target is for outcome payments; total: for all payments'),
  provider: z.string().min(1).optional().describe("Calibrated on this provider's payments only"),
  keep: z.enum(['all', 'band', 'outcome']).describe('Which price relativities were kept'),
  asOf: DateString.describe('The data as known on this day'),
  data: z.string().min(1).optional().describe('Fingerprint of the data calibrated on, e.g. "sha256:…" of the input files'),
});

/** Where a parameter value comes from. */
export const ProvenanceSchema = z
  .strictObject({
    kind: z.enum(PROVENANCE_KINDS).describe('documented (with a source), reconstructed, illustrative, or calibrated (with its calibration)'),
    source: z.string().min(1).optional().describe('Source document and section, e.g. "drug-strategy-2017.txt §3"'),
    note: z.string().optional().describe('Why this value, in a sentence'),
    calibration: CalibrationProvenanceSchema.optional().describe('How a calibrated value was found'),
  })
  .refine((p) => p.kind !== 'documented' || p.source !== undefined, {
    message: 'a documented value needs a source (document and section)',
    path: ['source'],
  })
  .refine((p) => (p.kind === 'calibrated') === (p.calibration !== undefined), {
    message: "a calibrated value needs its calibration, and only a value of kind 'calibrated' has one",
    path: ['calibration'],
  });
/** Provenance of one parameter. */
export type Provenance = z.output<typeof ProvenanceSchema>;

/** A provenance entry: the path of the value (or object) it applies to. */
export interface ProvenanceEntry {
  path: string;
  provenance: Provenance;
}

/**
 * Names that JavaScript objects carry already (`constructor`, `toString`, `__proto__`, …): never a
 * key or id of a scheme, so that no lookup can find a built-in in place of a scheme's value.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** An id: letters, digits, `-`, `_`, `.` (used for outcome, scheme, payer and cohort ids). */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, -, _ or . (starting with a letter or digit)')
  .refine((s) => !RESERVED_NAMES.has(s), { message: 'is a reserved name (a built-in of JavaScript objects); choose another id' });

/** Largest whole number of days, weeks, months, years or items a scheme may give (dates stay within 4-digit years). */
export const MAX_COUNT = 10000;
/** A whole number ≥ 0. */
export const Count = z.number().int('must be a whole number').min(0, 'must not be negative').max(MAX_COUNT, `must be at most ${MAX_COUNT}`);
/** A whole number ≥ 1. */
export const PositiveCount = z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_COUNT, `must be at most ${MAX_COUNT}`);

/** How deep a scheme document may nest (objects and arrays); the presets use fewer than 10 levels. */
export const MAX_SCHEME_DEPTH = 32;

/**
 * Problems no schema would see in a raw scheme document, found without recursion (so any depth is
 * safe): nesting deeper than {@link MAX_SCHEME_DEPTH}, and `__proto__` keys (JSON.parse makes them
 * ordinary keys, which assignments and zod would silently drop; here they are refused like any
 * other unknown key).
 * @example documentProblems(JSON.parse('{"__proto__": {}}')) // [{ path: '', message: "unknown key '__proto__' …" }]
 */
export function documentProblems(raw: unknown): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: raw, path: [] }];
  let deep = false;
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (path.length >= MAX_SCHEME_DEPTH) {
      if (!deep) problems.push({ path: pathString(path), message: `nests more than ${MAX_SCHEME_DEPTH} levels deep; a scheme is never that deep` });
      deep = true;
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      continue;
    }
    if (Object.hasOwn(v, '__proto__')) problems.push({ path: pathString(path), message: "unknown key '__proto__' (check the spelling)" });
    for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
  }
  return problems;
}

function isWrapper(v: unknown): v is { value: unknown; provenance: unknown; note?: unknown } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return 'value' in v && 'provenance' in v && keys.every((k) => k === 'value' || k === 'provenance' || k === 'note');
}

function pathString(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s === '' ? p : `.${p}`;
  }
  return s;
}

/** A problem found in a scheme, by path (R-VAL-4). */
export interface SchemeProblem {
  path: string;
  message: string;
}

/**
 * Lifts provenance out of a raw scheme: `{value, provenance}` wrappers become their value and object
 * `provenance` keys are removed; each is returned with its path. Invalid provenance is a problem.
 * @example unwrapProvenance({ months: { value: 6, provenance: { kind: 'illustrative' } } })
 * // { value: { months: 6 }, entries: [{ path: 'months', provenance: { kind: 'illustrative' } }], problems: [] }
 */
export function unwrapProvenance(raw: unknown): { value: unknown; entries: ProvenanceEntry[]; problems: SchemeProblem[] } {
  const entries: ProvenanceEntry[] = [];
  const problems: SchemeProblem[] = [];
  const record = (p: unknown, path: (string | number)[]) => {
    const r = ProvenanceSchema.safeParse(p);
    const at = [...path, 'provenance'];
    if (r.success) entries.push({ path: pathString(path), provenance: r.data });
    else for (const i of r.error.issues) problems.push({ path: pathString([...at, ...(i.path as (string | number)[])]), message: i.message });
  };
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (isWrapper(v)) {
      record(v.provenance, path);
      return walk(v.value, path);
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        // Refused by documentProblems; an assignment would make it the object's prototype.
        if (k === '__proto__') continue;
        if (k === 'provenance' && path.length > 0) record(x, path);
        else if (k === 'provenance' && path.length === 0) record(x, path);
        else out[k] = walk(x, [...path, k]);
      }
      return out;
    }
    return v;
  };
  const value = walk(raw, []);
  return { value, entries, problems };
}

/**
 * The provenance that applies to a value at `path`: its own, else the nearest enclosing object's.
 * @example provenanceAt(entries, 'tariff.outcomes.free-from-dependence.1')
 */
export function provenanceAt(entries: readonly ProvenanceEntry[], path: string): ProvenanceEntry | undefined {
  let best: ProvenanceEntry | undefined;
  for (const e of entries) {
    const applies = e.path === path || e.path === '' || path.startsWith(e.path + '.') || path.startsWith(e.path + '[');
    if (applies && (!best || e.path.length > best.path.length)) best = e;
  }
  return best;
}

export { pathString };
