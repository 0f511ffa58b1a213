/**
 * `recovery-pbr validate`: reads a data folder, checks it (R-VAL-1..3), writes `rejections.csv`
 * (SPEC §4) and prints per-file counts and a short journey summary. Exit 1 when any row was
 * rejected (SPEC §5), 0 otherwise, 2 on usage errors.
 * @module
 */
import { resolve } from 'node:path';
import { isIsoDate, compareCodePoint, type IsoDate } from '../../calendar/index.js';
import { readDataset } from '../../io/dataset.js';
import { readScheme } from '../../io/scheme.js';
import { writeOutputFiles } from '../../io/write.js';
import { buildJourneys, type Journey } from '../../journeys/index.js';
import { rejectionLines } from '../../output/rejections.js';
import { EXIT_CLASSES, INPUT_FILES, SUBSTANCE_GROUPS } from '../../schema/codes.js';
import type { Dataset } from '../../schema/dataset.js';
import { fileNamesOf, progressReporter } from '../shared.js';
import { UsageError, type CliCommand, type CliIO } from '../command.js';

const DEFAULT_SCHEME = 'national-model-2012';

const usage = `Usage: recovery-pbr validate --data <folder> --out <folder> [--scheme <preset id | file>] [--as-of <YYYY-MM-DD>]

Checks the input files in --data (episodes.csv or episodes.ndjson, and optionally reviews,
drug_tests, offences, employment, clients) without calculating any outcome:
  - stops with a message if a header names a direct identifier (name, date of birth, NHS number,
    postcode, address, phone, email) or lacks a required column;
  - lists every row that cannot be used in <out>/rejections.csv (file,row,field,value,reason);
    row numbers are spreadsheet rows (header = 1, first record = 2; NDJSON: the line);
  - prints rows read / used / rejected per file and a summary of treatment journeys.

Options:
  --data <folder>     folder holding the input files (required)
  --out <folder>      folder for rejections.csv (created if missing) (required)
  --scheme <id|file>  scheme whose exit codes, journey gap and review tolerance apply
                      (default ${DEFAULT_SCHEME})
  --as-of <date>      date at which journeys are open or closed (default: the latest date
                      in the episodes)

Exit codes: 0 every row usable, 1 rows rejected or input unusable, 2 usage error.`;

/** Text table: the first `left` columns left-aligned, the others (numbers) right-aligned. */
function table(header: string[], rows: (string | number)[][], left = 1): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) => r.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

/** The latest start or discharge date among the episodes (the default --as-of). */
function latestEpisodeDate(data: Dataset): IsoDate | undefined {
  let latest: IsoDate | undefined;
  for (const e of data.episodes) {
    if (latest === undefined || e.start_date > latest) latest = e.start_date;
    if (e.discharge_date !== undefined && e.discharge_date > latest) latest = e.discharge_date;
  }
  return latest;
}

/**
 * Journey summary text: clients, journeys open/closed, by substance group and exit class.
 * @example journeySummary(buildJourneys(episodes, { asOf }), 1, asOf, 21)
 */
export function journeySummary(journeys: readonly Journey[], clients: number, asOf: IsoDate, gapDays: number): string {
  const open = journeys.filter((j) => j.end_date === undefined).length;
  const lines = [
    `Journeys as of ${asOf} (episodes ${gapDays} days or less apart form one journey): ` +
      `${clients} ${clients === 1 ? 'client' : 'clients'}, ${journeys.length} ${journeys.length === 1 ? 'journey' : 'journeys'} ` +
      `(${open} open, ${journeys.length - open} closed)`,
  ];
  if (journeys.length === 0) return lines.join('\n');
  const unknownClass = journeys.some((j) => j.end_date !== undefined && j.exit_class === undefined);
  const header = ['substance group', 'journeys', 'open', 'closed', ...EXIT_CLASSES, ...(unknownClass ? ['unknown exit'] : [])];
  const row = (label: string, js: readonly Journey[]) => {
    const closed = js.filter((j) => j.end_date !== undefined);
    return [
      label,
      js.length,
      js.length - closed.length,
      closed.length,
      ...EXIT_CLASSES.map((c) => closed.filter((j) => j.exit_class === c).length),
      ...(unknownClass ? [closed.filter((j) => j.exit_class === undefined).length] : []),
    ];
  };
  const rows = SUBSTANCE_GROUPS.map((g) => row(g, journeys.filter((j) => j.substance_group === g))).filter((r) => (r[1] as number) > 0);
  rows.push(row('total', journeys));
  lines.push(table(header, rows));
  lines.push('(successful, transfer, unplanned, died: exit class of the closed journeys, SPEC §2.1)');
  return lines.join('\n');
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
    const schemeId = typeof schemeArg === 'string' && schemeArg !== '' ? schemeArg : DEFAULT_SCHEME;
    const scheme = await readScheme(schemeId, io.cwd);
    const dataDir = resolve(io.cwd, data);
    const outDir = resolve(io.cwd, out);

    const result = await readDataset(dataDir, {
      exitReasonMap: scheme.exitReasons,
      reviewToleranceDays: scheme.calendar.reviewToleranceDays,
      onProgress: progressReporter(io),
    });
    const rejectionsPath = (await writeOutputFiles(outDir, [{ name: 'rejections.csv', content: rejectionLines(result.rejections, fileNamesOf(result.files)) }]))[0]!;

    const rows: (string | number)[][] = INPUT_FILES.map((f) => {
      const c = result.counts[f];
      const info = result.files[f];
      return c && info ? [f, info.format, c.read, c.used, c.rejected] : [f, 'not supplied', '', '', ''];
    });
    const total = Object.values(result.counts).reduce(
      (t, c) => ({ read: t.read + c.read, used: t.used + c.used, rejected: t.rejected + c.rejected }),
      { read: 0, used: 0, rejected: 0 },
    );
    rows.push(['total', '', total.read, total.used, total.rejected]);
    const report: string[] = [
      `Data: ${dataDir}   Scheme: ${scheme.id} ${scheme.version}`,
      '',
      table(['file', 'format', 'read', 'used', 'rejected'], rows, 2),
    ];
    if (result.notes.length > 0) report.push('', 'Notes:', ...result.notes.map((n) => `  - ${n}`));

    const asOf = (asOfArg as string | undefined) ?? latestEpisodeDate(result.data);
    report.push('');
    if (asOf === undefined) {
      report.push('Journeys: none (no usable episodes).');
    } else {
      const byClient = new Map<string, Dataset['episodes']>();
      for (const e of result.data.episodes) {
        const list = byClient.get(e.client_id);
        if (list) list.push(e);
        else byClient.set(e.client_id, [e]);
      }
      const journeys: Journey[] = [];
      let clients = 0;
      for (const id of [...byClient.keys()].sort(compareCodePoint)) {
        const js = buildJourneys(byClient.get(id)!, {
          asOf,
          journeyGapDays: scheme.calendar.journeyGapDays,
          exitReasonMap: scheme.exitReasons,
        });
        if (js.length > 0) clients++;
        journeys.push(...js);
      }
      report.push(journeySummary(journeys, clients, asOf, scheme.calendar.journeyGapDays));
      const later = result.data.episodes.filter((e) => e.start_date > asOf).length;
      if (later > 0) report.push(`(${later} ${later === 1 ? 'episode starts' : 'episodes start'} after ${asOf} and ${later === 1 ? 'is' : 'are'} not counted.)`);
    }
    report.push('', `Wrote ${rejectionsPath} (${result.rejections.length} ${result.rejections.length === 1 ? 'row' : 'rows'}).`);
    io.stdout(report.join('\n') + '\n');

    if (result.rejections.length > 0) {
      const n = result.rejections.length;
      const examples = result.rejections
        .slice(0, 3)
        .map((r) => `  ${r.file} row ${r.row}${r.field ? `, ${r.field}` : ''}${r.value ? ` '${r.value.length > 40 ? `${r.value.slice(0, 40)}…` : r.value}'` : ''}: ${r.reason}`);
      io.stderr(
        `recovery-pbr validate: ${n} ${n === 1 ? 'row was' : 'rows were'} rejected; see ${rejectionsPath}\n` +
          examples.join('\n') +
          (n > examples.length ? `\n  … and ${n - examples.length} more` : '') +
          '\n',
      );
      return 1;
    }
    return 0;
  },
};
