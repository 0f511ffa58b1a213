/**
 * The scheme's parameters for the report, flattened: every value of the parsed scheme with its
 * path, grouped by section, and the provenance that applies to it (SPEC §6): its own, or that of
 * the nearest enclosing object. Descriptive text (titles, descriptions, ids) is not a parameter.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { provenanceAt, type Provenance } from '../schema/scheme/common.js';
import type { Scheme } from '../schema/scheme/index.js';

/** One parameter of a scheme. */
export interface SchemeParameter {
  /** Path as provenance entries name it, e.g. `outcomes[0].primitives[1].months`. */
  path: string;
  /** Path with outcomes, payers and cohorts named by id (as what-if overrides write it), e.g. `outcomes.free-from-dependence.primitives[1].months`. */
  label: string;
  /** The value as text (lists joined with `, `; `(empty list)`, `(none set)` for an empty list or map). */
  value: string;
  provenance: Provenance | undefined;
  /** Path of the provenance entry that applies (`''` = the whole scheme); undefined without one. */
  provenanceFrom: string | undefined;
}

/** Parameters of one section of the scheme. */
export interface ParameterSection {
  /** e.g. `calendar`, `outcome free-from-dependence`, `tariff`. */
  id: string;
  title: string;
  /** For an outcome: its title and domain. */
  subtitle: string | undefined;
  parameters: SchemeParameter[];
}

/** Keys that describe rather than parameterise (not listed as parameters). */
const DESCRIPTIVE = new Set(['id', 'title', 'description', 'domain', '$schema', 'version']);
/** Top-level sections in the order of the scheme format; `general` holds top-level values. */
const SECTION_ORDER = ['general', 'calendar', 'exitReasons', 'death', 'reasonCodes', 'outcomes', 'tariff', 'contract', 'payers', 'cohortTariff', 'healthPremium'];
const SECTION_TITLES: Record<string, string> = {
  general: 'General',
  calendar: 'Calendar (journeys and reviews)',
  exitReasons: 'Exit reasons mapped to standard codes',
  death: 'Death rule (R-OUT-9)',
  reasonCodes: 'Reason codes added by the scheme',
  tariff: 'Tariff: prices by band (R-PAY-1, R-PAY-2)',
  contract: 'Contract: periods, terms and caps (R-PAY-4, R-PAY-5, R-PAY-8)',
  payers: 'Payers (R-PAY-6)',
  cohortTariff: 'Cohort tariff (R-PAY-3)',
  healthPremium: 'Health Premium (R-HP)',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function');
}

/** Object keys in a stable order whatever the file's key order: `type` first, then code point order. */
function keysOf(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (a === 'type' ? -1 : b === 'type' ? 1 : compareCodePoint(a, b)));
}

/**
 * Every parameter of a scheme with its provenance, grouped by section (outcomes one section each,
 * in scheme order). Provenance entries and the `sources` list are not parameters.
 * @example schemeParameters(presetScheme('national-model-2012'))[0].parameters[0] // { path: 'validFrom', … }
 */
export function schemeParameters(scheme: Scheme): ParameterSection[] {
  const sections = new Map<string, ParameterSection>();
  const section = (id: string, title: string, subtitle?: string): ParameterSection => {
    let s = sections.get(id);
    if (!s) sections.set(id, (s = { id, title, subtitle, parameters: [] }));
    return s;
  };
  const push = (s: ParameterSection, path: string, label: string, value: string) => {
    const e = provenanceAt(scheme.provenance, path);
    s.parameters.push({ path, label, value, provenance: e?.provenance, provenanceFrom: e?.path });
  };
  const walk = (s: ParameterSection, v: unknown, path: string, label: string): void => {
    if (v === undefined) return;
    if (isScalar(v)) return push(s, path, label, String(v));
    if (Array.isArray(v)) {
      if (v.length === 0 || v.every(isScalar)) return push(s, path, label, v.length === 0 ? '(empty list)' : v.map(String).join(', '));
      v.forEach((x, i) => {
        // Items with an id are named by it (as `setSchemeParameter` addresses them).
        const id = isObject(x) && typeof x['id'] === 'string' ? x['id'] : undefined;
        walk(s, x, `${path}[${i}]`, id === undefined ? `${label}[${i}]` : `${label}.${id}`);
      });
      return;
    }
    const o = v as Record<string, unknown>;
    const keys = keysOf(o).filter((k) => !DESCRIPTIVE.has(k));
    if (keys.length === 0) {
      if (Object.keys(o).length === 0) push(s, path, label, '(none set)');
      return;
    }
    for (const k of keys) walk(s, o[k], path === '' ? k : `${path}.${k}`, label === '' ? k : `${label}.${k}`);
  };
  for (const key of SECTION_ORDER) {
    if (key === 'general') {
      const s = section('general', SECTION_TITLES['general']!);
      for (const k of ['validFrom', 'validTo'] as const) if (scheme[k] !== undefined) push(s, k, k, scheme[k]!);
      continue;
    }
    if (key === 'outcomes') {
      scheme.outcomes.forEach((o, i) => {
        const s = section(`outcome ${o.id}`, `Outcome ${o.id}`, [o.title, o.domain ? `domain ${o.domain}` : undefined].filter(Boolean).join(' — '));
        walk(s, o, `outcomes[${i}]`, `outcomes.${o.id}`);
      });
      continue;
    }
    const v = (scheme as unknown as Record<string, unknown>)[key];
    if (v === undefined) continue;
    walk(section(key, SECTION_TITLES[key] ?? key), v, key, key);
  }
  // Sections a later scheme format may add: listed too, in code point order.
  const known = new Set([...SECTION_ORDER, 'validFrom', 'validTo', 'provenance', 'sources', ...DESCRIPTIVE]);
  const rest = Object.keys(scheme).filter((k) => !known.has(k)).sort(compareCodePoint);
  for (const key of rest) walk(section(key, key), (scheme as unknown as Record<string, unknown>)[key], key, key);
  return [...sections.values()].filter((s) => s.parameters.length > 0);
}

/**
 * A provenance path (`outcomes[0].primitives[1]`) written with ids where items have one
 * (`outcomes.free-from-dependence.primitives[1]`); `''` is the whole scheme.
 * @example idPath(scheme, 'outcomes[0]') // 'outcomes.free-from-dependence'
 */
export function idPath(scheme: Scheme, path: string): string {
  if (path === '') return '';
  const parts = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let cur: unknown = scheme;
  let out = '';
  for (const p of parts) {
    if (p.startsWith('[')) {
      const item: unknown = Array.isArray(cur) ? cur[Number(p.slice(1, -1))] : undefined;
      const id = isObject(item) && typeof item['id'] === 'string' ? item['id'] : undefined;
      out += id === undefined ? p : `.${id}`;
      cur = item;
    } else {
      out += out === '' ? p : `.${p}`;
      cur = isObject(cur) ? cur[p] : undefined;
    }
  }
  return out;
}
