/**
 * `recovery-pbr validate`: checks a data folder (R-VAL-1..3) exactly as `run` reads it — the same
 * engine, so any size and folders of parts — writes `rejections.csv` (SPEC §4) and prints per-file
 * counts and a short journey summary. Exit 1 when any row was rejected (SPEC §5), 0 otherwise, 2 on
 * usage errors.
 * @module
 */
import { isIsoDate, type IsoDate } from '../../calendar/index.js';
import { readScheme } from '../../io/scheme.js';
import type { JourneyTally } from '../../journeys/tally.js';
import { checkFolder, type FolderCheck } from '../../node/run-folder.js';
import { EXIT_CLASSES, INPUT_FILES, SUBSTANCE_GROUPS } from '../../schema/codes.js';
import type { Rejection } from '../../schema/dataset.js';
import { printable, shownValue } from '../../schema/fields.js';
import { checkTempDirOutside, countOption, pathOption, runProgressReporter, withOutputFolder } from '../shared.js';
import { UsageError, type CliCommand } from '../command.js';
import { unpricedBandsWarning } from '../warnings.js';

const DEFAULT_SCHEME = 'national-model-2012';

const usage = `Usage: recovery-pbr validate --data <folder> --out <folder> [--scheme <preset id | file>] [--as-of <YYYY-MM-DD>]
         [--workers <n>] [--temp-dir <folder>] [--quiet]

Checks the input files in --data (episodes.csv or episodes.ndjson, and optionally reviews,
drug_tests, offences, employment, clients) without calculating any outcome:
  - stops with a message if a header names a direct identifier (name, date of birth, NHS number,
    postcode, address, phone, email) or lacks a required column;
  - lists every row that cannot be used in <out>/rejections.csv (file,row,field,value,reason,code);
    row numbers are spreadsheet rows (header = 1, first record = 2; NDJSON: the line);
  - prints rows read / used / rejected per file and a summary of treatment journeys;
  - warns (stderr) about tariff bands in the data that the scheme's tariff does not price:
    those journeys would not be paid.

Options:
  --data <folder>     folder holding the input files (required)
  --out <folder>      folder for rejections.csv (created if missing; replaced as a whole) (required)
  --scheme <id|file>  scheme whose exit codes, journey gap and review tolerance apply
                      (default ${DEFAULT_SCHEME})
  --as-of <date>      date at which journeys are open or closed (default: the latest date
                      in the episodes)
  --quiet             no progress bar (there is none when stderr is not a terminal); the counts
                      are still printed
  --temp-dir <folder> accepted for scripts written for earlier versions: validate writes no temporary file
  --workers <n>       worker threads for large inputs (default: one per core, up to 4; 0 = none)

Files are read exactly as \`run\` reads them: each input may be a folder of parts
(episodes/2013.csv, …), and large inputs are checked partition by partition in worker threads.

Exit codes: 0 every row usable, 1 rows rejected or input unusable, 2 usage error.`;

/** Text table: the first `left` columns left-aligned, the others (numbers) right-aligned. */
function table(header: string[], rows: (string | number)[][], left = 1): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) => r.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

/**
 * Journey summary text: clients, journeys open/closed, by substance group and exit class.
 * @example journeySummary(tally, '2015-03-31', 21)
 */
export function journeySummary(tally: JourneyTally, asOf: IsoDate, gapDays: number): string {
  const groups = SUBSTANCE_GROUPS.filter((g) => tally.groups[g] !== undefined);
  const total = new Array<number>(3 + EXIT_CLASSES.length + 1).fill(0);
  for (const g of groups) tally.groups[g]!.forEach((n, i) => (total[i]! += n));
  const [journeys = 0, open = 0] = total;
  const lines = [
    `Journeys as of ${asOf} (episodes ${gapDays} days or less apart form one journey): ` +
      `${tally.clients} ${tally.clients === 1 ? 'client' : 'clients'}, ${journeys} ${journeys === 1 ? 'journey' : 'journeys'} ` +
      `(${open} open, ${journeys - open} closed)`,
  ];
  if (journeys === 0) return lines.join('\n');
  const unknownClass = total[total.length - 1]! > 0;
  const header = ['substance group', 'journeys', 'open', 'closed', ...EXIT_CLASSES, ...(unknownClass ? ['unknown exit'] : [])];
  const row = (label: string, c: readonly number[]) => [label, ...(unknownClass ? c : c.slice(0, -1))];
  const rows = groups.map((g) => row(g, tally.groups[g]!));
  rows.push(row('total', total));
  lines.push(table(header, rows));
  lines.push('(successful, transfer, unplanned, died: exit class of the closed journeys, SPEC §2.1)');
  return lines.join('\n');
}

/** The format column of the counts table: `csv`, `ndjson`, or the parts of a folder. */
function formatOf(check: FolderCheck, file: (typeof INPUT_FILES)[number]): string {
  const set = check.inputs[file]!;
  if (!set.folder) return set.parts[0]?.format ?? '';
  const formats = [...new Set(set.parts.map((p) => p.format))].join('+');
  return `${formats}, ${set.parts.length} ${set.parts.length === 1 ? 'part' : 'parts'}`;
}

/** `recovery-pbr validate`. */
export const command: CliCommand = {
  name: 'validate',
  summary: 'check input files: rejections.csv, counts per file and a journey summary',
  usage,
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    scheme: { type: 'string' },
    'as-of': { type: 'string' },
    quiet: { type: 'boolean' },
    'temp-dir': { type: 'string' },
    workers: { type: 'string' },
  },
  async run(values, io) {
    const data = values['data'];
    const out = values['out'];
    const schemeArg = values['scheme'];
    const asOfArg = values['as-of'];
    if (typeof data !== 'string' || data === '') throw new UsageError('--data <folder> is required');
    if (typeof out !== 'string' || out === '') throw new UsageError('--out <folder> is required');
    if (asOfArg !== undefined && (typeof asOfArg !== 'string' || !isIsoDate(asOfArg))) {
      throw new UsageError(`--as-of must be a real date written YYYY-MM-DD (got '${String(asOfArg)}')`);
    }
    const workers = countOption(values, 'workers');
    const tempDir = typeof values['temp-dir'] === 'string' ? pathOption(io, values['temp-dir']) : undefined;
    const schemeId = typeof schemeArg === 'string' && schemeArg !== '' ? schemeArg : DEFAULT_SCHEME;
    const dataDir = pathOption(io, data);
    const outDir = pathOption(io, out);
    checkTempDirOutside(tempDir, outDir);
    return withOutputFolder(outDir, async (outFolder) => {
      const scheme = await readScheme(schemeId, io.cwd);
      const progress = runProgressReporter(io, values['quiet'] === true, 'checking');
      let check: FolderCheck | undefined;
      try {
        check = await checkFolder(dataDir, scheme, { asOf: asOfArg as IsoDate | undefined, workers, tempDir, onProgress: progress?.update });
        progress?.clear();
        for (const n of check.notes) io.stderr(`recovery-pbr validate: note: ${n}\n`);
        const examples: Rejection[] = [];
        const [rejectionsPath] = await outFolder.write([
          { name: 'rejections.csv', content: check.rejectionsCsv((r) => void (examples.length < 3 && examples.push(r))) },
        ]);

        const rows: (string | number)[][] = INPUT_FILES.map((f) => {
          const c = check!.counts[f];
          return c ? [f, formatOf(check!, f), c.read, c.used, c.rejected] : [f, 'not supplied', '', '', ''];
        });
        const total = Object.values(check.counts).reduce(
          (t, c) => ({ read: t.read + c.read, used: t.used + c.used, rejected: t.rejected + c.rejected }),
          { read: 0, used: 0, rejected: 0 },
        );
        rows.push(['total', '', total.read, total.used, total.rejected]);
        const report: string[] = [
          `Data: ${dataDir}   Scheme: ${scheme.id} ${scheme.version}`,
          '',
          table(['file', 'format', 'read', 'used', 'rejected'], rows, 2),
        ];
        report.push('');
        if (check.asOf === undefined) {
          report.push('Journeys: none (no usable episodes).');
        } else {
          report.push(journeySummary(check.journeys, check.asOf, scheme.calendar.journeyGapDays));
          const later = check.journeys.later;
          if (later > 0) report.push(`(${later} ${later === 1 ? 'episode starts' : 'episodes start'} after ${check.asOf} and ${later === 1 ? 'is' : 'are'} not counted.)`);
        }
        const n = check.rejected;
        report.push('', `Wrote ${rejectionsPath} (${n} ${n === 1 ? 'row' : 'rows'}).`);
        io.stdout(report.join('\n') + '\n');
        const bands = unpricedBandsWarning(scheme, check.journeys.bands);
        if (bands) io.stderr(bands);

        if (n > 0) {
          const lines = examples.map(
            // Values are shown as rejections.csv shows them (NHS numbers hidden), made safe for a terminal.
            (r) => `  ${r.file} row ${r.row}${r.field ? `, ${r.field}` : ''}${r.value ? ` '${printable(shownValue(r.value), 40)}'` : ''}: ${printable(r.reason, 300)}`,
          );
          io.stderr(
            `recovery-pbr validate: ${n} ${n === 1 ? 'row was' : 'rows were'} rejected; see ${rejectionsPath}\n` +
              lines.join('\n') +
              (n > lines.length ? `\n  … and ${n - lines.length} more` : '') +
              '\n',
          );
          return 1;
        }
        return 0;
      } finally {
        progress?.clear();
        await check?.dispose();
      }
    });
  },
};
