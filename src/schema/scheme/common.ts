/**
 * Building blocks of the scheme format: decimals as strings, dates, ids, and provenance.
 *
 * Provenance (SPEC §6): any object in a scheme may carry a `provenance` key that applies to every
 * value beneath it, and any single value may be written as `{ "value": …, "provenance": {…} }`.
 * {@link unwrapProvenance} lifts these out before the scheme is parsed, so the rules see plain values
 * and the provenance is kept as a list keyed by path.
 * @module
 */
import { z } from 'zod';
import { isIsoDate } from '../../calendar/index.js';

/** A decimal written as a string (preferred, exact) or a JSON number; kept as a canonical string. */
export const DecimalString = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'x') : v.trim();
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: `'${String(v)}' is not a decimal number; write it like "1200.00"`, input: v });
      return z.NEVER;
    }
    return s;
  });

/** A money amount in pounds, ≥ 0, at most 2 decimal places. */
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

/** An id: letters, digits, `-`, `_`, `.` (used for outcome, scheme, payer and cohort ids). */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, -, _ or . (starting with a letter or digit)');

/** A whole number ≥ 0. */
export const Count = z.number().int('must be a whole number').min(0, 'must not be negative');
/** A whole number ≥ 1. */
export const PositiveCount = z.number().int('must be a whole number').min(1, 'must be at least 1');

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
