/**
 * Health premium outputs: `health_premium.csv` (SPEC §4 columns), `health_premium_segments.csv`,
 * the JSON document with the reason behind every row, and the terminal summary.
 * Rates are printed with 6 decimal places (half-up), money with 2; judgements use exact figures.
 * @module
 */
import { Decimal } from 'decimal.js';
import { csvLine, toCsv } from '../output/csv.js';
import type { HealthPremiumResult, HealthPremiumRow, RowFigures } from './assess.js';
import { formatMeasure } from './eligibility.js';
import type { IndicatorCount } from './indicators.js';
import type { SegmentRow } from './segments.js';
import { wilsonInterval } from './stats.js';

/** Columns of `health_premium.csv` (SPEC §4), in order. */
export const HEALTH_PREMIUM_COLUMNS = [
  'area_code',
  'indicator',
  'baseline_numerator',
  'baseline_denominator',
  'baseline_rate',
  'current_numerator',
  'current_denominator',
  'current_rate',
  'status',
  'eligible',
  'allocation',
] as const;

/** Columns of `health_premium_segments.csv`. */
export const SEGMENT_COLUMNS = [
  'area_code',
  'segment',
  'indicator',
  'baseline_numerator',
  'baseline_denominator',
  'baseline_rate',
  'baseline_lower',
  'baseline_upper',
  'current_numerator',
  'current_denominator',
  'current_rate',
  'current_lower',
  'current_upper',
  'status',
] as const;

type Cell = string | number | undefined;

/**
 * `health_premium.csv`: one row per area and indicator, sorted by area_code then indicator; the
 * allocation column sums to what was paid out. `eligible` is blank on rows not judged on their own.
 * @example healthPremiumCsv(result).split('\n')[0] // 'area_code,indicator,baseline_numerator,…,allocation'
 */
export function healthPremiumCsv(result: HealthPremiumResult): string {
  return toCsv<Record<(typeof HEALTH_PREMIUM_COLUMNS)[number], Cell>>(
    HEALTH_PREMIUM_COLUMNS,
    result.rows.map((r) => ({
      area_code: r.area_code,
      indicator: r.indicator,
      baseline_numerator: r.baseline?.numerator,
      baseline_denominator: r.baseline?.denominator,
      baseline_rate: r.baseline?.rate,
      current_numerator: r.current?.numerator,
      current_denominator: r.current?.denominator,
      current_rate: r.current?.rate,
      status: r.status,
      eligible: r.eligible === undefined ? undefined : String(r.eligible),
      allocation: r.allocation,
    })),
  );
}

function segmentFigures(c: IndicatorCount, level: string): { n: number; d: number; rate?: string; lower?: string; upper?: string } {
  const w = wilsonInterval(c.numerator, c.denominator, level);
  return {
    n: c.numerator,
    d: c.denominator,
    rate: formatMeasure({ kind: 'rate', numerator: c.numerator, denominator: c.denominator }),
    lower: w?.lower.toFixed(6, Decimal.ROUND_HALF_UP),
    upper: w?.upper.toFixed(6, Decimal.ROUND_HALF_UP),
  };
}

/**
 * `health_premium_segments.csv`: segmented indicators with their Wilson intervals.
 * @example healthPremiumSegmentsCsv(segments, '0.95')
 */
export function healthPremiumSegmentsCsv(segments: readonly SegmentRow[], level: string): string {
  const parts = [csvLine(SEGMENT_COLUMNS)];
  for (const s of segments) {
    const b = segmentFigures(s.baseline, level);
    const c = segmentFigures(s.current, level);
    const status = s.baseline.status === 'provisional' || s.current.status === 'provisional' ? 'provisional' : 'final';
    parts.push(csvLine([s.area_code, s.segment, s.indicator, b.n, b.d, b.rate, b.lower, b.upper, c.n, c.d, c.rate, c.lower, c.upper, status]));
  }
  return parts.join('');
}

function figuresJson(f: RowFigures | undefined): Record<string, unknown> | null {
  if (!f) return null;
  return {
    numerator: f.numerator ?? null,
    denominator: f.denominator ?? null,
    rate: f.rate ?? null,
    lower: f.lower ?? null,
    upper: f.upper ?? null,
    pending: f.pending,
    status: f.status,
  };
}

function rowJson(r: HealthPremiumRow): Record<string, unknown> {
  const j = r.judgement;
  return {
    area_code: r.area_code,
    indicator: r.indicator,
    role: r.role,
    status: r.status,
    eligible: r.eligible ?? null,
    allocation: r.allocation,
    reason: r.reason,
    baseline: figuresJson(r.baseline),
    current: figuresJson(r.current),
    target: j?.target ?? null,
    test: j?.test
      ? {
          z: j.test.z ? j.test.z.toFixed(6, Decimal.ROUND_HALF_UP) : null,
          p_value: j.test.pValue ? j.test.pValue.toSignificantDigits(6).toString() : null,
          significant: j.test.significant,
          note: j.test.note ?? null,
        }
      : null,
  };
}

/** Facts about the run for the JSON document. */
export interface HealthPremiumRunInfo {
  scheme: { id: string; version: string };
  as_of: string;
  /** Where the national figures came from. */
  source: 'episodes' | 'counts';
  interval_level: string;
}

/**
 * The JSON document: the assessment with every row's reason, each area's result, segments and the
 * amounts `summary.json` needs (paid, unallocated, provisional). Deterministic key order.
 * @example JSON.parse(healthPremiumJson(result, segments, info)).unallocated.total
 */
export function healthPremiumJson(result: HealthPremiumResult, segments: readonly SegmentRow[], info: HealthPremiumRunInfo): string {
  const doc = {
    scheme: info.scheme,
    baseline_start: result.baseline_start,
    current_start: result.current_start,
    as_of: info.as_of,
    source: info.source,
    national_indicator: result.national_indicator,
    pot: result.pot,
    split: result.split,
    parts: result.parts,
    combine: result.combine,
    weight: result.weight,
    local_supplied: result.local_supplied,
    paid: result.paid,
    unallocated: result.unallocated,
    provisional: result.provisional,
    interval_level: info.interval_level,
    notes: result.notes,
    areas: result.areas,
    rows: result.rows.map(rowJson),
    segments: segments.map((s) => {
      const b = segmentFigures(s.baseline, info.interval_level);
      const c = segmentFigures(s.current, info.interval_level);
      return {
        area_code: s.area_code,
        segment: s.segment,
        indicator: s.indicator,
        baseline: { numerator: b.n, denominator: b.d, rate: b.rate ?? null, lower: b.lower ?? null, upper: b.upper ?? null, status: s.baseline.status },
        current: { numerator: c.n, denominator: c.d, rate: c.rate ?? null, lower: c.lower ?? null, upper: c.upper ?? null, status: s.current.status },
      };
    }),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Pounds with thousands separators for the terminal: 2500000 → '2,500,000.00'. */
function pounds(s: string): string {
  const [whole, frac = '00'] = s.split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0')}`;
}

function rateText(f: RowFigures | undefined): string {
  if (!f) return 'not supplied';
  if (f.rate === undefined) return '0/0';
  return f.numerator === undefined ? f.rate : `${f.rate} (${f.numerator}/${f.denominator})`;
}

/**
 * A plain-text summary for the terminal: the judged rows of each area with the reason, then the
 * amounts and notes.
 * @example io.stdout(healthPremiumText(result, info))
 */
export function healthPremiumText(result: HealthPremiumResult, info: HealthPremiumRunInfo): string {
  const lines: string[] = [];
  lines.push(
    `Health premium — scheme ${info.scheme.id} ${info.scheme.version}; baseline period from ${result.baseline_start}, current period from ${result.current_start}; as of ${info.as_of}`,
  );
  lines.push(
    `National indicator: ${result.national_indicator} (from ${info.source === 'episodes' ? 'episode data' : 'supplied counts'}). Pot £${pounds(result.pot)}: national £${pounds(result.parts.national)}, local £${pounds(result.parts.local)}; combine '${result.combine}', weight '${result.weight}'.`,
  );
  lines.push('');
  for (const r of result.rows) {
    if (r.role === 'group') continue;
    const verdict = r.eligible ? `eligible, £${pounds(r.allocation)}` : 'not eligible';
    lines.push(`${r.area_code}  ${r.indicator}: ${rateText(r.baseline)} → ${rateText(r.current)} [${r.status}] ${verdict}`);
    lines.push(`    ${r.reason}`);
  }
  lines.push('');
  lines.push(`Paid £${pounds(result.paid)}; unallocated £${pounds(result.unallocated.total)}.`);
  for (const n of result.notes) lines.push(`Note: ${n}`);
  return lines.join('\n') + '\n';
}

/** The `health_premium` section of `summary.json`. */
export interface HealthPremiumSummary {
  baseline_start: string;
  current_start: string;
  national_indicator: string;
  local_supplied: boolean;
  pot: string;
  parts: { national: string; local: string };
  paid: string;
  /** Parts of the pot no area earned (R-HP-4). */
  unallocated: { national: string; local: string; total: string };
  /** True when any figure the judgement used is provisional (R-HP-1). */
  provisional: boolean;
  /** Areas whose national / local row is provisional (code point order). */
  provisional_areas: string[];
  areas: number;
  /** Areas paid something on each part. */
  paid_areas: { national: number; local: number };
  notes: string[];
}

/**
 * The `health_premium` section of `summary.json`: amounts paid and unallocated, provisional flags.
 * @example summary.health_premium = healthPremiumSummary(result)
 */
export function healthPremiumSummary(result: HealthPremiumResult): HealthPremiumSummary {
  const provisionalAreas = [...new Set(result.rows.filter((r) => r.role !== 'group' && r.status === 'provisional').map((r) => r.area_code))];
  return {
    baseline_start: result.baseline_start,
    current_start: result.current_start,
    national_indicator: result.national_indicator,
    local_supplied: result.local_supplied,
    pot: result.pot,
    parts: result.parts,
    paid: result.paid,
    unallocated: result.unallocated,
    provisional: result.provisional,
    provisional_areas: provisionalAreas,
    areas: result.areas.length,
    paid_areas: {
      national: result.areas.filter((a) => a.earns_national && a.national_allocation !== '0.00').length,
      local: result.areas.filter((a) => a.earns_local && a.local_allocation !== '0.00').length,
    },
    notes: result.notes,
  };
}
