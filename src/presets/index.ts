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
  const d = DOCUMENTS[id];
  return d === undefined ? undefined : structuredClone(d);
}

/**
 * Resolves `extends` chains: a scheme document `{ "extends": "<preset id>", … }` is merged onto the
 * preset (objects merge by key, outcomes by id). `resolve` finds other documents by name (the
 * Node edge passes a file reader); presets are found by id.
 * @example resolveExtends({ extends: 'national-model-2012', contract: { period: 'monthly' } })
 */
export function resolveExtends(doc: unknown, resolve: (name: string) => unknown = () => undefined, depth = 0): unknown {
  if (typeof doc !== 'object' || doc === null || !('extends' in doc)) return doc;
  const { extends: base, ...rest } = doc as { extends: unknown };
  if (typeof base !== 'string') throw new Error("'extends' must name a preset id or a scheme file");
  if (depth > 8) throw new Error(`'extends' chain is deeper than 8 (a cycle?) at '${base}'`);
  const baseDoc = presetDocument(base) ?? resolve(base);
  if (baseDoc === undefined) throw new Error(`'extends': no preset or scheme file named '${base}' (presets: ${PRESET_IDS.join(', ')})`);
  return mergeSchemeDocuments(resolveExtends(baseDoc, resolve, depth + 1), rest);
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
