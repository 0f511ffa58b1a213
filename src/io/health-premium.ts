/**
 * Reading the Health Premium's supplied files at the Node edge (R-HP-2, R-HP-4): national group
 * counts, local indicators and weights per area, as CSV (header row, RFC 4180; read with the
 * project's CSV reader, `csv.ts`) or NDJSON (`.ndjson`). Rows are checked by the core parsers in
 * `src/health-premium/aggregate.ts`; every problem keeps its file, row, field and reason.
 * @module
 */
import { basename } from 'node:path';
import {
  localIndicatorsFrom,
  parseAggregateCounts,
  parseLocalIndicators,
  parseWeights,
  type AggregateCountRow,
  type LocalIndicator,
  type SuppliedProblem,
  type SuppliedRow,
} from '../health-premium/aggregate.js';
import type { IsoDate } from '../calendar/index.js';
import { RecoveryPbrError } from '../errors.js';
import { readCsv } from './csv.js';
import { readNdjson } from './ndjson.js';

/** Rows of a supplied file, plus the rows the reader itself could not use (wrong number of cells, …). */
export async function readSuppliedRows(path: string): Promise<{ rows: SuppliedRow[]; problems: SuppliedProblem[]; name: string }> {
  const name = basename(path);
  const rows: SuppliedRow[] = [];
  const problems: SuppliedProblem[] = [];
  const reader = /\.ndjson$/i.test(path) ? readNdjson(path, { label: name }) : readCsv(path, { label: name });
  for await (const r of reader) {
    if (r.problem) problems.push({ file: name, row: r.row, field: r.problem.field, value: r.problem.value, reason: r.problem.reason });
    else rows.push({ row: r.row, values: r.values });
  }
  return { rows, problems, name };
}

/**
 * Throws an `InputError` listing the problems of a supplied file (at most 10 shown), saying what to do.
 * @example failOnProblems(problems, 'counts.csv')
 */
export function failOnProblems(problems: readonly SuppliedProblem[], name: string): void {
  if (problems.length === 0) return;
  const shown = problems
    .slice(0, 10)
    .map((p) => `  - ${p.file} row ${p.row}${p.field ? `, ${p.field}` : ''}${p.value ? ` '${p.value.length > 40 ? `${p.value.slice(0, 40)}…` : p.value}'` : ''}: ${p.reason}`);
  const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
  throw new RecoveryPbrError('health_premium_input', 
    `${name} cannot be used (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix ${problems.length === 1 ? 'it' : 'them'} and run again. No output was written.\n${shown.join('\n')}${more}`,
  );
}

/**
 * Reads supplied national group counts (`area_code, indicator, period_start, numerator, denominator[, status]`).
 * Any unusable row stops the run with an `InputError`: a published figure is never dropped silently.
 * @example const counts = await readAggregateCounts('phof-2.15.csv');
 */
export async function readAggregateCounts(path: string): Promise<AggregateCountRow[]> {
  const { rows, problems, name } = await readSuppliedRows(path);
  const parsed = parseAggregateCounts(rows, name);
  failOnProblems([...problems, ...parsed.problems].sort((a, b) => a.row - b.row), name);
  return parsed.records;
}

/**
 * Reads supplied local indicators (`area_code, indicator, period_start`, then `numerator,
 * denominator` or `value`, optional `direction` higher|lower and `status`) for the two periods.
 * Rows of other periods are valid but not used. Returns the indicators and the number of rows read.
 * @example const { indicators } = await readLocalIndicators('local.csv', '2013-04-01', '2014-04-01');
 */
export async function readLocalIndicators(path: string, baselineStart: IsoDate, currentStart: IsoDate): Promise<{ indicators: LocalIndicator[]; rows: number }> {
  const { rows, problems, name } = await readSuppliedRows(path);
  const parsed = parseLocalIndicators(rows, name);
  const assembled = localIndicatorsFrom(parsed.records, baselineStart, currentStart, name);
  failOnProblems([...problems, ...parsed.problems, ...assembled.problems].sort((a, b) => a.row - b.row), name);
  return { indicators: assembled.indicators, rows: parsed.records.length };
}

/**
 * Reads supplied weights per area (`area_code, weight`) as a map.
 * @example const weights = await readWeights('weights.csv');
 */
export async function readWeights(path: string): Promise<Map<string, string>> {
  const { rows, problems, name } = await readSuppliedRows(path);
  const parsed = parseWeights(rows, name);
  failOnProblems([...problems, ...parsed.problems].sort((a, b) => a.row - b.row), name);
  return new Map(parsed.records.map((r) => [r.area_code, r.weight]));
}
