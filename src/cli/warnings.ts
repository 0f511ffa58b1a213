/**
 * Warnings the commands print on stderr about data a scheme will not pay for as the user may expect.
 * @module
 */
import type { Scheme } from '../schema/scheme/index.js';
import { plural } from './shared.js';

/**
 * Tariff bands found in the data (journeys by their own band) that the scheme's tariff does not
 * price: those journeys' attachment and outcomes are not paid (R-PAY-2). One line naming the bands
 * and how many journeys have each, or undefined when every band is priced (or the scheme has no
 * tariff). Journeys without a band are a different matter (unbanded, counted in summary.json).
 * @example unpricedBandsWarning(scheme, { '1': 10, '4': 2 }) // "warning: tariff band '4' (2 journeys) is in the data but not in …"
 */
export function unpricedBandsWarning(scheme: Pick<Scheme, 'id' | 'tariff'>, journeysByBand: Readonly<Record<string, number>>): string | undefined {
  const t = scheme.tariff;
  if (!t) return undefined;
  const known = new Set(t.bands);
  const missing = Object.entries(journeysByBand)
    .filter(([band, n]) => band !== '' && n > 0 && !known.has(band))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (missing.length === 0) return undefined;
  const total = missing.reduce((s, [, n]) => s + n, 0);
  const list = missing.map(([band, n]) => `'${band}' (${plural(n, 'journey')})`).join(', ');
  return (
    `warning: tariff ${missing.length === 1 ? 'band' : 'bands'} ${list} ${missing.length === 1 ? 'is' : 'are'} in the data but not in the tariff of scheme ${scheme.id} ` +
    `(bands ${t.bands.join(', ')}): ${plural(total, 'journey is', 'journeys are')} not paid (R-PAY-2). Correct the bands in the data, or add them to the tariff.\n`
  );
}
