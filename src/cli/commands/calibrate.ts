/**
 * `recovery-pbr calibrate`: find outcome prices that make payments on historical data meet a
 * budget to the penny (see src/modelling/calibrate.ts for the method).
 * @module
 */
import { calibratePrices, type CalibrationOptions, type CalibrationResult, type PricePoint } from '../../modelling/calibrate.js';
import { paymentRun } from '../../modelling/run.js';
import { formatMoney, formatPounds, money } from '../../money/amount.js';
import { csvLine } from '../../output/csv.js';
import { formatTextTable } from '../../payments/table.js';
import { setSchemeParameter } from '../../schema/scheme/index.js';
import { UsageError, type CliCommand } from '../command.js';
import { RecoveryPbrError } from '../../errors.js';
import { dateOption, requiredString, withOptionalOutputFolder } from '../shared.js';
import { loadSchemeArgument, outOption, readDataArgument, writeOutputs } from './compare.js';

const USAGE = `Usage: recovery-pbr calibrate --scheme S --data DIR --as-of DATE --target AMOUNT
         [--provider P] [--of outcome|total] [--keep all|band|outcome] [--weight outcome:ID=W | band:B=W ...]
         [--outcome ID ...] [--factor-only] [--out DIR]

Finds outcome prices so that payments on the data meet the target to the penny, by one factor on
the scheme's outcome prices (the pilots set prices from historical outcome rates this way). When no
single factor meets it, a few prices move by one penny to meet it exactly (shown); when even that
cannot, shows the nearest totals below and above, and why.

  --target    the budget in pounds, e.g. 250000.00
  --provider  calibrate on this provider's payments only (default: all providers)
  --of        outcome (default): the target is for outcome payments; total: for all payments
  --keep      all (default): keep every price relativity; band: keep band relativities, weight
              outcomes by --weight outcome:ID=W (default 1); outcome: keep each outcome's mean price,
              weight bands by --weight band:B=W (default 1)
  --outcome   calibrate only these outcomes' prices (default: every priced outcome)
  --factor-only  never move a price a penny off the factor to meet the target exactly
  --out       folder for calibration.json, prices.csv and scheme.json (the scheme with the prices found)`;

function parseWeights(list: string[]): NonNullable<CalibrationOptions['weights']> {
  const w: { outcomes: Record<string, string>; bands: Record<string, string> } = { outcomes: {}, bands: {} };
  for (const item of list) {
    const m = /^(outcome|band):([^=]+)=(\d+(\.\d+)?)$/.exec(item.trim());
    if (!m) throw new UsageError(`--weight '${item}' must be outcome:ID=W or band:B=W, e.g. band:3=2`);
    (m[1] === 'outcome' ? w.outcomes : w.bands)[m[2]!] = m[3]!;
  }
  return w;
}

function pointJson(p: PricePoint | undefined) {
  return p && { factor: p.factor.toString(), amount: formatMoney(p.amount), prices: p.prices, nudged: p.nudged };
}

/**
 * The calibration as plain JSON (money as strings).
 * @example JSON.stringify(calibrationJson(result), null, 2)
 */
export function calibrationJson(r: CalibrationResult) {
  return {
    target: formatMoney(r.target),
    of: r.of,
    provider: r.provider ?? null,
    keep: r.keep,
    exact: r.exact,
    best: pointJson(r.best) ?? null,
    below: pointJson(r.below) ?? null,
    above: pointJson(r.above) ?? null,
    reason: r.reason ?? null,
    counts: r.counts,
  };
}

/** `recovery-pbr calibrate`. */
export const command: CliCommand = {
  name: 'calibrate',
  summary: 'find outcome prices that meet a budget on historical data, to the penny',
  usage: USAGE,
  options: {
    scheme: { type: 'string' },
    data: { type: 'string' },
    'as-of': { type: 'string' },
    target: { type: 'string' },
    provider: { type: 'string' },
    of: { type: 'string' },
    keep: { type: 'string' },
    weight: { type: 'string', multiple: true },
    outcome: { type: 'string', multiple: true },
    'factor-only': { type: 'boolean' },
    out: { type: 'string' },
  },
  async run(values, io) {
    const schemeArg = requiredString(values, 'scheme', '<preset id | file>');
    const dataDir = requiredString(values, 'data', '<folder> (with episodes.csv)');
    const asOf = dateOption(values, 'as-of');
    const target = requiredString(values, 'target', '<amount> (the budget in pounds, e.g. 250000.00)');
    if (!/^\d+(\.\d{1,2})?$/.test(target)) throw new UsageError(`--target '${target}' must be an amount in pounds and pence, e.g. 250000.00`);
    const of = (values['of'] as string | undefined) ?? 'outcome';
    if (of !== 'outcome' && of !== 'total') throw new UsageError(`--of '${of}' must be outcome or total`);
    const keep = (values['keep'] as string | undefined) ?? 'all';
    if (keep !== 'all' && keep !== 'band' && keep !== 'outcome') throw new UsageError(`--keep '${keep}' must be all, band or outcome`);
    const weights = parseWeights((values['weight'] as string[] | undefined) ?? []);
    if (keep === 'all' && (values['weight'] as string[] | undefined)?.length) throw new UsageError('--weight needs --keep band (outcome weights) or --keep outcome (band weights)');
    return withOptionalOutputFolder(outOption(values, io), async (out) => {
      const loaded = await loadSchemeArgument(schemeArg, io);
      const data = await readDataArgument(dataDir, loaded.scheme, io);
      const run = paymentRun(data, loaded.scheme, { asOf });
      let r: CalibrationResult;
      try {
        r = calibratePrices({ clients: run.clients }, loaded.scheme, {
          asOf,
          target,
          of,
          keep,
          nudge: !values['factor-only'],
          ...(keep === 'all' ? {} : { weights }),
          ...(typeof values['provider'] === 'string' ? { provider: values['provider'] } : {}),
          ...(values['outcome'] ? { outcomes: values['outcome'] as string[] } : {}),
        });
      } catch (e) {
        if (e instanceof RangeError) throw new RecoveryPbrError('options', e.message);
        throw e;
      }
      const tariff = loaded.scheme.tariff!;
      const best = r.best;
      const rows: string[][] = [];
      if (best) {
        for (const [o, prices] of Object.entries(best.prices)) {
          for (const b of tariff.bands) rows.push([o, b, formatPounds(moneyOf(tariff.outcomes[o]?.[b])), formatPounds(moneyOf(prices[b])), String(r.counts[o]?.[b] ?? 0)]);
        }
      }
      const scope = `${of} payments${r.provider ? ` to ${r.provider}` : ''}`;
      io.stdout(
        `Target: ${formatPounds(r.target)} of ${scope}, as of ${asOf}\n` +
          (r.exact
            ? `Met to the penny (${formatPounds(best!.amount)}) with factor ${best!.factor.toString()}` +
              (best!.nudged.length
                ? `, after moving ${best!.nudged.length} price${best!.nudged.length === 1 ? '' : 's'} a penny off the factor (no single factor meets the target exactly, because each price is rounded to the penny): ` +
                  best!.nudged.map((n) => `${n.outcome_id} band ${n.band} ${formatPounds(money(n.from))} → ${formatPounds(money(n.to))} (${n.count} item${n.count === 1 ? '' : 's'})`).join(', ') +
                  '.\n'
                : '.\n')
            : `Not met exactly. ${r.reason}\n` +
              (r.below ? `  below: ${formatPounds(r.below.amount)} at factor ${r.below.factor.toString()}\n` : '') +
              (r.above ? `  above: ${formatPounds(r.above.amount)} at factor ${r.above.factor.toString()}\n` : '') +
              (best ? `Prices shown: the nearer, ${formatPounds(best.amount)}.\n` : '')) +
          '\n' +
          formatTextTable(['outcome', 'band', 'price before', 'price found', 'paid items'], rows, [false, false, true, true, true]),
      );
      if (out && best) {
        let doc = loaded.document;
        for (const [o, prices] of Object.entries(best.prices)) for (const [b, p] of Object.entries(prices)) doc = setSchemeParameter(doc, `tariff.outcomes.${o}.${b}`, p);
        const prices = [csvLine(['outcome_id', 'tariff_band', 'price_before', 'price_found', 'count'])];
        for (const [o, ps] of Object.entries(best.prices)) for (const b of tariff.bands) prices.push(csvLine([o, b, formatMoney(moneyOf(tariff.outcomes[o]?.[b])), ps[b], r.counts[o]?.[b] ?? 0]));
        await writeOutputs(
          out,
          { 'calibration.json': JSON.stringify(calibrationJson(r), null, 2) + '\n', 'prices.csv': prices.join(''), 'scheme.json': JSON.stringify(doc, null, 2) + '\n' },
          io,
        );
      }
      return 0;
    });
  },
};

function moneyOf(s: string | undefined) {
  return money(s ?? '0');
}
