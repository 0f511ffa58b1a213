/**
 * The preset schemes shipped in `seeds/` (SPEC §6), bundled so they work in a browser too.
 * Each is validated by the library's own scheme schema when loaded.
 * @module
 */
import drugStrategy2017 from '../../seeds/drug-strategy-2017.json';
import employmentOutcome from '../../seeds/employment-outcome.json';
import healthPremium201516 from '../../seeds/health-premium-2015-16.json';
import nationalModel2012 from '../../seeds/national-model-2012.json';
import wiganCohort2012 from '../../seeds/wigan-cohort-2012.json';
import { loadScheme, mergeSchemeDocuments, type Scheme } from '../schema/scheme/index.js';

const DOCUMENTS: Record<string, unknown> = {
  'national-model-2012': nationalModel2012,
  'drug-strategy-2017': drugStrategy2017,
  'health-premium-2015-16': healthPremium201516,
  'wigan-cohort-2012': wiganCohort2012,
  'employment-outcome': employmentOutcome,
};

/** Ids of the preset schemes, e.g. `national-model-2012`. */
export const PRESET_IDS: readonly string[] = Object.keys(DOCUMENTS);

/**
 * The raw JSON document of a preset (for `extends`, overrides and display), or undefined.
 * @example presetDocument('national-model-2012')
 */
export function presetDocument(id: string): unknown {
  // Own keys only: `toString` or `__proto__` is no preset (they would find Object.prototype's members).
  if (typeof id !== 'string' || !Object.hasOwn(DOCUMENTS, id)) return undefined;
  return structuredClone(DOCUMENTS[id]);
}

/** Most schemes an `extends` chain may pass through (a preset at its end included). */
export const MAX_EXTENDS_DEPTH = 8;

/**
 * Resolves `extends` chains: a scheme document `{ "extends": "<preset id>", … }` is merged onto the
 * preset (objects merge by key, outcomes by id). `resolve` finds other documents by name (the
 * Node edge passes a file reader); presets are found by id.
 * @example resolveExtends({ extends: 'national-model-2012', contract: { period: 'monthly' } })
 */
export function resolveExtends(doc: unknown, resolve: (name: string) => unknown = () => undefined, depth = 0, seen: readonly string[] = []): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Object.hasOwn(doc, 'extends')) return doc;
  const { extends: base, ...rest } = doc as { extends: unknown };
  if (typeof base !== 'string' || base === '') throw new Error("'extends' must name a preset id or a scheme file");
  const shown = base.length > 80 ? `${base.slice(0, 80)}…` : base;
  if (seen.includes(base)) throw new Error(`'extends' goes round in a circle: ${[...seen, base].join(' → ')}`);
  if (depth >= MAX_EXTENDS_DEPTH) throw new Error(`'extends' chain is longer than ${MAX_EXTENDS_DEPTH} schemes (at '${shown}'); merge some of them`);
  const baseDoc = presetDocument(base) ?? resolve(base);
  if (baseDoc === undefined) throw new Error(`'extends': no preset or scheme file named '${shown}' (presets: ${PRESET_IDS.join(', ')})`);
  return mergeSchemeDocuments(resolveExtends(baseDoc, resolve, depth + 1, [...seen, base]), rest);
}

/**
 * A preset scheme by id, parsed and validated.
 * @example const scheme = presetScheme('national-model-2012');
 */
export function presetScheme(id: string): Scheme {
  const d = presetDocument(id);
  if (d === undefined) throw new Error(`no preset '${id}' (presets: ${PRESET_IDS.join(', ')})`);
  return loadScheme(resolveExtends(d), `preset ${id}`);
}
