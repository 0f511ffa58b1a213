/**
 * The scheme a calibration writes (issue #12): honest about what it is.
 *
 * - id: `<original id>-calibrated` (a scheme already calibrated keeps its id: `-calibrated` is not
 *   repeated), cut so that it stays a valid id (64 characters at most);
 * - version: `<original version>+calibrated.<asOf as YYYYMMDD>.<fingerprint>` — semver build
 *   metadata, the original's own build metadata replaced. The fingerprint is 8 hex digits of FNV-1a
 *   over the calibration (original id and version, target, scope, keep, outcomes, asOf, data,
 *   prices): two different calibrations get different versions, the same calibration the same one
 *   (no clock is read, so the same inputs give byte-identical files). It is a label, not a security
 *   hash: the data's own hash, when given, is in the provenance;
 * - title: the original's, with what it was calibrated to;
 * - each price the calibration changed carries provenance `calibrated`, with a note and a
 *   `calibration` record: the original scheme, the price before, the factor, whether it was nudged
 *   a penny, the target and what the prices pay, the scope (`of`, provider), `keep`, asOf and the
 *   data fingerprint. Prices it did not change keep their provenance;
 * - `$schema` is `./scheme.schema.json`: write {@link schemeJsonSchema}'s output next to it (the
 *   command line does).
 * @module
 */
import { formatPounds, money } from '../money/amount.js';
import type { Provenance, Scheme } from '../schema/scheme/index.js';
import type { CalibrationResult } from './calibrate.js';

/** One price a calibration changed, with the provenance it gets. */
export interface PriceChange {
  outcome_id: string;
  band: string;
  /** Path of the price in the scheme, e.g. `tariff.outcomes.free-from-dependence.2`. */
  path: string;
  from: string;
  to: string;
  provenance: Provenance;
}

/** The id, version, title and price provenance of a calibrated scheme. */
export interface CalibrationStamp {
  id: string;
  version: string;
  title: string;
  changes: PriceChange[];
}

/** What `$schema` says in a calibrated scheme document: the JSON Schema written next to it. */
export const CALIBRATED_SCHEMA_REF = './scheme.schema.json';

const SUFFIX = '-calibrated';

/** FNV-1a (32 bits) of a text, as 8 hex digits: a short, stable label (not a security hash). */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * How a calibrated scheme is named and what provenance its changed prices get (see the module
 * notes); undefined when the calibration found no prices.
 * @example calibrationStamp(scheme, result)?.version // '1.0.0+calibrated.20150331.3f2a9c01'
 */
export function calibrationStamp(scheme: Pick<Scheme, 'id' | 'version' | 'title' | 'tariff'>, r: CalibrationResult): CalibrationStamp | undefined {
  const best = r.best;
  const tariff = scheme.tariff;
  if (!best || !tariff) return undefined;
  const base = scheme.id.endsWith(SUFFIX) ? scheme.id.slice(0, -SUFFIX.length) : scheme.id;
  const id = base.slice(0, 64 - SUFFIX.length) + SUFFIX;
  const original = `${scheme.id} ${scheme.version}`;
  const scope = `${r.of} payments${r.provider ? ` to ${r.provider}` : ''}`;
  const print = fingerprint(
    JSON.stringify([scheme.id, scheme.version, r.target.toFixed(2), r.of, r.provider ?? null, r.keep, r.outcomes, r.asOf, r.data ?? null, best.prices, best.amount.toFixed(2)]),
  );
  const version = `${scheme.version.split('+')[0]}+calibrated.${r.asOf.replaceAll('-', '')}.${print}`;
  const title = `${scheme.title} — calibrated to ${formatPounds(best.amount)} of ${scope} as of ${r.asOf}`;
  const nudged = new Set(best.nudged.map((n) => `${n.outcome_id}\u0000${n.band}`));
  const how = r.keep === 'all' ? 'one factor on all outcome prices' : r.keep === 'band' ? 'band and outcome relativities kept (outcomes re-weighted as asked)' : 'outcome relativities kept, bands re-weighted';
  const changes: PriceChange[] = [];
  for (const o of r.outcomes) {
    for (const b of tariff.bands) {
      const before = tariff.outcomes[o]?.[b];
      const after = best.prices[o]?.[b];
      // A band the outcome had no price for stays unpriced; an unchanged price keeps its provenance.
      if (before === undefined || after === undefined || money(before).equals(money(after))) continue;
      const wasNudged = nudged.has(`${o}\u0000${b}`);
      changes.push({
        outcome_id: o,
        band: b,
        path: `tariff.outcomes.${o}.${b}`,
        from: before,
        to: after,
        provenance: {
          kind: 'calibrated',
          note:
            `Calibrated by recovery-pbr from ${formatPounds(money(before))} in ${original} (${how}, factor ${best.factor.toString()}${wasNudged ? ', then moved a penny to meet the target exactly' : ''}), ` +
            `so that ${scope} on the data as of ${r.asOf} come to ${formatPounds(best.amount)} (target ${formatPounds(r.target)}${best.amount.equals(r.target) ? ', met to the penny' : ''}).`,
          calibration: {
            scheme: original,
            from: money(before).toFixed(2),
            factor: best.factor.toString(),
            ...(wasNudged ? { nudged: true } : {}),
            target: r.target.toFixed(2),
            amount: best.amount.toFixed(2),
            of: r.of,
            ...(r.provider === undefined ? {} : { provider: r.provider }),
            keep: r.keep,
            asOf: r.asOf,
            ...(r.data === undefined ? {} : { data: r.data }),
          },
        },
      });
    }
  }
  return { id, version, title, changes };
}

/**
 * The scheme with the calibrated prices in place, its new id and version, and the provenance of
 * each changed price (undefined when the calibration found no prices).
 * @example calibratedScheme(scheme, result)?.id // 'national-model-2012-calibrated'
 */
export function calibratedScheme(scheme: Scheme, r: CalibrationResult): Scheme | undefined {
  const stamp = calibrationStamp(scheme, r);
  if (!stamp || !scheme.tariff) return undefined;
  const outcomes = { ...scheme.tariff.outcomes };
  for (const c of stamp.changes) outcomes[c.outcome_id] = { ...outcomes[c.outcome_id], [c.band]: c.to };
  const paths = new Set(stamp.changes.map((c) => c.path));
  return {
    ...scheme,
    id: stamp.id,
    version: stamp.version,
    title: stamp.title,
    tariff: { ...scheme.tariff, outcomes },
    provenance: [...scheme.provenance.filter((e) => !paths.has(e.path)), ...stamp.changes.map((c) => ({ path: c.path, provenance: c.provenance }))],
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isWrapper(v: unknown): v is { value: unknown; provenance: unknown } {
  return isPlainObject(v) && 'value' in v && 'provenance' in v && Object.keys(v).every((k) => k === 'value' || k === 'provenance' || k === 'note');
}

/** Sets a value by keys (no dotted path: ids may hold dots), keeping the provenance of any `{value, provenance}` object on the way. */
function setIn(root: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let cur = root;
  keys.slice(0, -1).forEach((k) => {
    let next = cur[k];
    if (isWrapper(next) && isPlainObject(next.value)) {
      // {value: {...}, provenance: P} becomes {..., provenance: P}: the same provenance for everything beneath.
      next = { ...next.value, ...('provenance' in next.value ? {} : { provenance: next.provenance }) };
      cur[k] = next;
    }
    if (!isPlainObject(next)) cur[k] = next = {};
    cur = next as Record<string, unknown>;
  });
  cur[keys[keys.length - 1]!] = value;
}

/**
 * The calibrated scheme as a document to write (JSON), from the document the scheme was loaded
 * from: new id, version and title, each changed price as `{ value, provenance }`, and `$schema`
 * pointing to `./scheme.schema.json` (write the JSON Schema next to it). Loading it gives
 * {@link calibratedScheme}. Undefined when the calibration found no prices.
 * @example writeFileSync('scheme.json', JSON.stringify(calibratedSchemeDocument(doc, scheme, result), null, 2))
 */
export function calibratedSchemeDocument(document: unknown, scheme: Scheme, r: CalibrationResult): Record<string, unknown> | undefined {
  const stamp = calibrationStamp(scheme, r);
  if (!stamp || !isPlainObject(document)) return undefined;
  const { $schema: _ignored, ...rest } = structuredClone(document);
  const doc: Record<string, unknown> = { $schema: CALIBRATED_SCHEMA_REF, ...rest };
  doc['id'] = stamp.id;
  doc['version'] = stamp.version;
  doc['title'] = stamp.title;
  for (const c of stamp.changes) setIn(doc, ['tariff', 'outcomes', c.outcome_id, c.band], { value: c.to, provenance: c.provenance });
  return doc;
}
