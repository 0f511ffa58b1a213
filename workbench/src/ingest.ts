/**
 * Reading the input files in the page (SPEC §2, R-VAL-1..3): the files a person picked or dropped
 * in, bytes in, the same records, rejections, counts and notes out as `recovery-pbr run` gets from
 * the same files. Nothing leaves the page: files are read with the File API, in the Web Worker.
 *
 * This is the ONE module of the workbench that reads files. The reading itself is the core's
 * pipeline, as `recovery-pbr run` reads (src/ingest: the tokenizer and columns; src/pipeline: the
 * reader, the header checks, the checks across rows), with one partition; test/workbench/ingest.test.ts
 * checks the outputs against the CLI's. What is the page's own: sorting picked files into input
 * kinds, and holding their bytes. One file per input kind: folders of parts
 * (`episodes/2013.csv`, …) are read by the command line only.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { checkHeaders, feedPart, headerOf, readingNotes, type KindRead } from '../../src/pipeline/inputs.js';
import { datasetOf, rejectionsOf } from '../../src/pipeline/memory.js';
import { checkPartition, type CheckedPartition } from '../../src/pipeline/partition.js';
import { PartitionReader } from '../../src/pipeline/read.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import type { Dataset, DatasetCounts, Rejection } from '../../src/schema/dataset.js';

/** What the page has of a file: a `File` (or anything with its name, size and bytes). */
export interface InputFileLike {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Path inside a picked folder (`webkitRelativePath`), e.g. `demo/episodes.csv`; '' or absent for a single file. */
  webkitRelativePath?: string;
}

/** Format of an input file. */
export type InputFormat = 'csv' | 'ndjson';

/** The files picked, sorted into input kinds. */
export interface IdentifiedFiles {
  files: Partial<Record<InputFile, InputFileLike>>;
  /** Files not read, each with what to do (shown to the person, and in `summary.json` notes as the CLI words them). */
  notes: string[];
  /** Problems that stop the reading (two files for one kind, a folder of parts, no episodes file). */
  errors: string[];
  /** Other files given that are not inputs (named neither like an input nor like a look-alike). */
  ignored: string[];
}

// Names people often give these files that the reader does not take, with what to do (as src/io/dataset.ts).
const LOOK_ALIKES: [RegExp, string][] = [
  [/\.(xlsx|xlsm|xls|ods)$/, 'is a spreadsheet: save it as "CSV UTF-8"'],
  [/\.(json|jsonl)$/, 'is not read: name an NDJSON file (one JSON object per line) .ndjson'],
  [/\.(txt|tsv|tab|dat)$/, 'is not read: save it as comma-separated .csv'],
  [/\.csv\.(gz|zip)$|\.zip$/, 'is compressed: unpack it first'],
];

function compareCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts picked files into input kinds by name, as the CLI finds them in a data folder:
 * `<kind>.csv` or `<kind>.ndjson`, letter case ignored. Files in a sub-folder of a picked folder
 * (a folder of parts) are refused with a message; look-alike names (`episodes.xlsx`) are noted.
 * @example identifyFiles([new File([...], 'episodes.csv')]).files.episodes?.name // 'episodes.csv'
 */
export function identifyFiles(picked: readonly InputFileLike[]): IdentifiedFiles {
  const files: Partial<Record<InputFile, InputFileLike>> = {};
  const notes: string[] = [];
  const errors: string[] = [];
  const lookAlikes: string[] = [];
  const sorted = [...picked].sort((a, b) => compareCodePoint(a.name, b.name));
  const depthOf = (f: InputFileLike) => (f.webkitRelativePath ? f.webkitRelativePath.split('/').length - 1 : 0);
  const top = Math.min(...sorted.map(depthOf), Number.MAX_SAFE_INTEGER);
  const partFolders = new Set<string>();
  for (const kind of INPUT_FILES) {
    const found: InputFileLike[] = [];
    for (const f of sorted) {
      const l = f.name.toLowerCase();
      if (depthOf(f) > top) {
        // A file inside a sub-folder of the picked folder: a folder of parts when the folder is named like a kind.
        const parts = f.webkitRelativePath!.split('/');
        const folder = parts[parts.length - 2]!;
        if (folder.toLowerCase() === kind) partFolders.add(folder);
        continue;
      }
      if (l === `${kind}.csv` || l === `${kind}.ndjson`) found.push(f);
      else if (l.startsWith(`${kind}.`)) {
        const hit = LOOK_ALIKES.find(([re]) => re.test(l));
        if (hit) lookAlikes.push(`${f.name} ${hit[1]}`);
      }
    }
    if (found.length > 1) {
      errors.push(`${found.map((f) => f.name).join(' and ')} were both given: keep one ${kind} file (CSV or NDJSON), so it is clear which to read.`);
    }
    if (found[0]) files[kind] = found[0];
  }
  for (const folder of [...partFolders].sort(compareCodePoint)) {
    errors.push(
      `${folder}/ is a folder of parts: the workbench reads one file per kind (${folder}.csv or ${folder}.ndjson). Join the parts into one file, or run the command line (recovery-pbr run), which reads folders of parts.`,
    );
  }
  if (!files.episodes && errors.length === 0) {
    const hint = lookAlikes.find((l) => l.toLowerCase().startsWith('episodes.'));
    errors.push(`no episodes.csv or episodes.ndjson among the files given: the episodes file is required.${hint ? ` (${hint}.)` : ''}`);
  }
  for (const l of lookAlikes) notes.push(`${l}.`);
  // Files the CLI passes over in silence in a folder; here the person chose them, so the page says so
  // (they are not in the notes, which must read as the CLI's).
  const used = new Set<InputFileLike>(Object.values(files));
  const ignored = sorted.filter((f) => !used.has(f) && depthOf(f) === top && !lookAlikes.some((l) => l.startsWith(`${f.name} `))).map((f) => f.name);
  return { files, notes, errors, ignored };
}

/** One input file as read: its name, format, size and hash. */
export interface ReadFileInfo {
  kind: InputFile;
  name: string;
  format: InputFormat;
  bytes: number;
  /** `sha256:<hex>` of the file's bytes (as `summary.json` gives it). */
  hash: string;
}

/**
 * What {@link readInputs} returns: the files' bytes (every header checked), and their rows read and
 * checked with the standard exit codes and review tolerance; {@link checkInputs} reads them again
 * only for a scheme whose reading rules differ.
 */
export interface ReadInputs {
  files: Partial<Record<InputFile, ReadFileInfo>>;
  /** The bytes of each file. */
  bytes: Partial<Record<InputFile, Uint8Array>>;
  /** Notes of the reading, in the CLI's order (header notes, then per file). */
  notes: string[];
  /** The rows read and checked with the standard rules (exit codes of SPEC §2.1, 28 days' tolerance). */
  standard: CheckedInputs;
}

/** Progress of the reading: the file, and the share of the bytes processed. */
export interface IngestProgress {
  file: string;
  /** 0–1 over all files, by bytes. */
  share: number;
  rows: number;
}

/**
 * `sha256:<hex>` of bytes (as `summary.json` gives a file's hash).
 * @example sha256Hex(new Uint8Array()) // 'sha256:e3b0…'
 */
export function sha256Hex(bytes: Uint8Array): string {
  return `sha256:${bytesToHex(sha256(bytes))}`;
}

/** The reading rules of a scheme: its own exit codes and the review tolerance (R-VAL-2). */
interface ReadingRules {
  exitReasons: Readonly<Record<string, string>>;
  calendar: { reviewToleranceDays: number };
}

const STANDARD: ReadingRules = { exitReasons: {}, calendar: { reviewToleranceDays: 28 } };

/** The usable dataset, every rejection and the counts per file, after the checks across rows. */
export interface CheckedInputs {
  /** The pipeline's partition (one: the page holds everything), for running the rules client by client. */
  partition: CheckedPartition;
  data: Dataset;
  /** Sorted by file (SPEC order), row, field: the order of `rejections.csv`. */
  rejections: Rejection[];
  counts: DatasetCounts;
  /** The per-file notes of this reading (bytes not UTF-8, files with no rows, NDJSON keys ignored). */
  notes: string[];
  /** The rules the rows were read with. */
  key: string;
}

function rulesKey(rules: ReadingRules): string {
  return JSON.stringify([rules.exitReasons, rules.calendar.reviewToleranceDays]);
}

/** Reads every file's bytes into one partition of the core's pipeline and checks it (R-VAL-1, R-VAL-2). */
function readAll(files: Partial<Record<InputFile, ReadFileInfo>>, bytes: Partial<Record<InputFile, Uint8Array>>, rules: ReadingRules, onProgress?: (p: IngestProgress) => void): CheckedInputs {
  const reader = new PartitionReader({ exitReasonMap: rules.exitReasons });
  const total = INPUT_FILES.reduce((a, k) => a + (files[k]?.bytes ?? 0), 0) || 1;
  let done = 0;
  const kinds: KindRead[] = [];
  for (const [kind, file] of INPUT_FILES.entries()) {
    const info = files[file];
    const b = bytes[file];
    if (!info || !b) continue;
    const PIECE = 4 * 1024 * 1024;
    const pieces = function* () {
      for (let i = 0; i < b.length; i += PIECE) yield b.subarray(i, Math.min(b.length, i + PIECE));
    };
    const r = feedPart(reader, { kind, part: 0, name: info.name, format: info.format }, pieces(), {
      onChunk: (c) => {
        done += c.length;
        onProgress?.({ file: info.name, share: done / total, rows: reader.read.reduce((x, y) => x + y, 0) });
      },
    });
    kinds.push({ kind, name: info.name, read: reader.read[kind]!, notUtf8: reader.notUtf8[kind]!, unknownKeys: [{ name: info.name, keys: r.unknownKeys }] });
  }
  const partition = checkPartition(reader, { names: { parts: INPUT_FILES.map((k) => [files[k]?.name ?? `${k}.csv`]), folder: INPUT_FILES.map(() => false) }, reviewToleranceDays: rules.calendar.reviewToleranceDays });
  return { partition, data: datasetOf(partition), rejections: rejectionsOf(partition), counts: partition.counts, notes: readingNotes(kinds), key: rulesKey(rules) };
}

/**
 * Reads the identified input files: every header is checked first (R-VAL-3 and required columns;
 * any problem stops everything before a row is read), then the rows go through the core's pipeline
 * (the reader and the checks of `recovery-pbr run`, one partition). Throws a `RecoveryPbrError` for
 * a file that cannot be used, worded as the CLI.
 * @example const read = await readInputs(identifyFiles(files).files)
 */
export async function readInputs(files: Partial<Record<InputFile, InputFileLike>>, onProgress?: (p: IngestProgress) => void): Promise<ReadInputs> {
  const infos: Partial<Record<InputFile, ReadFileInfo>> = {};
  const bytes: Partial<Record<InputFile, Uint8Array>> = {};
  const total = INPUT_FILES.reduce((a, k) => a + (files[k]?.size ?? 0), 0) || 1;
  let loaded = 0;
  for (const kind of INPUT_FILES) {
    const f = files[kind];
    if (!f) continue;
    const format: InputFormat = f.name.toLowerCase().endsWith('.ndjson') ? 'ndjson' : 'csv';
    onProgress?.({ file: f.name, share: loaded / total / 2, rows: 0 });
    const b = new Uint8Array(await f.arrayBuffer());
    loaded += b.length;
    infos[kind] = { kind, name: f.name, format, bytes: b.length, hash: sha256Hex(b) };
    bytes[kind] = b;
  }
  const headerNotes = checkHeaders(
    INPUT_FILES.flatMap((k, kind) => {
      const info = infos[k];
      return info ? [{ kind, part: 0, name: info.name, format: info.format, header: info.format === 'csv' ? headerOf([bytes[k]!]) : undefined }] : [];
    }),
  );
  const standard = readAll(infos, bytes, STANDARD, (p) => onProgress?.({ ...p, share: 0.5 + p.share / 2 }));
  return { files: infos, bytes, notes: [...headerNotes, ...standard.notes], standard };
}

/**
 * The rows checked with a scheme's exit codes and review tolerance (R-VAL-2): the standard reading
 * when the scheme adds nothing to it, else the files read again with the scheme's rules.
 * @example checkInputs(read, { exitReasons: scheme.exitReasons, calendar: scheme.calendar })
 */
export function checkInputs(read: ReadInputs, scheme: ReadingRules): CheckedInputs {
  if (rulesKey(scheme) === read.standard.key) return read.standard;
  return readAll(read.files, read.bytes, scheme);
}

/** The file name each kind was read from (for `rejections.csv`). */
export function fileNames(read: Pick<ReadInputs, 'files'>): Partial<Record<InputFile, string>> {
  const out: Partial<Record<InputFile, string>> = {};
  for (const [k, f] of Object.entries(read.files)) out[k as InputFile] = f!.name;
  return out;
}
