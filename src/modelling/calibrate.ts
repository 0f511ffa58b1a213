/**
 * Price calibration: find outcome prices so that payments on historical data meet a target
 * exactly, to the penny — the way the pilots set prices from historical outcome rates.
 *
 * Method. Prices are `shape × factor`, each rounded to the penny with the scheme's rounding mode
 * (a price in a scheme is pounds and pence). The shape keeps relativities:
 * - `keep: 'all'` (default): shape = the scheme's own outcome prices — one factor on all of them.
 * - `keep: 'band'`: the band relativities of each outcome are kept, and within a band the ratios
 *   between outcomes too, except as `weights.outcomes` re-weights them: a weight multiplies the
 *   outcome's prices before the common factor (2 = twice as much relative to the others; default
 *   1, so without weights this is `all`).
 * - `keep: 'outcome'`: each outcome keeps its mean price across bands (so the ratios between
 *   outcomes are kept), and the bands are re-weighted by `weights.bands` (default 1 each: the
 *   same price in every band).
 * Which items are paid does not depend on prices (outcome decisions never do), so the engine runs
 * once and the payment rules' statuses are gathered once, client by client, into compact payable
 * items ({@link PayableSummary}); only outcome items are re-priced. The measured total T(factor) (outcome payments, or all
 * payments with `of: 'total'`; one provider's or everyone's) never falls as the factor rises, even
 * with caps, but it moves in steps: each price moves a penny at a time and is paid on many items.
 * Bisection on the factor (exact decimals, 60 digits) finds the step where T first reaches the
 * target. If T there equals the target, the prices hit it to the penny; the factor reported is the
 * shortest decimal giving the same prices. Otherwise no factor can hit it, and (unless `nudge` is
 * false) a few prices are moved by one penny off their proportional value: from the step below,
 * the fewest prices whose paid-item counts add up to the missing pence are raised a penny (or,
 * from the step above, lowered), chosen by a subset-sum over the counts (ties: the prices listed
 * first, outcome then band order), and the result is checked by recomputing the payments. When
 * that also fails, the nearest achievable totals below and above are reported, with the prices,
 * the factors and which prices step there.
 * Without caps T is computed directly as Σ count × price; with caps each step re-applies them in
 * one pass over the items under a cap, whose order and statuses do not depend on prices.
 *
 * The calibrated scheme is honest about what it is ({@link calibratedScheme},
 * {@link calibratedSchemeDocument}): a new id (`<id>-calibrated`), a version with build metadata
 * (`<version>+calibrated.<asOf as YYYYMMDD>.<fingerprint>`), and each changed price with provenance
 * `calibrated` saying from what, by which factor, to which target, on which data and asOf.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import { evaluateDataset } from '../engine/index.js';
import { RecoveryPbrError } from '../errors.js';
import { Dec, ZERO, decimal, formatMoney, formatPounds, fromPence, isWholePence, money, roundToPenny, toPence, type Decimal, type DecimalInput } from '../money/amount.js';
import { termsFor, type PaymentScheme } from '../payments/index.js';
import type { PaymentInput } from '../payments/types.js';
import type { Dataset } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import { calibratedScheme } from './calibrated-scheme.js';
import { summarisePayables, type PayableSummary } from './payables.js';

/** What to calibrate and to which target. */
export interface CalibrationOptions {
  asOf: IsoDate;
  /** The budget to meet, in pounds (e.g. `"250000.00"`). */
  target: DecimalInput;
  /** Calibrate to this provider's payments only (default: all providers). */
  provider?: string;
  /** Which payments the target is on: `outcome` payments (default) or `total` (every payment type, the others held as they are). */
  of?: 'outcome' | 'total';
  /** What identifies the data calibrated on (e.g. `sha256:…` of the input files); written into the provenance of each calibrated price. */
  data?: string;
  /** Which relativities of the prices are kept (see the module notes); default `all`. */
  keep?: 'all' | 'band' | 'outcome';
  /** Weights for `keep: 'band'` (outcomes) or `keep: 'outcome'` (bands). */
  weights?: { outcomes?: Readonly<Record<string, DecimalInput>>; bands?: Readonly<Record<string, DecimalInput>> };
  /** Outcome ids whose prices are calibrated (default: every outcome priced in the tariff). */
  outcomes?: readonly string[];
  /**
   * When no single factor meets the target, move a few prices by one penny to meet it exactly
   * (default true). With false, only the factor is searched and the nearest totals are reported.
   */
  nudge?: boolean;
}

/** A price moved by one penny off its proportional value to meet the target exactly. */
export interface Nudge {
  outcome_id: string;
  band: string;
  from: string;
  to: string;
  /** Paid items at this price in the measured scope: the pence it moves the total by. */
  count: number;
}

/** Prices by outcome and band, as money strings (`"1234.56"`). */
export type PriceTable = Record<string, Record<string, string>>;

/** A factor, the prices it gives and the measured total they earn. */
export interface PricePoint {
  factor: Decimal;
  prices: PriceTable;
  amount: Decimal;
  /** Prices moved by a penny off `round(shape × factor)` to meet the target exactly (none when the factor alone does). */
  nudged: Nudge[];
}

/** What calibration found. */
export interface CalibrationResult {
  /** The data as known on this day. */
  asOf: IsoDate;
  target: Decimal;
  of: 'outcome' | 'total';
  provider: string | undefined;
  keep: 'all' | 'band' | 'outcome';
  /** The outcomes whose prices were calibrated. */
  outcomes: string[];
  /** What identifies the data (as given in the options). */
  data: string | undefined;
  /** True when prices were found that meet the target to the penny. */
  exact: boolean;
  /** The prices that meet the target (exact), else the nearer of below/above (below on a tie: never over budget). */
  best: PricePoint | undefined;
  /** When not exact: the nearest achievable total below the target, and above it. */
  below: PricePoint | undefined;
  above: PricePoint | undefined;
  /** Why the target cannot be met exactly (when not exact). */
  reason: string | undefined;
  /** Prices at factor 1 (unrounded): the relativities kept. */
  shape: Record<string, Record<string, Decimal>>;
  /** Paid outcome items per outcome and band in the measured scope (at the best prices). */
  counts: Record<string, Record<string, number>>;
  /** The scheme with the best prices in place, as {@link calibratedScheme} makes it (undefined when none can be set). */
  scheme: Scheme | undefined;
}

type Key = string; // outcome \u0000 band
const keyOf = (o: string, b: string): Key => `${o}\u0000${b}`;

function mean(values: Decimal[]): Decimal {
  return values.length === 0 ? ZERO : values.reduce((s, v) => s.plus(v), ZERO).dividedBy(values.length);
}

/**
 * The shape (prices at factor 1) for a keep mode.
 * @example priceShape(scheme.tariff, ['free-from-dependence'], 'all')
 */
export function priceShape(
  tariff: NonNullable<Scheme['tariff']>,
  outcomes: readonly string[],
  keep: 'all' | 'band' | 'outcome',
  weights: CalibrationOptions['weights'] = {},
): Record<string, Record<string, Decimal>> {
  const shape: Record<string, Record<string, Decimal>> = {};
  for (const o of outcomes) {
    const base = tariff.outcomes[o] ?? {};
    const m = mean(tariff.bands.map((b) => money(base[b] ?? '0')));
    shape[o] = {};
    for (const b of tariff.bands) {
      const p = money(base[b] ?? '0');
      if (keep === 'all') shape[o]![b] = p;
      else if (keep === 'band') shape[o]![b] = decimal(weights.outcomes?.[o] ?? 1).times(p);
      else shape[o]![b] = m.times(decimal(weights.bands?.[b] ?? 1));
    }
  }
  return shape;
}

interface Evaluator {
  /** Measured total at these prices. */
  total(prices: Map<Key, Decimal>): Decimal;
  /** Paid outcome items per calibrated key in scope. */
  counts: Map<Key, number>;
}

/**
 * The measured total as a function of the calibrated prices, on compact payable items. Items no
 * cap covers add `count × price` (calibrated outcome items) or a constant (everything else); items
 * under a cap are re-cut on every evaluation, in their chronological order, in whole pence
 * (BigInt), as applyCaps does: the order and the statuses do not depend on prices.
 */
function makeEvaluator(summary: PayableSummary, scheme: PaymentScheme, keys: Set<Key>, provider: string | undefined, of: 'outcome' | 'total'): Evaluator {
  const tariff = scheme.tariff!;
  const inScope = (p: string) => provider === undefined || p === provider;
  const counts = new Map<Key, number>();
  const freeCounts = new Map<Key, number>();
  let constant = ZERO;
  for (const [p, f] of summary.free) {
    if (!inScope(p)) continue;
    for (const [k, n] of f.outcomes) {
      if (keys.has(k)) freeCounts.set(k, (freeCounts.get(k) ?? 0) + n);
      else {
        const [o, b] = k.split('\u0000') as [string, string];
        constant = constant.plus(roundToPenny(money(tariff.outcomes[o]![b]!), tariff.rounding).times(n));
      }
    }
    if (of === 'total') for (const a of f.other.values()) constant = constant.plus(a);
  }
  for (const [k, n] of freeCounts) counts.set(k, n);
  const keyList = [...keys];
  const keyIndex = new Map(keyList.map((k, i) => [k, i]));
  const groups = new Map<string, number>();
  const caps: bigint[] = [];
  const plan = summary.capped.map((it) => {
    const g = `${it.provider_id}\u0000${it.contract_year}`;
    if (!groups.has(g)) {
      groups.set(g, caps.length);
      caps.push(toPence(money(termsFor(scheme.contract, it.provider_id)!.cap!)));
    }
    const k = it.payment_type === 'outcome' ? keyOf(it.outcome_id, it.tariff_band) : undefined;
    const measured = inScope(it.provider_id) && (of === 'total' || it.payment_type === 'outcome');
    const key = k === undefined ? -1 : (keyIndex.get(k) ?? -1);
    if (key >= 0 && inScope(it.provider_id)) counts.set(k!, (counts.get(k!) ?? 0) + 1);
    return { key, base: toPence(it.amount), group: groups.get(g)!, measured };
  });
  const cut = (prices: Map<Key, Decimal>): bigint => {
    const pence = keyList.map((k) => toPence(prices.get(k)!));
    const room = [...caps];
    let t = 0n;
    for (const x of plan) {
      const amount = x.key >= 0 ? pence[x.key]! : x.base;
      const r = room[x.group]!;
      const paid = r > 0n ? (r < amount ? r : amount) : 0n;
      room[x.group] = r - paid;
      if (x.measured) t += paid;
    }
    return t;
  };
  // Without a calibrated item under a cap, the capped part does not move with prices.
  const repriced = plan.some((x) => x.key >= 0);
  const fixedCut = repriced ? undefined : fromPence(cut(new Map(keyList.map((k) => [k, ZERO]))));
  return {
    counts,
    total(prices) {
      let t = constant.plus(fixedCut ?? fromPence(cut(prices)));
      for (const [k, n] of freeCounts) t = t.plus(prices.get(k)!.times(n));
      return t;
    },
  };
}

/** The gap to close, as a count of one-penny steps (used as the subset-sum target; capped at 2,000,000 steps). */
function toPenceCount(d: Decimal): string {
  return d.times(100).toFixed(0);
}

/**
 * Indices of the fewest values that add up to `target` (0/1 subset sum; ties keep the earlier
 * values), or undefined when none do.
 * @example fewestSummingTo([4, 8, 8, 10], 20) // [0, 1, 2]
 * @example fewestSummingTo([5, 7, 13], 20) // [1, 2]
 */
export function fewestSummingTo(values: readonly number[], target: number): number[] | undefined {
  const INF = Number.MAX_SAFE_INTEGER;
  const best = new Array<number>(target + 1).fill(INF);
  const prevLayer: Int32Array[] = [];
  best[0] = 0;
  values.forEach((v, i) => {
    // Remember, per sum, which value index last improved it in this layer (for reconstruction).
    const layer = new Int32Array(target + 1).fill(-1);
    for (let s = target; s >= v; s--) {
      if (best[s - v]! !== INF && best[s - v]! + 1 < best[s]!) {
        best[s] = best[s - v]! + 1;
        layer[s] = i;
      }
    }
    prevLayer.push(layer);
  });
  if (best[target] === INF) return undefined;
  // Walk back through the layers: at layer i, if sum s was improved by value i, take it.
  const picked: number[] = [];
  let s = target;
  for (let i = values.length - 1; i >= 0 && s > 0; i--) {
    if (prevLayer[i]![s] === i) {
      picked.push(i);
      s -= values[i]!;
    }
  }
  return s === 0 ? picked.reverse() : undefined;
}

/** Calibration options for a {@link PayableSummary}: its asOf is the calibration's. */
export type SummaryCalibrationOptions = Omit<CalibrationOptions, 'asOf'> & { asOf?: IsoDate };

const optionsError = (message: string) => new RecoveryPbrError('options', message);

/**
 * Calibrates prices on the outcome engine's results (pure; see the module notes for the method).
 * @example calibratePrices({ clients }, scheme, { asOf: '2014-03-31', target: '250000.00' }).best?.prices
 */
export function calibratePrices(input: PaymentInput, scheme: Scheme, options: CalibrationOptions): CalibrationResult {
  return calibrateSummary(summarisePayables(input.clients, scheme, options.asOf), scheme, options);
}

/**
 * Runs the scheme on a dataset (outcomes decided once) and calibrates its outcome prices to a target.
 * @example calibrate(data, presetScheme('national-model-2012'), { asOf: '2014-03-31', target: '250000.00' })
 */
export function calibrate(data: Dataset, scheme: Scheme, options: CalibrationOptions): CalibrationResult {
  return calibratePrices(evaluateDataset(data, scheme, { asOf: options.asOf }), scheme, options);
}

/**
 * Calibrates prices on compact payable items gathered client by client (pure; see the module
 * notes). Throws a `RecoveryPbrError` (`options`) for options the data or scheme cannot meet: a
 * provider with no journeys in the data, an outcome without prices, a negative weight.
 * @example calibrateSummary(summarisePayables(clients, scheme, asOf), scheme, { target: '250000.00' })
 */
export function calibrateSummary(summary: PayableSummary, scheme: Scheme, options: SummaryCalibrationOptions): CalibrationResult {
  const tariff = scheme.tariff;
  if (!tariff) throw optionsError('the scheme has no tariff, so there are no outcome prices to calibrate');
  const asOf = summary.asOf;
  if (options.asOf !== undefined && options.asOf !== asOf) throw optionsError(`the payable items are as of ${asOf}, the calibration as of ${options.asOf}: they must be the same day`);
  const of = options.of ?? 'outcome';
  const keep = options.keep ?? 'all';
  const target = decimal(options.target);
  if (!isWholePence(target) || target.isNegative()) throw optionsError(`the target must be an amount in pounds and pence ≥ 0, not ${target.toString()}`);
  const outcomes = [...(options.outcomes ?? Object.keys(tariff.outcomes).sort())];
  for (const o of outcomes) if (!tariff.outcomes[o]) throw optionsError(`outcome '${o}' has no prices in the tariff (priced: ${Object.keys(tariff.outcomes).join(', ') || 'none'})`);
  if (outcomes.length === 0) throw optionsError('the tariff prices no outcomes, so there is nothing to calibrate');
  if (keep === 'all' && options.weights && (options.weights.bands || options.weights.outcomes)) {
    throw optionsError("weights apply with keep 'band' (outcome weights) or keep 'outcome' (band weights)");
  }
  for (const [kind, w] of Object.entries(options.weights ?? {})) {
    for (const [id, v] of Object.entries(w ?? {})) if (decimal(v).isNegative()) throw optionsError(`weight ${kind}.${id} is negative; weights must be 0 or more`);
  }
  const provider = options.provider;
  if (provider !== undefined && !summary.providers.includes(provider)) {
    const seen = summary.providers;
    throw optionsError(
      `provider '${provider}' has no journeys in the data as of ${asOf}, so no price can pay it anything; ` +
        (seen.length === 0 ? 'the data has no journeys.' : `providers in the data: ${seen.slice(0, 12).join(', ')}${seen.length > 12 ? ` and ${seen.length - 12} more` : ''}.`),
    );
  }
  const shape = priceShape(tariff, outcomes, keep, options.weights);
  const keys = new Set<Key>();
  for (const o of outcomes) for (const b of tariff.bands) keys.add(keyOf(o, b));
  const rounding = tariff.rounding;
  const ev = makeEvaluator(summary, scheme, keys, provider, of);

  const pricesAt = (f: Decimal) => {
    const m = new Map<Key, Decimal>();
    for (const o of outcomes) for (const b of tariff.bands) m.set(keyOf(o, b), roundToPenny(shape[o]![b]!.times(f), rounding));
    return m;
  };
  const same = (a: Map<Key, Decimal>, b: Map<Key, Decimal>) => [...a].every(([k, v]) => v.equals(b.get(k)!));
  const point = (f: Decimal): PricePoint => {
    const p = pricesAt(f);
    const table: PriceTable = {};
    for (const o of outcomes) table[o] = Object.fromEntries(tariff.bands.map((b) => [b, formatMoney(p.get(keyOf(o, b))!)]));
    return { factor: f, prices: table, amount: ev.total(p), nudged: [] };
  };
  /** The shortest decimal factor on the same side of `f` giving the same prices as `f`. */
  const tidy = (f: Decimal, up: boolean): Decimal => {
    const p = pricesAt(f);
    for (let d = 0; d <= 40; d++) {
      const scale = new Dec(10).pow(d);
      const c = (up ? f.times(scale).ceil() : f.times(scale).floor()).dividedBy(scale);
      if (same(pricesAt(c), p)) return c;
    }
    return f;
  };
  const countsTable = (): Record<string, Record<string, number>> => {
    const t: Record<string, Record<string, number>> = {};
    for (const o of outcomes) t[o] = Object.fromEntries(tariff.bands.map((b) => [b, ev.counts.get(keyOf(o, b)) ?? 0]));
    return t;
  };
  const result = (r: Pick<CalibrationResult, 'exact' | 'best' | 'below' | 'above' | 'reason'>): CalibrationResult => {
    const out: CalibrationResult = {
      asOf,
      target,
      of,
      provider,
      keep,
      outcomes,
      data: options.data,
      ...r,
      shape,
      counts: countsTable(),
      scheme: undefined,
    };
    out.scheme = calibratedScheme(scheme, out);
    return out;
  };

  /**
   * From a point below (raise) or above (lower) the target, moves the fewest prices by one penny
   * so that their paid-item counts add up to the gap in pence; checked by recomputing the total.
   */
  const nudgeToTarget = (below: PricePoint, above: PricePoint): PricePoint | undefined => {
    const order = outcomes.flatMap((o) => tariff.bands.map((b) => ({ o, b, n: ev.counts.get(keyOf(o, b)) ?? 0 }))).filter((x) => x.n > 0);
    const tries: { from: PricePoint; gap: Decimal; dir: 1 | -1 }[] = [
      { from: below, gap: target.minus(below.amount), dir: 1 },
      { from: above, gap: above.amount.minus(target), dir: -1 },
    ];
    let bestFound: PricePoint | undefined;
    for (const t of tries) {
      const g = Number(toPenceCount(t.gap));
      if (!(g > 0) || g > 2_000_000) continue;
      const usable = order.filter((x) => t.dir === 1 || money(t.from.prices[x.o]![x.b]!).greaterThanOrEqualTo('0.01'));
      const pick = fewestSummingTo(usable.map((x) => x.n), g);
      if (!pick) continue;
      const prices: PriceTable = structuredClone(t.from.prices);
      const nudged: Nudge[] = [];
      for (const i of pick) {
        const x = usable[i]!;
        const before = money(prices[x.o]![x.b]!);
        const after = t.dir === 1 ? before.plus('0.01') : before.minus('0.01');
        prices[x.o]![x.b] = formatMoney(after);
        nudged.push({ outcome_id: x.o, band: x.b, from: formatMoney(before), to: formatMoney(after), count: x.n });
      }
      const map = new Map<Key, Decimal>();
      for (const o of outcomes) for (const b of tariff.bands) map.set(keyOf(o, b), money(prices[o]![b]!));
      const amount = ev.total(map);
      if (!amount.equals(target)) continue;
      const candidate: PricePoint = { factor: t.from.factor, prices, amount, nudged };
      if (!bestFound || nudged.length < bestFound.nudged.length) bestFound = candidate;
    }
    return bestFound;
  };

  const zero = point(ZERO);
  if (zero.amount.equals(target)) return result({ exact: true, best: zero, below: undefined, above: undefined, reason: undefined });
  if (target.lessThan(zero.amount)) {
    return result({
      exact: false,
      best: zero,
      below: undefined,
      above: zero,
      reason: `Even with every calibrated price at £0.00 the other ${of === 'total' ? 'payments come' : 'outcome payments come'} to ${formatPounds(zero.amount)}, above the target of ${formatPounds(target)}.`,
    });
  }
  const one = ev.total(pricesAt(new Dec(1)));
  if (one.equals(zero.amount)) {
    return result({
      exact: false,
      best: zero,
      below: zero,
      above: undefined,
      reason: `No paid outcome item${provider ? ` of ${provider}` : ''} on this data has a calibrated price above zero, so no price level changes the total (${formatPounds(zero.amount)}).`,
    });
  }
  // Bracket the target: T(lo) < target ≤ T(hi).
  let lo: Decimal = ZERO;
  let hi: Decimal = Dec.max(new Dec('1e-6'), target.minus(zero.amount).dividedBy(one.minus(zero.amount)).times('1.25'));
  let tHi = ev.total(pricesAt(hi));
  for (let i = 0; tHi.lessThan(target); i++) {
    if (i === 80) {
      const max = point(hi);
      return result({
        exact: false,
        best: max,
        below: max,
        above: undefined,
        reason: `Caps limit the payments: at any price level they reach at most ${formatPounds(tHi)}, below the target of ${formatPounds(target)}.`,
      });
    }
    lo = hi;
    hi = hi.times(2);
    tHi = ev.total(pricesAt(hi));
  }
  for (let i = 0; i < 400 && hi.minus(lo).greaterThan(hi.times('1e-40')); i++) {
    const mid = lo.plus(hi).dividedBy(2);
    if (ev.total(pricesAt(mid)).lessThan(target)) lo = mid;
    else hi = mid;
  }
  if (ev.total(pricesAt(hi)).equals(target)) {
    const found = point(tidy(hi, true));
    return result({ exact: true, best: found, below: undefined, above: undefined, reason: undefined });
  }
  const below = point(tidy(lo, false));
  const above = point(tidy(hi, true));
  if (options.nudge !== false) {
    const nudged = nudgeToTarget(below, above);
    if (nudged) return result({ exact: true, best: nudged, below: undefined, above: undefined, reason: undefined });
  }
  const pLo = pricesAt(lo);
  const pHi = pricesAt(hi);
  const steps: string[] = [];
  for (const o of outcomes) {
    for (const b of tariff.bands) {
      const k = keyOf(o, b);
      if (!pLo.get(k)!.equals(pHi.get(k)!)) {
        steps.push(`${o} band ${b} from ${formatPounds(pLo.get(k)!)} to ${formatPounds(pHi.get(k)!)} (paid on ${ev.counts.get(k) ?? 0} item${ev.counts.get(k) === 1 ? '' : 's'})`);
      }
    }
  }
  const best = target.minus(below.amount).lessThanOrEqualTo(above.amount.minus(target)) ? below : above;
  return result({
    exact: false,
    best,
    below,
    above,
    reason:
      `No price level gives exactly ${formatPounds(target)}: prices move a penny at a time, and where the total passes the target ` +
      `it jumps from ${formatPounds(below.amount)} (factor ${below.factor.toString()}) to ${formatPounds(above.amount)} (factor ${above.factor.toString()}) ` +
      `as ${steps.join(', ') || 'several prices step together'}` +
      (options.nudge === false ? '. ' : ', and no set of one-penny price changes closes the gap. ') +
      'Take one of these totals as the target, or set a price by hand.',
  });
}
