/**
 * Text tables printed by the commands.
 * @module
 */
import type { OutcomeSummary } from '../output/summary.js';
import type { Scheme } from '../schema/scheme/index.js';

/**
 * A plain text table; columns listed in `right` are right-aligned (numbers).
 * @example textTable(['a', 'n'], [['x', '1']], [1])
 */
export function textTable(header: readonly string[], rows: readonly (readonly (string | number)[])[], right: readonly number[] = []): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) => r.map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

/**
 * Outcome counts by outcome and band: met / not met / not eligible / pending.
 * @example outcomeTable(run.outcomes, scheme)
 */
export function outcomeTable(s: OutcomeSummary, scheme: Pick<Scheme, 'outcomes'>): string {
  const rows: (string | number)[][] = [];
  for (const o of scheme.outcomes) {
    const bands = s.by_outcome_and_band[o.id] ?? {};
    for (const [band, c] of Object.entries(bands)) rows.push([o.id, band === '' ? '(none)' : band, c.met, c.not_met, c.not_eligible, c.pending]);
    const t = s.by_outcome[o.id];
    if (t && Object.keys(bands).length > 1) rows.push([o.id, 'all', t.met, t.not_met, t.not_eligible, t.pending]);
  }
  return textTable(['outcome', 'band', 'met', 'not met', 'not eligible', 'pending'], rows, [2, 3, 4, 5]);
}
