/**
 * The scheme: a versioned, validated description of outcome rules and tariffs (SPEC §3, §6).
 * A scheme is data (JSON); {@link parseScheme} refuses a malformed one as a whole, listing every
 * problem by path (R-VAL-4).
 * @module
 */
import * as z from 'zod';
import { schemeError } from '../../errors.js';
import { STANDARD_EXIT_REASON_CODES } from '../codes.js';
import {
  Count,
  DateString,
  Id,
  ProvenanceSchema,
  RESERVED_NAMES,
  documentProblems,
  pathString,
  unwrapProvenance,
  type ProvenanceEntry,
  type SchemeProblem,
} from './common.js';
import { HealthPremium, healthPremiumProblems } from './health-premium.js';
import { OutcomeDefinition } from './outcomes.js';
import { CohortTariff, Contract, Payer, Tariff, tariffProblems } from './tariff.js';

/** The scheme document schema (after provenance has been lifted out, see `unwrapProvenance`). */
export const SchemeSchema = z.strictObject({
  $schema: z.string().optional(),
  id: Id,
  version: z.string().min(1).describe('Version of this scheme file, e.g. "1.0.0"'),
  title: z.string().min(1),
  description: z.string().optional(),
  validFrom: DateString.optional(),
  validTo: DateString.optional(),
  sources: z
    .record(
      z.string(),
      z.strictObject({ title: z.string(), file: z.string().optional(), url: z.string().optional(), note: z.string().optional() }),
    )
    .default({})
    .describe('Documents cited by provenance entries'),
  calendar: z
    .strictObject({
      journeyGapDays: Count.default(21).describe('R-JNY-1: days between episodes that still continue a journey'),
      reviewToleranceDays: Count.default(28).describe('R-VAL-2: days after discharge a review may be dated'),
    })
    .default({ journeyGapDays: 21, reviewToleranceDays: 28 }),
  exitReasons: z
    .record(z.string().regex(/^[a-z0-9_]+$/, 'exit codes are lower case letters, digits and _'), z.enum(STANDARD_EXIT_REASON_CODES))
    .default({})
    .describe("The scheme's own exit codes mapped onto the standard codes of SPEC §2.1"),
  death: z
    .strictObject({
      rule: z
        .enum(['died_before_achieved', 'ignore'])
        .default('died_before_achieved')
        .describe('R-OUT-9: died_before_achieved = not_met/died when death precedes achieved_on or the outcome is pending'),
    })
    .default({ rule: 'died_before_achieved' }),
  reasonCodes: z
    .record(z.string().regex(/^[a-z0-9_]+$/), z.string().min(1))
    .default({})
    .describe('Reason codes this scheme adds to R-OUT-12, each with its meaning'),
  outcomes: z.array(OutcomeDefinition).default([]),
  tariff: Tariff.optional(),
  contract: Contract.optional(),
  payers: z.array(Payer).min(1).optional(),
  cohortTariff: CohortTariff.optional(),
  healthPremium: HealthPremium.optional(),
});

/** A parsed scheme plus its provenance entries. */
export type Scheme = z.output<typeof SchemeSchema> & {
  /** Provenance of values and sections, by path (SPEC §6). */
  provenance: ProvenanceEntry[];
};

/**
 * Outcome id and gateway reference problems read straight from a raw (possibly invalid) document:
 * duplicate ids, gateways naming no outcome, prices for no outcome. Used when the structure is
 * invalid, so these are reported alongside the structural problems.
 */
function referenceProblems(value: unknown): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const doc = value as { outcomes?: unknown; tariff?: { outcomes?: unknown } } | null;
  if (!doc || !Array.isArray(doc.outcomes)) return problems;
  const ids = new Map<string, number>();
  doc.outcomes.forEach((o: any, i: number) => {
    if (o && typeof o.id === 'string') {
      if (ids.has(o.id)) problems.push({ path: `outcomes[${i}].id`, message: `outcome '${o.id}' is defined twice (also outcomes[${ids.get(o.id)}])` });
      else ids.set(o.id, i);
    }
  });
  doc.outcomes.forEach((o: any, i: number) => {
    for (const key of ['allOf', 'anyOf'] as const) {
      const list = o?.require?.[key];
      if (!Array.isArray(list)) continue;
      list.forEach((r: unknown, j: number) => {
        if (typeof r === 'string' && !ids.has(r)) problems.push({ path: `outcomes[${i}].require.${key}[${j}]`, message: `no outcome '${r}' is defined in this scheme` });
      });
    }
  });
  const prices = doc.tariff?.outcomes;
  if (prices && typeof prices === 'object' && !Array.isArray(prices)) {
    for (const id of Object.keys(prices)) if (!ids.has(id)) problems.push({ path: `tariff.outcomes.${id}`, message: `no outcome '${id}' is defined in this scheme` });
  }
  return problems;
}

/** Problems that reference several parts of a scheme: ids, gateways, cycles, payments. */
function crossProblems(s: z.output<typeof SchemeSchema>): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const ids = new Map<string, number>();
  s.outcomes.forEach((o, i) => {
    if (ids.has(o.id)) problems.push({ path: `outcomes[${i}].id`, message: `outcome '${o.id}' is defined twice (also outcomes[${ids.get(o.id)}])` });
    else ids.set(o.id, i);
  });
  s.outcomes.forEach((o, i) => {
    const req = o.require ? ('allOf' in o.require ? o.require.allOf : o.require.anyOf) : [];
    const key = o.require && 'allOf' in o.require ? 'allOf' : 'anyOf';
    req.forEach((r, j) => {
      if (!ids.has(r)) problems.push({ path: `outcomes[${i}].require.${key}[${j}]`, message: `no outcome '${r}' is defined in this scheme` });
      if (r === o.id) problems.push({ path: `outcomes[${i}].require.${key}[${j}]`, message: 'an outcome cannot require itself' });
    });
    const p = o.population;
    if (p.minAge !== undefined && p.maxAge !== undefined && p.minAge > p.maxAge) {
      problems.push({ path: `outcomes[${i}].population.maxAge`, message: 'is below minAge' });
    }
    if (p.journeyStartFrom && p.journeyStartTo && p.journeyStartFrom > p.journeyStartTo) {
      problems.push({ path: `outcomes[${i}].population.journeyStartTo`, message: 'is before journeyStartFrom' });
    }
    const types = o.primitives.map((x) => x.type);
    const dup = types.find((t, k) => types.indexOf(t) !== k);
    if (dup) problems.push({ path: `outcomes[${i}].primitives`, message: `primitive '${dup}' is listed twice` });
  });
  // Gateway cycles (a → b → a) would make decisions depend on themselves.
  const state = new Map<string, 0 | 1 | 2>();
  const byId = new Map(s.outcomes.map((o) => [o.id, o]));
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) {
      problems.push({ path: `outcomes[${ids.get(id)}].require`, message: `gateways form a cycle: ${[...trail, id].join(' → ')}` });
      return;
    }
    state.set(id, 1);
    const o = byId.get(id);
    const req = o?.require ? ('allOf' in o.require ? o.require.allOf : o.require.anyOf) : [];
    for (const r of req) if (byId.has(r) && r !== id) visit(r, [...trail, id]);
    state.set(id, 2);
  };
  for (const o of s.outcomes) visit(o.id, []);
  if (s.validFrom && s.validTo && s.validFrom > s.validTo) problems.push({ path: 'validTo', message: 'is before validFrom' });
  if (s.contract?.start && s.contract.end && s.contract.start > s.contract.end) problems.push({ path: 'contract.end', message: 'is before contract.start' });
  problems.push(...tariffProblems(s), ...healthPremiumProblems(s));
  return problems;
}


/**
 * Parses a scheme document (already-loaded JSON). Returns the scheme, or every problem by path.
 * @example
 * const r = parseScheme(JSON.parse(text));
 * if (!r.ok) console.error(r.problems);
 */
export function parseScheme(raw: unknown): { ok: true; scheme: Scheme } | { ok: false; problems: SchemeProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: '', message: 'a scheme is a JSON object' }] };
  }
  // Depth first (everything below recurses), and `__proto__` keys, which the schema cannot see.
  const shape = documentProblems(raw);
  if (shape.some((p) => p.message.startsWith('nests more than'))) return { ok: false, problems: shape };
  const { value, entries, problems } = unwrapProvenance(raw);
  problems.unshift(...shape);
  const r = SchemeSchema.safeParse(value);
  if (!r.success) {
    for (const i of r.error.issues) problems.push({ path: pathString(i.path as (string | number)[]), message: issueMessage(i) });
    // Also list the reference problems that can be seen without a valid structure, so the author
    // gets every problem in one pass (R-VAL-4).
    const seen = new Set(problems.map((p) => `${p.path}|${p.message}`));
    for (const p of referenceProblems(value)) if (!seen.has(`${p.path}|${p.message}`)) problems.push(p);
    return { ok: false, problems };
  }
  problems.push(...crossProblems(r.data));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, scheme: { ...r.data, provenance: entries } };
}

function issueMessage(i: z.core.$ZodIssue): string {
  if (i.code === 'unrecognized_keys') return `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')} (check the spelling)`;
  if (i.code === 'invalid_union' && (i as any).note === 'No matching discriminator') {
    return `unknown primitive type; use one of: successful_completion, no_representation, abstinence, reduced_offending, sustained_employment, score_improvement, injecting_cessation`;
  }
  return i.message;
}

/**
 * Parses a scheme or throws a `RecoveryPbrError` with code `scheme` listing every problem by path.
 * @example const scheme = loadScheme(JSON.parse(text));
 */
export function loadScheme(raw: unknown, name?: string): Scheme {
  const r = parseScheme(raw);
  if (!r.ok) throw schemeError(r.problems, name);
  return r.scheme;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Merges a scheme document onto a base (for `extends` and parameter overrides): objects merge key
 * by key, `outcomes` merge by outcome `id`, other arrays and values replace. Works on raw JSON.
 * @example mergeSchemeDocuments(preset, { contract: { period: 'monthly' } })
 */
export function mergeSchemeDocuments(base: unknown, override: unknown, path: string[] = []): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  // A {value, provenance} wrapper replaces the whole value, provenance included.
  if ('value' in override && 'provenance' in override) return override;
  const out: Record<string, unknown> = { ...base };
  // Own keys only, set as own properties: a `__proto__` key stays a key (and is refused by
  // parseScheme) instead of becoming the object's prototype.
  const own = (o: Record<string, unknown>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
  for (const [k, v] of Object.entries(override)) {
    const b = own(base, k);
    let merged: unknown;
    if (k === 'outcomes' && path.length === 0 && Array.isArray(v) && Array.isArray(b)) {
      const list = [...(b as unknown[])];
      for (const o of v) {
        const idx = list.findIndex((x) => isPlainObject(x) && isPlainObject(o) && x['id'] === o['id']);
        if (idx >= 0) list[idx] = mergeSchemeDocuments(list[idx], o, [...path, k]);
        else list.push(o);
      }
      merged = list;
    } else merged = mergeSchemeDocuments(b, v, [...path, k]);
    Object.defineProperty(out, k, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Path parts that are never looked up or set: they lead into JavaScript's own objects. */
const FORBIDDEN_PATH_PARTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Sets a parameter in a raw scheme document by dotted path (outcomes addressed by id), for what-if
 * overrides such as `tariff.outcomes.free-from-dependence.1=1500`. The document is not changed (a
 * changed copy is returned). Only the document's own keys are followed; `__proto__`, `prototype`
 * and `constructor` are refused, as is a path that goes through a value that is not an object or
 * list. Throws a `RecoveryPbrError` (`scheme`) naming the path.
 * @example setSchemeParameter(doc, 'outcomes.free-from-dependence.primitives[1].months', 12)
 */
export function setSchemeParameter(doc: unknown, path: string, value: unknown): unknown {
  const refuse = (message: string) => schemeError([{ path, message }], 'parameter path');
  const parts = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  if (parts.length === 0) throw refuse('is empty; give a path such as tariff.outcomes.free-from-dependence.1');
  if (parts.length > MAX_PATH_PARTS) throw refuse(`has more than ${MAX_PATH_PARTS} parts`);
  for (const p of parts) {
    if (FORBIDDEN_PATH_PARTS.has(p) || RESERVED_NAMES.has(p)) throw refuse(`'${p}' is not a parameter of a scheme (a built-in name of JavaScript objects)`);
  }
  const root = structuredClone(doc) as unknown;
  if (!isPlainObject(root)) throw refuse('the scheme is not a JSON object');
  let cur: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const part = parts[i]!;
    const where = parts.slice(0, i).join('.') || '(top level)';
    let key: string | number;
    if (part.startsWith('[')) {
      if (!Array.isArray(cur)) throw refuse(`${where} is not a list, so '${part}' cannot be set`);
      key = Number(part.slice(1, -1));
      if (key > cur.length) throw refuse(`${where} has ${cur.length} items; '${part}' is beyond the next one`);
    } else if (Array.isArray(cur)) {
      // Items with an id are addressed by it.
      const idx = cur.findIndex((x) => isPlainObject(x) && x['id'] === part);
      if (idx < 0) throw refuse(`no item with id '${part}' at '${where}'`);
      key = idx;
    } else key = part;
    const container = cur as Record<string | number, unknown>;
    if (last) {
      // Keep provenance visible: an overridden value is the user's own.
      Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
      break;
    }
    let next = Object.hasOwn(container, key) ? container[key] : undefined;
    if (next === undefined) {
      next = {};
      Object.defineProperty(container, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    if (isPlainObject(next) && 'value' in next && 'provenance' in next) {
      next = next['value'];
      container[key] = next;
    }
    if (typeof next !== 'object' || next === null) throw refuse(`${[...parts.slice(0, i + 1)].join('.')} is a single value (${JSON.stringify(next)}), so nothing can be set inside it`);
    cur = next as Record<string, unknown> | unknown[];
  }
  return root;
}

const MAX_PATH_PARTS = 16;

/**
 * The JSON Schema of a scheme document, for authoring schemes in any editor (`recovery-pbr schema`).
 * Every value may also be written `{ "value": …, "provenance": {…} }` and every object may carry
 * a `provenance` key.
 * @example JSON.stringify(schemeJsonSchema(), null, 2)
 */
export function schemeJsonSchema(): Record<string, unknown> {
  const base = z.toJSONSchema(SchemeSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, any>;
  const prov = z.toJSONSchema(ProvenanceSchema, { io: 'input' }) as Record<string, any>;
  delete prov['$schema'];
  const defs: Record<string, unknown> = { provenance: prov };
  const withProvenance = (node: any, top: boolean): any => {
    if (Array.isArray(node)) return node.map((n) => withProvenance(n, false));
    if (!isPlainObject(node)) return node;
    const n: any = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && isPlainObject(v)) {
        n[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, withProvenance(pv, false)]));
        n[k].provenance = { $ref: '#/$defs/provenance' };
      } else if (k === 'additionalProperties' && isPlainObject(v)) n[k] = withProvenance(v, false);
      else if (k === 'items' || k === 'anyOf' || k === 'oneOf' || k === 'allOf') n[k] = withProvenance(v, false);
      else n[k] = v;
    }
    // Any value but an object may be written as a {value, provenance} wrapper (arrays too).
    const isLeaf = !top && ((n.type !== undefined && n.type !== 'object') || (n.anyOf !== undefined && n.type === undefined && !n.anyOf.some((a: any) => a.type === 'object')));
    if (isLeaf) {
      const { description, default: dflt, ...plain } = n;
      return {
        ...(description ? { description } : {}),
        ...(dflt !== undefined ? { default: dflt } : {}),
        anyOf: [plain, { type: 'object', properties: { value: plain, provenance: { $ref: '#/$defs/provenance' }, note: { type: 'string' } }, required: ['value', 'provenance'], additionalProperties: false }],
      };
    }
    return n;
  };
  const out = withProvenance(base, true);
  out.$defs = { ...(out.$defs ?? {}), ...defs };
  out.title = 'recovery-pbr scheme';
  return out;
}

export { ProvenanceSchema, provenanceAt, unwrapProvenance } from './common.js';
export type { Provenance, ProvenanceEntry, SchemeProblem } from './common.js';
