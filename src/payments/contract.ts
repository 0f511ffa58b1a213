/**
 * The contract calendar (R-PAY-4, R-PAY-5, R-PAY-8): payment periods and contract years counted
 * from the contract start (1 April when the scheme gives none), whether a date is inside the
 * contract, and each provider's terms.
 * @module
 */
import { periodStart, type IsoDate } from '../calendar/index.js';
import type { Contract, ContractTerms } from '../schema/scheme/tariff.js';

/** Any 1 April: the anchor of periods and contract years when the contract has no start (R-PAY-5). */
export const DEFAULT_ANCHOR: IsoDate = '2012-04-01';

/** The contract calendar of a scheme. */
export interface ContractCalendar {
  /** Contract start, or undefined (then nothing is outside the contract on that side). */
  start: IsoDate | undefined;
  end: IsoDate | undefined;
  /** First day of period 0 and of contract year 0. */
  anchor: IsoDate;
  /** 1 (monthly) or 3 (quarterly). */
  periodMonths: number;
}

/**
 * The calendar of a contract section (absent = quarterly periods from 1 April, no dates, no terms).
 * @example contractCalendar({ start: '2012-04-01', period: 'quarterly' }).periodMonths // 3
 */
export function contractCalendar(contract: Pick<Contract, 'start' | 'end' | 'period'> | undefined): ContractCalendar {
  return {
    start: contract?.start,
    end: contract?.end,
    anchor: contract?.start ?? DEFAULT_ANCHOR,
    periodMonths: contract?.period === 'monthly' ? 1 : 3,
  };
}

/**
 * Start of the payment period containing `date` (R-PAY-5).
 * @example periodOf(contractCalendar(undefined), '2013-05-20') // '2013-04-01'
 */
export function periodOf(cal: ContractCalendar, date: IsoDate): IsoDate {
  return periodStart(date, cal.anchor, cal.periodMonths);
}

/**
 * Start of the contract year containing `date` (contract years run 12 months from the contract start).
 * @example contractYearOf(contractCalendar({ start: '2012-07-01', period: 'quarterly' }), '2013-06-30') // '2012-07-01'
 */
export function contractYearOf(cal: ContractCalendar, date: IsoDate): IsoDate {
  return periodStart(date, cal.anchor, 12);
}

/**
 * Is `date` inside [start, end] of the contract (R-PAY-8)? Missing ends are open.
 * @example inContract(contractCalendar({ start: '2012-04-01', period: 'quarterly' }), '2012-03-31') // false
 */
export function inContract(cal: ContractCalendar, date: IsoDate): boolean {
  return (cal.start === undefined || date >= cal.start) && (cal.end === undefined || date <= cal.end);
}

/**
 * A provider's contract terms: its own, else the default terms, else none.
 * @example termsFor(scheme.contract, 'P1')?.cap
 */
export function termsFor(contract: Pick<Contract, 'providers' | 'defaultTerms'> | undefined, providerId: string): ContractTerms | undefined {
  if (!contract) return undefined;
  return Object.prototype.hasOwnProperty.call(contract.providers, providerId) ? contract.providers[providerId] : contract.defaultTerms;
}
