/**
 * Writes a synthetic cohort (src/generate) to disk as the six input files of SPEC §2, as CSV
 * (header row, columns in SPEC order, `csvLine` of src/output/csv.ts) or NDJSON (one object a line,
 * keys in SPEC order, blank fields left out). Streams client by client (each write awaited), so a
 * million clients are written in bounded memory. The six files replace the output folder as a
 * whole when all are complete (src/io/write.ts), so a failed run leaves no partial files (SPEC §5).
 * @module
 */
import { generateClients, resolveGenerateOptions, type GeneratedRow, type GenerateOptions } from '../generate/index.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import { columnsOf } from '../schema/records.js';
import { csvLine } from '../output/csv.js';
import { openOutputFolder, type FileSink } from './write.js';

/** Output format of the generated files. */
export type GeneratedFormat = 'csv' | 'ndjson';

/** Options of {@link writeGeneratedDataset}. */
export interface WriteGeneratedOptions {
  /** `csv` (default) or `ndjson`. */
  format?: GeneratedFormat;
  /** Called now and then with the clients written so far (for a progress display). */
  onProgress?: (clientsDone: number, clientsTotal: number) => void;
  /** Characters buffered per file before a write (default 64 Ki; larger chunks outlive the young generation and slow the GC). */
  chunkChars?: number;
}

/**
 * What was written to one file.
 * @example { file: 'episodes', path: 'out/episodes.csv', rows: 2677, bytes: 271980 }
 */
export interface GeneratedFileReport {
  file: InputFile;
  /** Full path of the file written. */
  path: string;
  /** Data rows (the CSV header is not counted). */
  rows: number;
  bytes: number;
}

/** What {@link writeGeneratedDataset} wrote. */
export interface GeneratedDatasetReport {
  clients: number;
  seed: number;
  format: GeneratedFormat;
  errorRate: number;
  /** Rows corrupted on purpose (validation must reject them). */
  corruptions: number;
  files: GeneratedFileReport[];
}

/** One formatted line of a generated row. */
function formatter(file: InputFile, format: GeneratedFormat): { header: string; line: (row: GeneratedRow) => string } {
  const columns = columnsOf(file);
  if (format === 'csv') {
    const cells: GeneratedRow[string][] = new Array(columns.length);
    return {
      header: csvLine(columns),
      line: (row) => {
        for (let i = 0; i < columns.length; i++) cells[i] = row[columns[i]!];
        return csvLine(cells);
      },
    };
  }
  return {
    header: '',
    line: (row) => {
      // Keys in SPEC order; JSON.stringify leaves out undefined (blank) fields.
      const o: GeneratedRow = {};
      for (const c of columns) o[c] = row[c];
      return JSON.stringify(o) + '\n';
    },
  };
}

interface Sink {
  file: InputFile;
  path: string;
  out: FileSink;
  /** Lines waiting to be written, and their total length in characters. */
  lines: string[];
  chars: number;
  rows: number;
  line: (row: GeneratedRow) => string;
}

async function flush(sink: Sink): Promise<void> {
  if (sink.lines.length === 0) return;
  const chunk = sink.lines.join('');
  sink.lines = [];
  sink.chars = 0;
  await sink.out.write(chunk);
}

/** The names `generate` writes: the six input files, as CSV or NDJSON. */
export const GENERATED_NAMES: readonly string[] = INPUT_FILES.flatMap((f) => [`${f}.csv`, `${f}.ndjson`]);

/**
 * Generates a cohort and writes its six input files as the whole content of `outDir` (created if
 * needed): the folder is replaced as a whole, as every output folder is (src/io/write.ts), so it
 * must be new, empty, or hold only files recovery-pbr writes. Same options ⇒ same bytes.
 * @example
 * const report = await writeGeneratedDataset({ clients: 2000, seed: 2012 }, 'out/demo');
 * report.files.map((f) => `${f.file}: ${f.rows} rows`);
 */
export async function writeGeneratedDataset(
  options: GenerateOptions,
  outDir: string,
  write: WriteGeneratedOptions = {},
): Promise<GeneratedDatasetReport> {
  const o = resolveGenerateOptions(options);
  const format = write.format ?? 'csv';
  const chunkChars = write.chunkChars ?? 64 * 1024;
  const folder = await openOutputFolder(outDir, { names: GENERATED_NAMES });
  return folder.replace(async (staging) => {
    const sinks: Sink[] = [];
    try {
      for (const file of INPUT_FILES) {
        const { sink: out, path } = await staging.openFile(`${file}.${format}`);
        const f = formatter(file, format);
        sinks.push({ file, path, out, lines: f.header ? [f.header] : [], chars: f.header.length, rows: 0, line: f.line });
      }
      let corruptions = 0;
      let done = 0;
      const progressEvery = Math.max(1000, Math.floor(o.clients / 100));
      for (const client of generateClients(o)) {
        corruptions += client.corruptions.length;
        for (const sink of sinks) {
          const rows = client.rows[sink.file];
          for (let i = 0; i < rows.length; i++) {
            const line = sink.line(rows[i]!);
            sink.lines.push(line);
            sink.chars += line.length;
          }
          sink.rows += rows.length;
          if (sink.chars >= chunkChars) await flush(sink);
        }
        done++;
        if (write.onProgress && done % progressEvery === 0) write.onProgress(done, o.clients);
      }
      for (const sink of sinks) {
        await flush(sink);
        await sink.out.close();
      }
      write.onProgress?.(o.clients, o.clients);
      return {
        clients: o.clients,
        seed: o.seed,
        format,
        errorRate: o.errorRate,
        corruptions,
        files: sinks.map((s) => ({ file: s.file, path: s.path, rows: s.rows, bytes: s.out.bytes })),
      };
    } catch (e) {
      for (const sink of sinks) await sink.out.close().catch(() => undefined);
      throw e;
    }
  });
}
