/**
 * Writes a synthetic cohort (src/generate) to disk as the six input files of SPEC §2, as CSV
 * (header row, columns in SPEC order, `csvLine` of src/output/csv.ts) or NDJSON (one object a line,
 * keys in SPEC order, blank fields left out). Streams client by client with backpressure, so a
 * million clients are written in bounded memory. Files are written under temporary names and
 * renamed when complete, so a failed run leaves no partial files behind (SPEC §5).
 * @module
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateClients, resolveGenerateOptions, type GeneratedRow, type GenerateOptions } from '../generate/index.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import { columnsOf } from '../schema/records.js';
import { csvLine } from '../output/csv.js';

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
  tmp: string;
  stream: WriteStream;
  /** Lines waiting to be written, and their total length in characters. */
  lines: string[];
  chars: number;
  rows: number;
  bytes: number;
  line: (row: GeneratedRow) => string;
}

async function flush(sink: Sink): Promise<void> {
  if (sink.lines.length === 0) return;
  const chunk = sink.lines.join('');
  sink.lines = [];
  sink.chars = 0;
  sink.bytes += Buffer.byteLength(chunk, 'utf8');
  if (!sink.stream.write(chunk)) await once(sink.stream, 'drain');
}

async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * Generates a cohort and writes its six input files into `outDir` (created if needed), replacing
 * files of the same names. Same options ⇒ same bytes.
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
  await mkdir(outDir, { recursive: true });
  const sinks: Sink[] = [];
  const failures: unknown[] = [];
  const renamed: string[] = [];
  try {
    for (const file of INPUT_FILES) {
      const path = join(outDir, `${file}.${format}`);
      const tmp = join(outDir, `.${file}.${format}.partial`);
      const stream = createWriteStream(tmp, { encoding: 'utf8' });
      // Keep an error for later instead of letting it crash the process; the awaits below see it.
      stream.on('error', (e) => failures.push(e));
      const f = formatter(file, format);
      sinks.push({ file, path, tmp, stream, lines: f.header ? [f.header] : [], chars: f.header.length, rows: 0, bytes: 0, line: f.line });
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
      if (failures.length > 0) throw failures[0];
      done++;
      if (write.onProgress && done % progressEvery === 0) write.onProgress(done, o.clients);
    }
    for (const sink of sinks) await flush(sink);
    for (const sink of sinks) await closeStream(sink.stream);
    if (failures.length > 0) throw failures[0];
    for (const sink of sinks) {
      await rename(sink.tmp, sink.path);
      renamed.push(sink.path);
    }
    write.onProgress?.(o.clients, o.clients);
    return {
      clients: o.clients,
      seed: o.seed,
      format,
      errorRate: o.errorRate,
      corruptions,
      files: sinks.map((s) => ({ file: s.file, path: s.path, rows: s.rows, bytes: s.bytes })),
    };
  } catch (e) {
    for (const sink of sinks) {
      sink.stream.destroy();
      await rm(sink.tmp, { force: true }).catch(() => undefined);
    }
    // A half-renamed set would mix this run's files with older ones: remove what this run wrote.
    for (const path of renamed) await rm(path, { force: true }).catch(() => undefined);
    throw e;
  }
}
