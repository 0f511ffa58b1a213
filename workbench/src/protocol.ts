/**
 * Messages between the page and its Web Worker. Everything is plain data (money as decimal
 * strings with 2 places, e.g. "1234.56"; the page formats them as £1,234.56), so it passes
 * structured cloning unchanged. Files go to the worker as `File` objects and are read there:
 * nothing is ever sent over the network.
 * @module
 */
import type { InputFile } from '../../src/schema/codes.js';
import type { PaymentType } from '../../src/payments/types.js';

/** A request to the worker (`id` pairs it with its answer). */
export type Request =
  | { id: number; type: 'load'; files: File[]; /** Path of each file inside a picked or dropped folder ('' for a single file). */ paths: string[] }
  | { id: number; type: 'update'; original: unknown; edited: unknown; asOf: string }
  | { id: number; type: 'calibrate'; scheme: unknown; asOf: string; target: string; of: 'outcome' | 'total'; provider: string; keep: 'all' | 'band' | 'outcome' }
  | { id: number; type: 'forecast'; scheme: unknown; asOf: string; provider: string; journeys: string; simulations: number; seed: number }
  | { id: number; type: 'explain'; scheme: unknown; asOf: string; clientId: string }
  | { id: number; type: 'suggest'; scheme: unknown; asOf: string; prefix: string }
  | { id: number; type: 'export'; scheme: unknown; asOf: string; file: ExportFile };

/** Files the page can export, as the CLI writes them. */
export type ExportFile = 'outcomes.csv' | 'payments.csv' | 'rejections.csv' | 'summary.json' | 'report.html';

/** What the worker sends back. */
export type Reply =
  | { id: number; type: 'progress'; phase: string; share: number; text: string }
  | { id: number; type: 'error'; message: string; problems?: { path: string; message: string }[] }
  | { id: number; type: 'loaded'; data: LoadedView }
  | { id: number; type: 'update'; data: { results: ResultsView; whatIf: WhatIfView | undefined } }
  | { id: number; type: 'calibrate'; data: CalibrationView }
  | { id: number; type: 'forecast'; data: ForecastView }
  | { id: number; type: 'explain'; data: ExplainView | undefined }
  | { id: number; type: 'suggest'; data: string[] }
  | { id: number; type: 'export'; data: { file: ExportFile; text: string; type: string } };

/** One input file as read. */
export interface FileView {
  kind: InputFile;
  name: string;
  bytes: number;
  hash: string;
  read: number;
}

/** What the page shows once the files are read. */
export interface LoadedView {
  files: FileView[];
  /** Notes of the reading (ignored columns, look-alike file names, …). */
  notes: string[];
  /** Files given that are not inputs. */
  ignored: string[];
  /** Providers of the episodes, in code point order. */
  providers: string[];
  /** The latest date in the episodes (a start or a discharge): a sensible asOf for data extracted then. */
  latestDate: string | undefined;
  /** Milliseconds the reading took (shown in the page, for scale). */
  ms: number;
}

/** Counts per file after the checks across rows (R-VAL-1). */
export interface CountView {
  kind: InputFile;
  name: string;
  read: number;
  used: number;
  rejected: number;
}

/** One rejected row (R-VAL-1). */
export interface RejectionView {
  file: string;
  row: number;
  field: string;
  value: string;
  reason: string;
  /** The rejection code (the `code` column of rejections.csv). */
  code: string;
}

/** Paid amounts by payment type, with the total and the amount cut by caps. */
export interface AmountsView {
  byType: Partial<Record<PaymentType, string>>;
  total: string;
  capped: string;
}

/** The results of one scheme on the data as known at asOf. */
export interface ResultsView {
  scheme: { id: string; version: string; title: string };
  asOf: string;
  counts: CountView[];
  rejectionsTotal: number;
  /** The first rejections (the rest are in rejections.csv); undefined when unchanged since the last answer. */
  rejections: RejectionView[] | undefined;
  clients: number;
  journeys: number;
  /** Whether the scheme says anything about money. */
  pays: boolean;
  paid: string;
  notPaid: {
    capped: { items: number; amount: string };
    outsideContract: { items: number; amount: string };
    overClientLimit: { items: number; amount: string };
    unbanded: { journeys: number; items: number };
    unknownBand: { items: number; bands: string[] };
  };
  types: PaymentType[];
  providers: ({ id: string } & AmountsView)[];
  /** Payment periods (quarters or months) from the first to the last paid in. */
  periods: ({ start: string; label: string } & AmountsView)[];
  all: AmountsView;
  /** Paid outcome and sustainment items by outcome and band. */
  outcomeBands: { outcome: string; title: string; band: string; type: PaymentType; count: number; amount: string }[];
  /** Outcome rates (met ÷ decided) by band, with the status counts. */
  rates: { outcome: string; title: string; lines: { label: string; met: number; notMet: number; notEligible: number; pending: number; rate: string; interval: string }[] }[];
  /** Inline SVG charts made by the report's chart functions. */
  charts: { periods: string | undefined; rates: string | undefined };
  ms: number;
}

/** The what-if: original and edited payments on the same decided outcomes, and B − A. */
export interface WhatIfView {
  a: { label: string; total: string };
  b: { label: string; total: string };
  /** Signed difference B − A, e.g. "+1200.00" or "-350.00" or "0.00". */
  difference: string;
  providers: { id: string; a: string; b: string; difference: string }[];
  outcomes: { key: string; type: PaymentType; outcome: string; a: string; b: string; difference: string }[];
  ms: number;
}

/** A calibration result. */
export interface CalibrationView {
  exact: boolean;
  target: string;
  amount: string | undefined;
  factor: string | undefined;
  reason: string | undefined;
  /** outcome → band → price. */
  prices: Record<string, Record<string, string>> | undefined;
  counts: Record<string, Record<string, number>>;
  nudged: { outcome: string; band: string; from: string; to: string }[];
  below: string | undefined;
  above: string | undefined;
}

/** A provider's income forecast. */
export interface ForecastView {
  provider: string;
  quarters: { quarter: number; start: string; end: string; journeys: number; fixed: string; expected: string; p10: string; p50: string; p90: string }[];
  total: { expected: string; mean: string; p10: string; p50: string; p90: string };
  rates: { outcome: string; band: string; rate: string; source: string; met: number; decided: number }[];
  notes: string[];
  chart: string;
}

/** Why a client was (not) paid. */
export interface ExplainView {
  clientId: string;
  text: string;
  journeys: { id: string; start: string; end: string; band: string; group: string; exit: string; outcomes: { id: string; title: string; status: string; achieved: string; due: string; reason: string; provider: string; text: string[] }[] }[];
  payments: { date: string; period: string; provider: string; type: string; outcome: string; band: string; amount: string; paid: string; capped: string; status: string }[];
  notYetKnown: string[];
}
