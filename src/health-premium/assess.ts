/**
 * The Health Premium assessment (R-HP-3, R-HP-4): judge each area's national and local indicator,
 * combine them as the scheme says, and share the pot among the areas that earn it, to the penny.
 * Works the same on indicators computed from episode data (R-HP-1) and on supplied figures (R-HP-2).
 * @module
 */
import { Decimal } from 'decimal.js';
import { RecoveryPbrError } from '../errors.js';
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import type { HealthPremium, HpGroup } from '../schema/scheme/health-premium.js';
import { allocatePot } from './allocate.js';
import type { LocalIndicator } from './aggregate.js';
import { formatMeasure, judgeImprovement, judgeNoFall, type Judgement, type Measure } from './eligibility.js';
import { nationalIndicatorName, type IndicatorCount, type IndicatorStatus } from './indicators.js';
import { wilsonInterval } from './stats.js';

const D = Decimal.clone({ precision: 60 });

/** The role of a `health_premium.csv` row. */
export type RowRole = 'national' | 'local' | 'group';

/** Status of a row: `not_supplied` when a period's figures are missing. */
export type RowStatus = IndicatorStatus | 'not_supplied';

/** One period's figures on a row. */
export interface RowFigures {
  numerator: number | undefined;
  denominator: number | undefined;
  /** Rate (numerator/denominator) or supplied value, 6 places half-up; blank for 0 out of 0. */
  rate: string | undefined;
  /** Wilson interval of the rate at the scheme's `intervalLevel` (rates only). */
  lower: string | undefined;
  upper: string | undefined;
  /** Completions whose follow-up is still open at asOf (computed indicators only). */
  pending: number;
  status: IndicatorStatus;
}

/** One row of `health_premium.csv`, with the reason behind it. */
export interface HealthPremiumRow {
  area_code: string;
  indicator: string;
  role: RowRole;
  baseline: RowFigures | undefined;
  current: RowFigures | undefined;
  status: RowStatus;
  /** Whether the area earns on this indicator (after combining); blank on group rows (not judged on their own). */
  eligible: boolean | undefined;
  /** What the area earned on this indicator, pounds with 2 places. */
  allocation: string;
  /** Why, in plain English. */
  reason: string;
  /** The indicator's own judgement (national and local rows). */
  judgement: Judgement | undefined;
}

/** One area's result. */
export interface AreaResult {
  area_code: string;
  /** The national indicator's own judgement (threshold, test, no-fall groups). */
  national_eligible: boolean;
  /** The local indicator's own judgement; undefined when no local data was supplied at all. */
  local_eligible: boolean | undefined;
  earns_national: boolean;
  earns_local: boolean;
  /** The area's weight in the sharing (R-HP-4). */
  weight: string;
  national_allocation: string;
  local_allocation: string;
  total: string;
  reason: string;
}

/** The whole assessment. */
export interface HealthPremiumResult {
  baseline_start: IsoDate;
  current_start: IsoDate;
  national_indicator: string;
  pot: string;
  combine: HealthPremium['combine'];
  weight: HealthPremium['weight'];
  /** The split actually used: all national when no local indicator was supplied. */
  split: { national: string; local: string };
  /** The two parts of the pot. */
  parts: { national: string; local: string };
  local_supplied: boolean;
  rows: HealthPremiumRow[];
  areas: AreaResult[];
  /** Sum of the allocations. */
  paid: string;
  /** Parts of the pot no area earned (R-HP-4, for summary.json). */
  unallocated: { national: string; local: string; total: string };
  /** True when any figure the judgement used is provisional. */
  provisional: boolean;
  notes: string[];
}

/** Inputs of {@link assessHealthPremium}. */
export interface AssessInput {
  hp: HealthPremium;
  baselineStart: IsoDate;
  currentStart: IsoDate;
  /** National group indicators (computed or supplied) of the two periods. */
  baseline: readonly IndicatorCount[];
  current: readonly IndicatorCount[];
  /** Local indicators per area (empty or absent: none supplied). */
  local?: readonly LocalIndicator[];
  /** Weights per area, for `weight: supplied`. */
  weights?: ReadonlyMap<string, string>;
}


const ZERO = '0.00';

function figuresOf(m: Measure, status: IndicatorStatus, pending: number, level: string): RowFigures {
  const rate = formatMeasure(m);
  if (m.kind === 'value') return { numerator: undefined, denominator: undefined, rate, lower: undefined, upper: undefined, pending, status };
  const w = wilsonInterval(m.numerator, m.denominator, level);
  return {
    numerator: m.numerator,
    denominator: m.denominator,
    rate,
    lower: w?.lower.toFixed(6, Decimal.ROUND_HALF_UP),
    upper: w?.upper.toFixed(6, Decimal.ROUND_HALF_UP),
    pending,
    status,
  };
}

const rateOf = (c: IndicatorCount | undefined): Measure | undefined =>
  c ? { kind: 'rate', numerator: c.numerator, denominator: c.denominator } : undefined;

function rowStatus(b: { status: IndicatorStatus } | undefined, c: { status: IndicatorStatus } | undefined): RowStatus {
  if (!b || !c) return 'not_supplied';
  return b.status === 'provisional' || c.status === 'provisional' ? 'provisional' : 'final';
}

function label(indicator: string): string {
  return indicator.replace(/_/g, '-');
}

/**
 * Judges every area and shares the pot (R-HP-3, R-HP-4). The national indicator must reach its
 * threshold (and test), and none of its `noFallIn` groups may fall; the local indicator is judged
 * by `hp.local` (the national rule when absent). With no local data at all the whole pot is judged
 * on the national indicator. `combine`: `separate` — each part of the pot goes to the areas eligible
 * on that indicator; `both` — only areas eligible on both earn (each part); `either` — areas
 * eligible on at least one earn both parts. Each part is shared pro rata to the weight by
 * largest remainder, to the penny; a part no area earns is unallocated. Rows sorted by area_code,
 * then indicator (code point).
 * @example
 * const r = assessHealthPremium({ hp, baselineStart: '2013-04-01', currentStart: '2014-04-01', baseline, current });
 * r.rows.filter((x) => x.role === 'national').map((x) => [x.area_code, x.eligible, x.allocation]);
 */
export function assessHealthPremium(input: AssessInput): HealthPremiumResult {
  const { hp } = input;
  const level = hp.intervalLevel;
  const nationalName = nationalIndicatorName(hp.national.groups);
  const notes: string[] = [];
  const key = (c: IndicatorCount) => `${c.area_code}\u0000${c.indicator}`;
  const base = new Map(input.baseline.map((c) => [key(c), c]));
  const curr = new Map(input.current.map((c) => [key(c), c]));
  const local = new Map((input.local ?? []).map((l) => [l.area_code, l]));
  const localSupplied = local.size > 0;
  const areaSet = new Set<string>([...input.baseline, ...input.current].map((c) => c.area_code));
  for (const a of local.keys()) areaSet.add(a);
  const areas = [...areaSet].sort(compareCodePoint);
  const localRule = hp.local ?? { threshold: hp.national.threshold, significance: hp.national.significance };
  if (!localSupplied) notes.push('No local indicator data was supplied, so the whole pot is judged on the national indicator.');
  else if (!hp.local) notes.push("The scheme has no rule for the local indicator, so it is judged by the national indicator's threshold and test.");

  const rows: HealthPremiumRow[] = [];
  const judged = new Map<string, { national: Judgement & { noFall: string[] }; local: Judgement | undefined }>();
  for (const area of areas) {
    const get = (m: Map<string, IndicatorCount>, indicator: string) => m.get(`${area}\u0000${indicator}`);
    // National indicator: threshold (and test), then the groups that must not fall.
    const nb = get(base, nationalName);
    const nc = get(curr, nationalName);
    const j = judgeImprovement(rateOf(nb), rateOf(nc), hp.national, 'higher', `${label(nationalName)} (national)`);
    const noFall = hp.national.noFallIn.map((g: HpGroup) => judgeNoFall(rateOf(get(base, g)), rateOf(get(curr, g)), label(g)));
    const nationalOk = j.eligible && noFall.every((n) => n.holds);
    const nationalReason = [j.reason, ...(noFall.length ? [`Also ${noFall.map((n) => n.reason).join('; ')}.`] : [])].join(' ');
    judged.set(area, {
      national: { ...j, eligible: nationalOk, reason: nationalReason, noFall: noFall.map((n) => n.reason) },
      local: undefined,
    });
    // Every indicator row supplied or computed for the area (group rows are shown, not judged).
    const names = new Set<string>();
    for (const m of [base, curr]) for (const c of m.values()) if (c.area_code === area) names.add(c.indicator);
    names.add(nationalName);
    for (const indicator of names) {
      const b = get(base, indicator);
      const c = get(curr, indicator);
      const isNational = indicator === nationalName;
      const inNoFall = hp.national.noFallIn.find((g) => g === indicator);
      rows.push({
        area_code: area,
        indicator,
        role: isNational ? 'national' : 'group',
        baseline: b ? figuresOf(rateOf(b)!, b.status, b.pending, level) : undefined,
        current: c ? figuresOf(rateOf(c)!, c.status, c.pending, level) : undefined,
        status: rowStatus(b, c),
        eligible: undefined,
        allocation: ZERO,
        reason: isNational
          ? nationalReason
          : inNoFall
            ? `Not judged on its own: the national indicator needs this rate not to fall (${noFall[hp.national.noFallIn.indexOf(inNoFall)]!.reason}).`
            : 'Not judged on its own: shown for information.',
        judgement: isNational ? j : undefined,
      });
    }
    if (localSupplied) {
      const l = local.get(area);
      if (!l) {
        judged.get(area)!.local = { eligible: false, target: undefined, test: undefined, reason: 'No local indicator was supplied for this area.' };
        rows.push({
          area_code: area,
          indicator: 'local',
          role: 'local',
          baseline: undefined,
          current: undefined,
          status: 'not_supplied',
          eligible: undefined,
          allocation: ZERO,
          reason: 'No local indicator was supplied for this area.',
          judgement: undefined,
        });
      } else {
        const lj = judgeImprovement(l.baseline?.measure, l.current?.measure, localRule, l.direction, `local indicator '${l.indicator}' (${l.direction} is better)`);
        judged.get(area)!.local = lj;
        rows.push({
          area_code: area,
          // Its own name, beside the national indicators (SPEC §4 v3); the parser refuses names that clash.
          indicator: l.indicator,
          role: 'local',
          baseline: l.baseline ? figuresOf(l.baseline.measure, l.baseline.status, 0, level) : undefined,
          current: l.current ? figuresOf(l.current.measure, l.current.status, 0, level) : undefined,
          status: rowStatus(l.baseline, l.current),
          eligible: undefined,
          allocation: ZERO,
          reason: lj.reason,
          judgement: lj,
        });
      }
    }
  }

  // Combine the two judgements (R-HP-3) into what each area earns.
  const earns = new Map<string, { national: boolean; local: boolean }>();
  for (const area of areas) {
    const j = judged.get(area)!;
    const n = j.national.eligible;
    const l = j.local?.eligible ?? false;
    if (!localSupplied) earns.set(area, { national: n, local: false });
    else if (hp.combine === 'separate') earns.set(area, { national: n, local: l });
    else if (hp.combine === 'both') earns.set(area, { national: n && l, local: n && l });
    else earns.set(area, { national: n || l, local: n || l });
  }

  // Weights (R-HP-4).
  const weightOf = new Map<string, string>();
  const missing: string[] = [];
  for (const area of areas) {
    if (hp.weight === 'equal') weightOf.set(area, '1');
    else if (hp.weight === 'denominator') weightOf.set(area, String(curr.get(`${area}\u0000${nationalName}`)?.denominator ?? 0));
    else {
      const w = input.weights?.get(area);
      if (w === undefined) {
        const e = earns.get(area)!;
        if (e.national || e.local) missing.push(area);
        weightOf.set(area, '0');
      } else weightOf.set(area, new D(w).toFixed());
    }
  }
  if (missing.length > 0) {
    throw new RecoveryPbrError(
      'health_premium_input',
      `the scheme shares the pot by supplied weights, but no weight was supplied for eligible area${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; add ${missing.length > 1 ? 'them' : 'it'} to the weights file`,
    );
  }

  // The two parts of the pot, then each part among the areas that earn it.
  const split = localSupplied ? { national: new D(hp.split.national).toFixed(), local: new D(hp.split.local).toFixed() } : { national: '1', local: '0' };
  // The national part is pot × its share, rounded half-up to the penny; the local part is the rest,
  // so the two always add up to the pot.
  const nationalPart = new D(hp.pot).times(split.national).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const parts = { national: nationalPart.toFixed(2), local: new D(hp.pot).minus(nationalPart).toFixed(2) };
  const share = (part: 'national' | 'local') => {
    const claimants = areas.filter((a) => earns.get(a)![part]).map((a) => ({ key: a, weight: weightOf.get(a)! }));
    const got = new D(parts[part]).isZero() ? new Map<string, string>() : allocatePot(parts[part], claimants);
    if (claimants.length > 0 && got.size === 0 && !new D(parts[part]).isZero()) {
      notes.push(`Every area that earned the ${part} part has weight 0, so it is not paid out.`);
    }
    return got;
  };
  const nationalShares = share('national');
  const localShares = share('local');
  const sum = (m: Map<string, string>) => [...m.values()].reduce((s, v) => s.plus(v), new D(0));
  const unNational = new D(parts.national).minus(sum(nationalShares));
  const unLocal = new D(parts.local).minus(sum(localShares));
  if (unNational.gt(0)) notes.push(`No area earned the national part (£${unNational.toFixed(2)}); it is not paid out.`);
  if (localSupplied && unLocal.gt(0)) notes.push(`No area earned the local part (£${unLocal.toFixed(2)}); it is not paid out.`);

  // Fill in the rows and the areas.
  const areaResults: AreaResult[] = [];
  for (const area of areas) {
    const e = earns.get(area)!;
    const j = judged.get(area)!;
    const na = nationalShares.get(area) ?? ZERO;
    const la = localShares.get(area) ?? ZERO;
    const w = weightOf.get(area)!;
    const why = areaReason(hp, localSupplied, j.national.eligible, j.local?.eligible, e, w);
    for (const r of rows) {
      if (r.area_code !== area) continue;
      if (r.role === 'national') {
        r.eligible = e.national;
        r.allocation = na;
        r.reason = `${r.reason} ${why.national}`.trim();
      } else if (r.role === 'local') {
        r.eligible = e.local;
        r.allocation = la;
        r.reason = `${r.reason} ${why.local}`.trim();
      }
    }
    areaResults.push({
      area_code: area,
      national_eligible: j.national.eligible,
      local_eligible: localSupplied ? (j.local?.eligible ?? false) : undefined,
      earns_national: e.national,
      earns_local: e.local,
      weight: w,
      national_allocation: na,
      local_allocation: la,
      total: new D(na).plus(la).toFixed(2),
      reason: why.area,
    });
  }
  rows.sort((a, b) => compareCodePoint(a.area_code, b.area_code) || compareCodePoint(a.indicator, b.indicator));
  const paid = sum(nationalShares).plus(sum(localShares));
  // Provisional when a figure the judgement used is: the national and local rows, and the no-fall groups.
  const used = new Set<string>([nationalName, ...hp.national.noFallIn]);
  const provisional = rows.some((r) => r.status === 'provisional' && (r.role !== 'group' || used.has(r.indicator)));
  if (provisional) notes.push('Some figures are provisional (a follow-up window is still open, or a period is not over); eligibility and allocations may change.');
  return {
    baseline_start: input.baselineStart,
    current_start: input.currentStart,
    national_indicator: nationalName,
    pot: new D(hp.pot).toFixed(2),
    combine: hp.combine,
    weight: hp.weight,
    split,
    parts,
    local_supplied: localSupplied,
    rows,
    areas: areaResults,
    paid: paid.toFixed(2),
    unallocated: { national: unNational.toFixed(2), local: unLocal.toFixed(2), total: unNational.plus(unLocal).toFixed(2) },
    provisional,
    notes,
  };
}

function areaReason(
  hp: HealthPremium,
  localSupplied: boolean,
  nationalOk: boolean,
  localOk: boolean | undefined,
  e: { national: boolean; local: boolean },
  weight: string,
): { national: string; local: string; area: string } {
  const zeroWeight = new D(weight).isZero() && (e.national || e.local) ? ` Its weight is 0 (${hp.weight}), so its share is 0.` : '';
  if (!localSupplied) {
    const s = nationalOk ? `Eligible: it shares the whole pot by ${hp.weight}.${zeroWeight}` : 'Not eligible.';
    return { national: s, local: '', area: `${nationalOk ? 'Eligible' : 'Not eligible'} on the national indicator (no local indicator data, so the whole pot is judged on it).${zeroWeight}` };
  }
  const yn = (b: boolean | undefined) => (b ? 'eligible' : 'not eligible');
  const both = `national ${yn(nationalOk)}, local ${yn(localOk)}`;
  let national: string;
  let local: string;
  if (hp.combine === 'separate') {
    national = nationalOk ? 'Eligible for the national part.' : 'Not eligible for the national part.';
    local = localOk ? 'Eligible for the local part.' : 'Not eligible for the local part.';
  } else if (hp.combine === 'both') {
    const s = e.national ? 'Eligible: both indicators improved enough.' : `Not paid: the scheme needs both indicators to improve (${both}).`;
    national = s;
    local = s;
  } else {
    const s = e.national ? `Eligible: at least one indicator improved enough (${both}), which earns both parts.` : `Not paid: neither indicator improved enough.`;
    national = s;
    local = s;
  }
  const earned = e.national || e.local;
  return {
    national: national + (e.national ? zeroWeight : ''),
    local: local + (e.local ? zeroWeight : ''),
    area: `${both}; combined as '${hp.combine}': ${earned ? `earns ${[e.national ? 'the national part' : '', e.local ? 'the local part' : ''].filter(Boolean).join(' and ')}` : 'earns nothing'}.${zeroWeight}`,
  };
}
