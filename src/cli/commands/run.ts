/**
 * `recovery-pbr run`: the main job (SPEC §5). Reads the inputs, runs the scheme as known at
 * --as-of, and writes `outcomes.csv`, `rejections.csv` and `summary.json` (SPEC §4) into --out.
 * Row-level rejections do not stop the run (counted on stderr); `--strict` makes any rejection
 * exit 1. An input or scheme that cannot be used exits 1 with no output files.
 * @module
 */
import { basename } from 'node:path';
import { sha256File, sha256Json } from '../../io/hash.js';
import type { ReadDatasetResult } from '../../io/dataset.js';
import { readScheme } from '../../io/scheme.js';
import type { OutputFile } from '../../io/write.js';
import { paymentSummaryJson, paymentTable, paymentsCsv } from '../../payments/index.js';
import { inputSummaries, summaryJson, type RunSummary } from '../../output/summary.js';
import { runFolder, folderInputsSummary, type FolderRun } from '../../node/run-folder.js';
import type { RunResult } from '../../run/index.js';
import { rejectionTally, reportFromRun } from '../../report/index.js';
import type { Scheme } from '../../schema/scheme/index.js';
import { VERSION } from '../version.js';
import { UsageError, type CliCommand } from '../command.js';
import { checkTempDirOutside, countOption, dateOption, fileNamesOf, pathOption, plural, requiredString, runProgressReporter, strictWords, withOutputFolder } from '../shared.js';
import { outcomeTable, paymentHeadline } from '../tables.js';
import { unpricedBandsWarning } from '../warnings.js';

const usage = `Usage: recovery-pbr run --scheme <preset id | file> --data <folder> --as-of <YYYY-MM-DD> --out <folder>
         [--report <file.html>] [--workers <n>] [--temp-dir <folder>] [--strict] [--quiet]

Runs a scheme on the input files in --data as they were known on --as-of, prints the total paid
and what was not paid (outside the contract, cut by caps, no tariff band), then outcome counts by
band and payments by provider and period, and writes to --out:
  outcomes.csv    one row per journey and outcome: status, achieved_on, due_on, reason
  payments.csv    payments per provider, payer, period, type, outcome and band (when the
                  scheme has prices), with the amounts cut by caps
  rejections.csv  every input row that could not be used, with its row number and reason
  summary.json    scheme, input hashes, counts per file, outcome counts, payment totals

Options:
  --scheme <id|file>  a preset (national-model-2012, drug-strategy-2017, …) or a scheme file
  --data <folder>     episodes.csv (or .ndjson) and optionally reviews, drug_tests, offences,
                      employment, clients
  --as-of <date>      the run's date: later records are ignored, later discharges unseen
  --out <folder>      where to write (created if missing; replaced as a whole, see below)
  --strict            exit 1 if any row was rejected (only rejections.csv is written)
  --quiet             no progress bar (there is none when stderr is not a terminal); the totals
                      and tables are still printed
  --temp-dir <folder> where runs on one thread and --strict runs keep outcomes.csv's lines in
                      temporary files (default: the system's; always removed)
  --workers <n>       worker threads for large runs (default: one per core, up to 4; 0 = none)
  --report <name>     also write an HTML report (a name ending in .html) into --out

Each input may also be a folder of parts (episodes/2013.csv, episodes/2014.csv, …), read in name
order; rejections name the part. Large inputs are split by client into partitions, read as
columns and shared among worker threads, so memory stays bounded (a million clients in under 1 GB).

--out is replaced as a whole: the new files appear together or not at all, and files of an
earlier run (an old report) never stand beside them. It must be new, empty, or hold only
outputs of recovery-pbr (and hidden files, which are kept); if the run fails it is left as it was.

Exit codes: 0 success, 1 input or scheme that cannot be used (or rejections with --strict),
2 usage error.`;

/** The summary document of an in-memory run (`runScheme` on what `readDataset` read). */
export async function buildSummary(scheme: Scheme, run: RunResult, files: ReadDatasetResult['files'], notes: string[]): Promise<RunSummary> {
  const fileInfo: Record<string, { file: string; hash: string; bytes: number }> = {};
  const names = fileNamesOf(files);
  for (const [kind, f] of Object.entries(files)) fileInfo[kind] = { file: names[kind as keyof typeof names]!, hash: await sha256File(f!.path), bytes: f!.bytes };
  const { provenance: _provenance, ...rules } = scheme;
  return {
    tool: { name: 'recovery-pbr', version: VERSION },
    scheme: { id: scheme.id, version: scheme.version, title: scheme.title, hash: sha256Json(rules) },
    asOf: run.asOf,
    inputs: inputSummaries(run.counts, fileInfo),
    rejected_total: run.rejections.length,
    outcomes: run.outcomes,
    ...(run.payments ? { payments: paymentSummaryJson(run.payments) } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/** `recovery-pbr run`. */
export const command: CliCommand = {
  name: 'run',
  summary: 'run a scheme on a data folder: outcomes.csv, rejections.csv, summary.json',
  usage,
  options: {
    scheme: { type: 'string' },
    data: { type: 'string' },
    'as-of': { type: 'string' },
    out: { type: 'string' },
    strict: { type: 'boolean' },
    quiet: { type: 'boolean' },
    'temp-dir': { type: 'string' },
    workers: { type: 'string' },
    report: { type: 'string' },
  },
  async run(values, io) {
    const quiet = values['quiet'] === true;
    const outDir = pathOption(io, requiredString(values, 'out', '<folder>'));
    const schemeArg = requiredString(values, 'scheme', '<preset id | file>');
    const dataDir = pathOption(io, requiredString(values, 'data', '<folder>'));
    const asOf = dateOption(values, 'as-of');
    const workers = countOption(values, 'workers');
    const tempDir = typeof values['temp-dir'] === 'string' ? pathOption(io, values['temp-dir']) : undefined;
    const reportName = values['report'];
    if (reportName !== undefined && (typeof reportName !== 'string' || reportName !== basename(reportName) || reportName.startsWith('.') || !/^[^\\/]+\.html?$/i.test(reportName))) {
      throw new UsageError(`--report takes a file name ending in .html (e.g. report.html), written into --out (got '${String(reportName)}')`);
    }
    checkTempDirOutside(tempDir, outDir);
    return withOutputFolder(outDir, async (out) => {
      const scheme = await readScheme(schemeArg, io.cwd);
      const progress = runProgressReporter(io, quiet);
      let run: FolderRun | undefined;
      const runOptions = { asOf, workers, tempDir, onProgress: progress?.update };
      /** After the run: its notes, and the files to write (`outcomes.csv` among them unless written already). */
      const filesOf = (run: FolderRun, outcomesWritten: boolean): OutputFile[] => {
        progress?.clear();
        for (const n of run.notes) io.stderr(`recovery-pbr run: note: ${n}\n`);
        const summary = folderSummary(scheme, run);
        const done = run;
        // The report's rejection digest is fed while rejections.csv is written; files are written in
        // this order, so the report (made last, lazily) sees every rejection.
        const tally = rejectionTally();
        return [
          ...(outcomesWritten ? [] : [{ name: 'outcomes.csv', content: run.outcomesPieces() }]),
          ...(run.payments ? [{ name: 'payments.csv', content: paymentsCsv(run.payments.rows) }] : []),
          { name: 'rejections.csv', content: run.rejectionsCsv(reportName ? (r) => tally.add(r) : undefined) },
          { name: 'summary.json', content: summaryJson(summary) },
          ...(typeof reportName === 'string'
            ? [
                {
                  name: reportName,
                  content: (function* () {
                    yield reportFromRun({ summary, scheme, outcomes: done.outcomeBreakdown, payments: done.payments, rejections: tally.result() });
                  })(),
                },
              ]
            : []),
        ];
      };
      /** What the command says once every file is in place in --out. */
      const say = (run: FolderRun, written: readonly string[]): number => {
        // The answer first: what was paid, and what was not; then the tables (--quiet hides progress only).
        io.stdout(
          [
            paymentHeadline(run.payments, scheme),
            '',
            `Scheme ${scheme.id} ${scheme.version}, as of ${asOf}: ${plural(run.outcomes.clients, 'client')}, ${plural(run.outcomes.journeys, 'journey')}.`,
            '',
            outcomeTable(run.outcomes, scheme),
            '',
            ...(run.payments ? ['Payments by provider and period:', '', paymentTable(run.payments.rows), ''] : []),
            ...written.map((w) => `Wrote ${w}`),
          ].join('\n') + '\n',
        );
        const bands = unpricedBandsWarning(scheme, journeysByBand(run.outcomes, scheme));
        if (bands) io.stderr(bands);
        if (run.rejected > 0) io.stderr(`recovery-pbr run: ${plural(run.rejected, 'input row was', 'input rows were')} rejected; see ${written.find((w) => w.endsWith('rejections.csv'))}\n`);
        return 0;
      };
      try {
        // --strict writes rejections.csv alone when a row is rejected, which is known at the end.
        if (values['strict'] === true) {
          run = await runFolder(dataDir, scheme, runOptions);
          if (run.rejected > 0) {
            progress?.clear();
            for (const n of run.notes) io.stderr(`recovery-pbr run: note: ${n}\n`);
            const [path] = await out.write([{ name: 'rejections.csv', content: run.rejectionsCsv() }]);
            io.stderr(`recovery-pbr run: ${plural(run.rejected, 'row was', 'rows were')} rejected and --strict is set; see ${path}. ${strictWords(out)}\n`);
            return 1;
          }
          return say(run, await out.write(filesOf(run, false)));
        }
        // Otherwise outcomes.csv, the largest output, is written into the staging folder as the
        // partitions end (src/node/run-folder.ts, outcomesTo), and the other files after the run.
        // An error of the run itself is thrown again as it is, once the staging folder is gone,
        // so that it reads as it always has (not as a failure to write --out).
        let runError: { e: unknown } | undefined;
        let written: string[];
        try {
          written = await out.replace(async (staging) => {
            const outcomes = await staging.openFile('outcomes.csv');
            try {
              run = await runFolder(dataDir, scheme, { ...runOptions, outcomesTo: outcomes.sink });
            } catch (e) {
              runError = { e };
              // Closed (and synced) only to be removed with the staging folder: its own error must not hide the run's.
              await outcomes.sink.close().catch(() => undefined);
              throw e;
            }
            await outcomes.sink.close();
            const paths = [outcomes.path];
            for (const f of filesOf(run, true)) paths.push(await staging.writeFile(f.name, f.content));
            return paths;
          });
        } catch (e) {
          throw runError ? runError.e : e;
        }
        return say(run!, written);
      } finally {
        progress?.clear();
        await run?.dispose();
      }
    });
  },
};

/**
 * Journeys by their own band, from a run's outcome counts: every journey has one decision per
 * outcome, so the counts of any one outcome count the journeys.
 * @example journeysByBand(run.outcomes, scheme)['2']
 */
export function journeysByBand(outcomes: FolderRun['outcomes'], scheme: Pick<Scheme, 'outcomes'>): Record<string, number> {
  const first = scheme.outcomes[0];
  const out = Object.create(null) as Record<string, number>; // bands are any text
  if (!first) return out;
  for (const [band, c] of Object.entries(outcomes.by_outcome_and_band[first.id] ?? {})) out[band] = c.met + c.not_met + c.not_eligible + c.pending;
  return out;
}

/**
 * The `summary.json` of a folder run: tool version, scheme id, version, title and hash of its
 * resolved rules, asOf, every input (with its parts and their hashes), counts, outcomes, payments.
 * @example summaryJson(folderSummary(scheme, run))
 */
export function folderSummary(scheme: Scheme, run: FolderRun): RunSummary {
  const { provenance: _provenance, ...rules } = scheme;
  return {
    tool: { name: 'recovery-pbr', version: VERSION },
    scheme: { id: scheme.id, version: scheme.version, title: scheme.title, hash: sha256Json(rules) },
    asOf: run.asOf,
    inputs: folderInputsSummary(run) as RunSummary['inputs'],
    rejected_total: run.rejected,
    outcomes: run.outcomes,
    ...(run.payments ? { payments: paymentSummaryJson(run.payments) } : {}),
    ...(run.notes.length ? { notes: run.notes } : {}),
  };
}
