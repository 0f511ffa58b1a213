/**
 * A commissioner's questions, answered on the demo data:
 * 1. What if band-3 "free from dependence" paid £3,000 instead of £2,400? (what-if comparison)
 * 2. Which outcome prices would have spent exactly £1,500,000 on outcome payments? (calibration)
 *
 * Run: npx tsx examples/commissioner.ts [data folder] [as-of date]
 */
import { pathToFileURL } from 'node:url';
import { formatPounds, money, presetDocument, presetScheme } from 'recovery-pbr';
import { calibratePrices, compareOverrides, comparisonTable, type CalibrationResult, type PaymentComparison, type PaymentRun } from 'recovery-pbr/modelling';
import { readDataset } from 'recovery-pbr/node';

/** What the commissioner example computes. */
export interface CommissionerReport {
  comparison: PaymentComparison & { runs: [PaymentRun, PaymentRun] };
  calibration: CalibrationResult;
  text: string;
}

/**
 * Compares the national model's tariff with a dearer band-3 "free from dependence" price, then
 * calibrates all outcome prices (one factor, relativities kept) to a budget.
 * @example const report = await commissionerExample('examples/demo', '2015-03-31', '1500000.00');
 */
export async function commissionerExample(dir = 'examples/demo', asOf = '2015-03-31', budget = '1500000.00'): Promise<CommissionerReport> {
  const { data } = await readDataset(dir);

  // 1. What-if: the same data, the same outcome decisions, one price changed.
  const comparison = compareOverrides(data, presetDocument('national-model-2012'), [{ path: 'tariff.outcomes.free-from-dependence.3', value: '3000.00' }], { asOf });

  // 2. Calibration: the prices that would have spent the budget on outcome payments, to the penny.
  const scheme = presetScheme('national-model-2012');
  const calibration = calibratePrices({ clients: comparison.runs[0].clients }, scheme, { asOf, target: budget });

  const best = calibration.best;
  const text =
    comparisonTable(comparison) +
    `\nCalibration to ${formatPounds(calibration.target)} of outcome payments: ` +
    (calibration.exact
      ? `met exactly with factor ${best!.factor.toString()}${best!.nudged.length ? ` and ${best!.nudged.length} price(s) moved a penny` : ''}.\n`
      : `not met exactly. ${calibration.reason}\n`) +
    (best
      ? Object.entries(best.prices)
          .map(([o, prices]) => `  ${o}: ${Object.entries(prices).map(([b, p]) => `band ${b} ${formatPounds(money(p))}`).join(', ')}`)
          .join('\n') + '\n'
      : '');
  return { comparison, calibration, text };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, asOf, budget] = process.argv.slice(2);
  commissionerExample(dir, asOf, budget).then((r) => process.stdout.write(r.text));
}
