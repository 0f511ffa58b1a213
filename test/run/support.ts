/**
 * The reference for a folder run: the in-memory path (readDataset → runScheme) and its output
 * texts, as `run` wrote them before the national-scale runner.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSummary } from '../../src/cli/commands/run.js';
import { fileNamesOf } from '../../src/cli/shared.js';
import { readDataset } from '../../src/node/run-folder.js';
import { runFolder, type RunFolderOptions } from '../../src/node/run-folder.js';
import { memorySink } from '../support/sinks.js';
import { folderSummary } from '../../src/cli/commands/run.js';
import { outcomeLines, outcomesHeader } from '../../src/output/outcomes.js';
import { rejectionLines } from '../../src/output/rejections.js';
import { summaryJson } from '../../src/output/summary.js';
import { paymentsCsv } from '../../src/payments/index.js';
import { runScheme } from '../../src/run/index.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import type { Scheme } from '../../src/schema/scheme/index.js';

/** The four output texts of a run. */
export interface OutputTexts {
  outcomes: string;
  payments: string | undefined;
  rejections: string;
  summary: string;
}

/** Outputs of the in-memory path. */
export async function inMemoryOutputs(dir: string, scheme: Scheme, asOf: string): Promise<OutputTexts> {
  const read = await readDataset(dir, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
  const run = runScheme(read, scheme, { asOf });
  const summary = await buildSummary(scheme, run, read.files, read.notes);
  return {
    outcomes: outcomesHeader() + run.clients.map((c) => outcomeLines(c.decisions)).join(''),
    payments: run.payments ? paymentsCsv(run.payments.rows) : undefined,
    rejections: [...rejectionLines(read.rejections, fileNamesOf(read.files))].join(''),
    summary: summaryJson(summary),
  };
}

/** Whether `f` throws. */
function throws(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}

/** Outputs of the national-scale runner; `onRun` sees the run first (how it read, say). */
export async function folderOutputs(dir: string, scheme: Scheme, options: RunFolderOptions, onRun?: (run: Awaited<ReturnType<typeof runFolder>>) => void): Promise<OutputTexts> {
  // What `recovery-pbr run` writes into outcomes.csv as the partitions end (outcomesTo).
  const sink = memorySink();
  const run = await runFolder(dir, scheme, { ...options, outcomesTo: sink });
  try {
    onRun?.(run);
    const outcomes = sink.text;
    // A run on this thread keeps its lines too: the pieces of outcomesPieces (text, and the
    // temporary files' bytes), outcomesCsv() and outcomesTo are the same text. Worker threads send
    // theirs to outcomesTo only.
    if (run.workers === 0) {
      const written = Buffer.concat([...run.outcomesPieces()].map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
      if (written.toString('utf8') !== outcomes) throw new Error('outcomesPieces() and outcomesTo differ');
      if ([...run.outcomesCsv()].join('') !== outcomes) throw new Error('outcomesTo and outcomesCsv() differ');
    } else if (!throws(() => run.outcomesCsv()) || !throws(() => run.outcomesPieces())) throw new Error('a run in worker threads kept lines it sent to outcomesTo');
    if (sink.syncs !== run.partitions) throw new Error(`outcomesTo synced ${sink.syncs} times for ${run.partitions} partitions`);
    return {
      outcomes,
      payments: run.payments ? paymentsCsv(run.payments.rows) : undefined,
      rejections: [...run.rejectionsCsv()].join(''),
      summary: summaryJson(folderSummary(scheme, run)),
    };
  } finally {
    await run.dispose();
  }
}

/**
 * Copies the data folder `from` into `to` with one kind split into a folder of parts: data row i
 * (0-based, header excluded) goes to part `partOf(i)` of `names`, each part with the header.
 * Returns the header and the data rows of that kind.
 * @example splitIntoParts('examples/demo', dir, 'reviews', ['1.csv', '2.csv'], (i) => (i < 3000 ? 0 : 1))
 */
export function splitIntoParts(from: string, to: string, kind: InputFile, names: readonly string[], partOf: (i: number) => number): { header: string; rows: string[] } {
  for (const f of INPUT_FILES) if (f !== kind) copyFileSync(join(from, `${f}.csv`), join(to, `${f}.csv`));
  const [header, ...rows] = readFileSync(join(from, `${kind}.csv`), 'utf8').trimEnd().split('\n');
  const parts = names.map((): string[] => []);
  rows.forEach((r, i) => parts[partOf(i)]!.push(r));
  mkdirSync(join(to, kind));
  names.forEach((n, p) => writeFileSync(join(to, kind, n), [header, ...parts[p]!].join('\n') + '\n'));
  return { header: header!, rows };
}
