/**
 * Indicators supplied as aggregate figures (R-HP-2), for users who hold only published counts:
 * national group counts (`area_code, indicator, period_start, numerator, denominator[, status]`),
 * local indicators the same way or as a value with a direction, and weights per area (R-HP-4
 * `supplied`). Rows are parsed with zod; every unusable row is reported with its row number, field
 * and a reason a person can act on.
 * @module
 */
import { Decimal } from 'decimal.js';
import * as z from 'zod';
import { compareCodePoint, isIsoDate, type IsoDate } from '../calendar/index.js';
import { HP_GROUPS, type HpGroup } from '../schema/scheme/health-premium.js';
import type { Direction, Measure } from './eligibility.js';
import { COMBINED, nationalIndicatorName, type IndicatorCount, type IndicatorStatus } from './indicators.js';

const D = Decimal.clone({ precision: 60 });

/** One raw row of a supplied file: its row number (header = 1) and its cells by column. */
export interface SuppliedRow {
  row: number;
  values: Record<string, unknown>;
}

/** A problem with a supplied row (same shape as a rejection: file, row, field, value, reason). */
export interface SuppliedProblem {
  file: string;
  row: number;
  field: string;
  value: string;
  reason: string;
}

/**
 * Cells as trimmed strings, blank → absent, before the zod schemas see them (CSV cells are strings;
 * NDJSON or API rows may hold numbers).
 */
function normalise(values: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(values)) {
    const s = typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;
    out[k] = s === '' ? undefined : s;
  }
  return out;
}

const required = (what: string) => z.string({ error: `${what} is required` }).max(64, `${what} is at most 64 characters`);
const code = <const T extends readonly [string, ...string[]]>(codes: T, message: string) =>
  z
    .string({ error: message })
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(codes, { error: message }));
const date = z
  .string({ error: 'period_start is required' })
  .refine(isIsoDate, 'must be a real date written YYYY-MM-DD (the first day of the 12-month period)');
const count = (what: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
        ctx.addIssue({ code: 'custom', message: `${what} must be a whole number of clients (0 or more)` });
        return z.NEVER;
      }
      return Number(s);
    });
/** A whole number of clients that must be given. */
const requiredCount = (what: string) =>
  z.string({ error: `${what} is required` }).transform((s, ctx) => {
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a whole number of clients (0 or more)` });
      return z.NEVER;
    }
    return Number(s);
  });
const status = code(['final', 'provisional'], 'status must be final or provisional (blank = final)')
  .optional()
  .transform((s): IndicatorStatus => s ?? 'final');

/** One supplied count of a national group indicator (R-HP-2). */
export const AggregateCountRow = z
  .object({
    area_code: required('area_code'),
    indicator: code([...HP_GROUPS, COMBINED], `indicator must be one of ${[...HP_GROUPS, COMBINED].join(', ')}`),
    period_start: date,
    numerator: requiredCount('numerator'),
    denominator: requiredCount('denominator'),
    status,
  })
  .refine((r) => r.numerator <= r.denominator, { path: ['numerator'], message: 'numerator is larger than the denominator' });
/** One supplied count of a national group indicator. */
export type AggregateCountRow = z.output<typeof AggregateCountRow>;

/**
 * Names a local indicator may not take: `health_premium.csv` names it by its own name beside the
 * national indicators (SPEC §4 v3), and `local` labels an area for which none was supplied.
 */
const NOT_LOCAL_NAMES = new Set<string>([...HP_GROUPS, COMBINED, 'local']);

/** One supplied figure of a local indicator: counts, or a value with the direction that is better. */
export const LocalIndicatorRow = z
  .object({
    area_code: required('area_code'),
    indicator: required('indicator').superRefine((s, ctx) => {
      if (NOT_LOCAL_NAMES.has(s.toLowerCase()) || s.includes('+')) {
        ctx.addIssue({
          code: 'custom',
          message: `'${s}' cannot name a local indicator: health_premium.csv uses ${[...NOT_LOCAL_NAMES].join(', ')} (and names with '+') for the national indicators and for "none supplied"; give it its own name`,
        });
      }
    }),
    period_start: date,
    numerator: count('numerator'),
    denominator: count('denominator'),
    value: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return undefined;
        if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) {
          ctx.addIssue({ code: 'custom', message: 'value must be a decimal number such as 12.5' });
          return z.NEVER;
        }
        return new D(s).toFixed();
      }),
    direction: code(['higher', 'lower'], 'direction must be higher or lower (which is better; blank = higher)')
      .optional()
      .transform((s): Direction => s ?? 'higher'),
    status,
  })
  .superRefine((r, ctx) => {
    const counts = r.numerator !== undefined || r.denominator !== undefined;
    if (counts && r.value !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'give either numerator and denominator or a value, not both' });
    } else if (counts && (r.numerator === undefined || r.denominator === undefined)) {
      ctx.addIssue({ code: 'custom', path: [r.numerator === undefined ? 'numerator' : 'denominator'], message: 'numerator and denominator go together' });
    } else if (!counts && r.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'give numerator and denominator, or a value' });
    } else if (r.numerator !== undefined && r.denominator !== undefined && r.numerator > r.denominator) {
      ctx.addIssue({ code: 'custom', path: ['numerator'], message: 'numerator is larger than the denominator' });
    }
  });
/** One supplied figure of a local indicator. */
export type LocalIndicatorRow = z.output<typeof LocalIndicatorRow>;

/** One supplied weight (R-HP-4 `supplied`). */
export const WeightRow = z.object({
  area_code: required('area_code'),
  weight: z
    .string({ error: 'weight is required' })
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, 'weight must be a decimal number of 0 or more, such as 1250 or 0.5')
    .transform((s) => new D(s).toFixed()),
});
/** One supplied weight. */
export type WeightRow = z.output<typeof WeightRow>;

function parseWith<S extends z.ZodType>(
  schema: S,
  file: string,
  rows: Iterable<SuppliedRow>,
  key: (r: z.output<S>) => string,
  keyText: string,
): { records: (z.output<S> & { row: number })[]; problems: SuppliedProblem[] } {
  const records: (z.output<S> & { row: number })[] = [];
  const problems: SuppliedProblem[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const p = schema.safeParse(normalise(r.values));
    if (!p.success) {
      for (const i of p.error.issues) {
        const field = String(i.path[0] ?? '');
        const v = field ? r.values[field] : undefined;
        problems.push({ file, row: r.row, field, value: v === undefined || v === null ? '' : String(v), reason: i.message });
      }
      continue;
    }
    const k = key(p.data);
    const first = seen.get(k);
    if (first !== undefined) {
      problems.push({ file, row: r.row, field: 'area_code', value: String(r.values['area_code'] ?? ''), reason: `a second row for the same ${keyText} (first on row ${first})` });
      continue;
    }
    seen.set(k, r.row);
    records.push({ ...(p.data as object), row: r.row } as z.output<S> & { row: number });
  }
  return { records, problems };
}

/**
 * Parses supplied national group counts (R-HP-2); one row per area, indicator and period.
 * @example parseAggregateCounts([{ row: 2, values: { area_code: 'E1', indicator: 'opiate', period_start: '2014-04-01', numerator: '12', denominator: '200' } }])
 */
export function parseAggregateCounts(rows: Iterable<SuppliedRow>, file = 'counts'): { records: (AggregateCountRow & { row: number })[]; problems: SuppliedProblem[] } {
  return parseWith(AggregateCountRow, file, rows, (r) => `${r.area_code}\u0000${r.indicator}\u0000${r.period_start}`, 'area, indicator and period');
}

/**
 * Parses supplied local indicator figures (R-HP-2); one row per area, indicator and period.
 * @example parseLocalIndicators([{ row: 2, values: { area_code: 'E1', indicator: 'alcohol_admissions', period_start: '2014-04-01', value: '612.5', direction: 'lower' } }])
 */
export function parseLocalIndicators(rows: Iterable<SuppliedRow>, file = 'local'): { records: (LocalIndicatorRow & { row: number })[]; problems: SuppliedProblem[] } {
  return parseWith(LocalIndicatorRow, file, rows, (r) => `${r.area_code}\u0000${r.indicator}\u0000${r.period_start}`, 'area, indicator and period');
}

/**
 * Parses supplied weights per area (R-HP-4 `supplied`); one row per area.
 * @example parseWeights([{ row: 2, values: { area_code: 'E1', weight: '1250' } }])
 */
export function parseWeights(rows: Iterable<SuppliedRow>, file = 'weights'): { records: (WeightRow & { row: number })[]; problems: SuppliedProblem[] } {
  return parseWith(WeightRow, file, rows, (r) => r.area_code, 'area');
}

/**
 * One period's national indicator counts from supplied rows: each supplied row as it is, plus
 * `combined` (and the national indicator) summed from their groups when not supplied themselves
 * but every group is. Rows of other periods are left out. Sorted by area_code, then indicator.
 * @example countsFromAggregates(records, '2014-04-01', ['opiate', 'non_opiate'])
 */
export function countsFromAggregates(rows: readonly AggregateCountRow[], periodStart: IsoDate, nationalGroups: readonly HpGroup[]): IndicatorCount[] {
  const byArea = new Map<string, Map<string, AggregateCountRow>>();
  for (const r of rows) {
    if (r.period_start !== periodStart) continue;
    let m = byArea.get(r.area_code);
    if (!m) byArea.set(r.area_code, (m = new Map()));
    m.set(r.indicator, r);
  }
  const national = nationalIndicatorName(nationalGroups);
  const derived: [string, HpGroup[]][] = [[COMBINED, ['opiate', 'non_opiate']]];
  if (national !== COMBINED && nationalGroups.length > 1) derived.push([national, [...nationalGroups]]);
  const out: IndicatorCount[] = [];
  for (const [area, m] of byArea) {
    const counts = new Map<string, IndicatorCount>();
    for (const r of m.values()) {
      counts.set(r.indicator, { area_code: area, indicator: r.indicator, period_start: periodStart, numerator: r.numerator, denominator: r.denominator, pending: 0, status: r.status });
    }
    for (const [name, groups] of derived) {
      if (counts.has(name)) continue;
      const parts = groups.map((g) => counts.get(g));
      if (parts.some((p) => p === undefined)) continue;
      const ps = parts as IndicatorCount[];
      const status: IndicatorStatus = ps.some((p) => p.status === 'provisional') ? 'provisional' : 'final';
      counts.set(name, {
        area_code: area,
        indicator: name,
        period_start: periodStart,
        numerator: ps.reduce((s, p) => s + p.numerator, 0),
        denominator: ps.reduce((s, p) => s + p.denominator, 0),
        pending: 0,
        status,
      });
    }
    out.push(...counts.values());
  }
  return out.sort((a, b) => compareCodePoint(a.area_code, b.area_code) || compareCodePoint(a.indicator, b.indicator));
}

/** One area's local indicator in the baseline and current periods. */
export interface LocalIndicator {
  area_code: string;
  /** The indicator's own name, as supplied. */
  indicator: string;
  direction: Direction;
  baseline: { measure: Measure; status: IndicatorStatus } | undefined;
  current: { measure: Measure; status: IndicatorStatus } | undefined;
}

/**
 * Each area's local indicator for the two periods from supplied rows. An area has one local
 * indicator, with one direction and one kind (counts or value) across both periods; anything
 * else is a problem (reported against the later row). Rows of other periods are left out.
 * Sorted by area_code.
 * @example localIndicatorsFrom(records, '2013-04-01', '2014-04-01')
 */
export function localIndicatorsFrom(
  rows: readonly (LocalIndicatorRow & { row?: number })[],
  baselineStart: IsoDate,
  currentStart: IsoDate,
  file = 'local',
): { indicators: LocalIndicator[]; problems: SuppliedProblem[] } {
  const problems: SuppliedProblem[] = [];
  const byArea = new Map<string, LocalIndicator>();
  const sorted = [...rows]
    .filter((r) => r.period_start === baselineStart || r.period_start === currentStart)
    .sort((a, b) => compareCodePoint(a.area_code, b.area_code) || compareCodePoint(a.period_start, b.period_start) || compareCodePoint(a.indicator, b.indicator));
  for (const r of sorted) {
    const measure: Measure =
      r.value !== undefined ? { kind: 'value', value: r.value } : { kind: 'rate', numerator: r.numerator!, denominator: r.denominator! };
    const figure = { measure, status: r.status };
    const had = byArea.get(r.area_code);
    if (!had) {
      byArea.set(r.area_code, {
        area_code: r.area_code,
        indicator: r.indicator,
        direction: r.direction,
        baseline: r.period_start === baselineStart ? figure : undefined,
        current: r.period_start === currentStart ? figure : undefined,
      });
      continue;
    }
    const row = r.row ?? 0;
    const other = had.baseline ?? had.current;
    if (had.indicator !== r.indicator) {
      problems.push({ file, row, field: 'indicator', value: r.indicator, reason: `area ${r.area_code} already has local indicator '${had.indicator}'; each area is judged on one local indicator` });
    } else if (had.direction !== r.direction) {
      problems.push({ file, row, field: 'direction', value: r.direction, reason: `the direction of '${r.indicator}' must be the same in both periods (${had.direction} elsewhere)` });
    } else if (other && other.measure.kind !== measure.kind) {
      problems.push({ file, row, field: 'value', value: r.value ?? '', reason: `'${r.indicator}' must be given the same way (counts or a value) in both periods` });
    } else if (r.period_start === baselineStart) had.baseline = figure;
    else had.current = figure;
  }
  return { indicators: [...byArea.values()], problems };
}
