// A consumer of every entry point, compiled against the packed package (see README.md).
import {
  RecoveryPbrError,
  calculatePayments,
  formatPounds,
  money,
  prepareRecords,
  presetScheme,
  runScheme,
  type Decimal,
  type ErrorCode,
  type PaymentResult,
  type Scheme,
} from 'recovery-pbr';
import { compareOverrides, type PaymentComparison } from 'recovery-pbr/modelling';
import { generateRows } from 'recovery-pbr/generate';
import { readDataset, runFolder } from 'recovery-pbr/node';
import { reportFromRun, type RunSummary } from 'recovery-pbr/report';

/** `true` only when T is `any`. */
type IsAny<T> = 0 extends 1 & T ? true : false;

const scheme: Scheme = presetScheme('national-model-2012');
const run = runScheme(prepareRecords({ episodes: [] }, scheme), scheme, { asOf: '2015-03-31' });

// Money is a decimal.js Decimal with its methods...
const price = money('1200.00');
const doubled: Decimal = price.times(2).plus('0.01');
const shown: string = formatPounds(doubled) + doubled.toFixed(2);
const moneyIsNotAny: IsAny<typeof price> = false;
// ...and never `any`: each line below must stay an error.
// @ts-expect-error a Decimal is not a string
const notText: string = price;
// @ts-expect-error a Decimal has no such method
price.notAMethod();

const payments: PaymentResult | undefined = run.payments;
const paid: Decimal | undefined = payments?.totals.total;
const totalIsNotAny: IsAny<PaymentResult['totals']['total']> = false;
// @ts-expect-error a total is a Decimal, not a number
const notNumber: number | undefined = payments?.totals.total;
const again: PaymentResult = calculatePayments({ clients: run.clients }, scheme, { asOf: run.asOf });

function codeOf(e: unknown): ErrorCode | undefined {
  return e instanceof RecoveryPbrError ? e.code : undefined;
}

declare const summary: RunSummary;
declare const comparison: PaymentComparison;
const differenceIsNotAny: IsAny<PaymentComparison['total']['difference']> = false;

export const uses = [shown, moneyIsNotAny, notText, paid, totalIsNotAny, notNumber, again, codeOf, summary, comparison, differenceIsNotAny];
export const entries = [compareOverrides, generateRows, readDataset, runFolder, reportFromRun];
