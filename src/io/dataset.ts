/**
 * Reads a data folder (SPEC §2, §5): finds `<file>.csv` or `<file>.ndjson` for each of the six input
 * files, checks every header first (R-VAL-3 anonymisation guard, required columns) so that nothing is
 * read from a folder that cannot be used, then streams the rows through the field parsers
 * (R-VAL-2), keeping only parsed records, and finishes with the cross-row checks. Every row read is
 * either used or rejected, per file (R-VAL-1).
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RecoveryPbrError } from '../errors.js';
import { compareCodePoint } from '../calendar/index.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { Dataset, DatasetCounts, Rejection } from '../schema/dataset.js';
import type { ValidationOptions } from '../validate/index.js';
import { fileSystemError } from './source.js';

/** Format of an input file. */
export type InputFormat = 'csv' | 'ndjson';

/** An input file found in the data folder. */
export interface InputFileInfo {
  path: string;
  format: InputFormat;
  /** Size on disk. */
  bytes: number;
}

/** Progress of {@link readDataset}, reported after each batch of rows and when a file is done. */
export interface ReadProgress {
  file: InputFile;
  path: string;
  bytesRead: number;
  bytesTotal: number;
  rowsRead: number;
  done: boolean;
}

/** Options of {@link readDataset}. */
export interface ReadDatasetOptions {
  /** The scheme's own exit reason codes (SPEC §2.1), accepted besides the standard ones. */
  exitReasonMap?: ValidationOptions['exitReasonMap'];
  /** Days after discharge a review may be dated (R-VAL-2); default 28. */
  reviewToleranceDays?: number;
  /** Called as rows are read (for a progress bar on large files). */
  onProgress?: (p: ReadProgress) => void;
  /** Longest CSV record / NDJSON line in characters (default 8 Mi). */
  maxRecordChars?: number;
}

/** What {@link readDataset} returns. */
export interface ReadDatasetResult {
  /** The usable records, each with its row number. Optional files not supplied are `undefined`. */
  data: Dataset;
  /** Every rejected row, sorted by file (SPEC order), row, field. */
  rejections: Rejection[];
  /** Rows read, used and rejected per supplied file; `used + rejected = read`. */
  counts: DatasetCounts;
  /** Things the user should know that did not stop the run (ignored columns and files, …). */
  notes: string[];
  /** The files read, by input file kind. */
  files: Partial<Record<InputFile, InputFileInfo>>;
}

// Names people often give these files that the reader does not take, with what to do.
const LOOK_ALIKES: [RegExp, string][] = [
  [/\.(xlsx|xlsm|xls|ods)$/, 'is a spreadsheet: save it as "CSV UTF-8"'],
  [/\.(json|jsonl)$/, 'is not read: name an NDJSON file (one JSON object per line) .ndjson'],
  [/\.(txt|tsv|tab|dat)$/, 'is not read: save it as comma-separated .csv'],
  [/\.csv\.(gz|zip)$|\.zip$/, 'is compressed: unpack it first'],
];

/** The names in a data folder, in code point order; a clear error when it is missing or a file. */
async function dataFolderNames(dir: string): Promise<string[]> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new RecoveryPbrError('data_folder', `${dir} is a file; --data takes the folder that holds episodes.csv (or episodes.ndjson) and the other input files`);
    return (await readdir(dir)).sort(compareCodePoint);
  } catch (e) {
    throw fileSystemError(dir, e, 'data folder'); // (not found, not readable; a RecoveryPbrError as it is)
  }
}

/**
 * Finds the input files in a data folder: `<file>.csv` or `<file>.ndjson` (letter case ignored).
 * Throws a `RecoveryPbrError` when the folder is missing, when a file is there in both formats, or when
 * `episodes` is missing. Files that look like inputs but are not read are reported in `notes`.
 * @example const { files } = await findInputFiles('data');
 */
export async function findInputFiles(dir: string): Promise<{ files: Partial<Record<InputFile, InputFileInfo>>; notes: string[] }> {
  const names = await dataFolderNames(dir);
  const files: Partial<Record<InputFile, InputFileInfo>> = {};
  const notes: string[] = [];
  const lookAlikes: string[] = [];
  const folders: string[] = [];
  for (const file of INPUT_FILES) {
    const found: { name: string; format: InputFormat }[] = [];
    for (const n of names) {
      const l = n.toLowerCase();
      if (l === `${file}.csv`) found.push({ name: n, format: 'csv' });
      else if (l === `${file}.ndjson`) found.push({ name: n, format: 'ndjson' });
      else if (l === file) folders.push(n);
      else if (l.startsWith(`${file}.`)) {
        const hit = LOOK_ALIKES.find(([re]) => re.test(l));
        if (hit) lookAlikes.push(`${n} ${hit[1]}`);
      }
    }
    if (found.length > 1) {
      throw new RecoveryPbrError('data_folder', 
        `${dir} holds ${found.map((f) => f.name).join(' and ')}: keep one ${file} file (CSV or NDJSON), so it is clear which to read.`,
      );
    }
    const f = found[0];
    if (!f) {
      // A folder of parts (issue #6) is read by the national-scale reader (src/node); this one takes one file per kind.
      const folder = folders.find((n) => n.toLowerCase() === file);
      if (folder !== undefined && (await stat(join(dir, folder)).then((s) => s.isDirectory(), () => false))) {
        throw new RecoveryPbrError('data_folder', 
          `${join(dir, folder)} is a folder of parts: readDataset takes one ${file}.csv (or .ndjson) file; readFolderDataset (recovery-pbr/node), which every command uses, reads folders of parts.`,
        );
      }
      continue;
    }
    const path = join(dir, f.name);
    let bytes: number;
    try {
      const s = await stat(path);
      if (s.isDirectory()) throw new RecoveryPbrError('data_folder', `${path} is a folder, not a ${f.format.toUpperCase()} file`);
      bytes = s.size;
    } catch (e) {
      throw fileSystemError(path, e);
    }
    files[file] = { path, format: f.format, bytes };
  }
  if (!files.episodes) {
    const hint = lookAlikes.find((l) => l.toLowerCase().startsWith('episodes.'));
    throw new RecoveryPbrError('data_folder', 
      `no episodes.csv or episodes.ndjson in ${dir}: the episodes file is required.` + (hint ? ` (${hint}.)` : ''),
    );
  }
  for (const l of lookAlikes) notes.push(`${l}.`);
  return { files, notes };
}

/** One file of input rows: a whole input file, or one part of a folder of parts. */
export interface InputPart {
  path: string;
  /** Name in reports: `episodes.csv`, or `episodes/2013.csv` for a part of a folder. */
  name: string;
  format: InputFormat;
  bytes: number;
}

/** The rows of one input kind: one file, or a folder of parts read in name order (issue #6). */
export interface InputSet {
  /** Name in reports: `episodes.csv`, or `episodes/` for a folder. */
  name: string;
  folder: boolean;
  parts: InputPart[];
  /** Bytes of all parts. */
  bytes: number;
}

/**
 * Finds the input files of a data folder, each kind given as `<kind>.csv` / `<kind>.ndjson`, or as a
 * folder `<kind>/` of any number of `.csv` / `.ndjson` parts, read in name order (code point order of
 * the names). Throws a `RecoveryPbrError` when the folder is missing, when a kind is given twice (two
 * formats, or a file and a folder), when a folder of parts holds no part, or when `episodes` is
 * missing. Files not read are reported in `notes`.
 * @example const { inputs } = await findInputParts('data'); inputs.episodes?.parts.length
 */
export async function findInputParts(dir: string): Promise<{ inputs: Partial<Record<InputFile, InputSet>>; notes: string[] }> {
  const names = await dataFolderNames(dir);
  const inputs: Partial<Record<InputFile, InputSet>> = {};
  const notes: string[] = [];
  const lookAlikes: string[] = [];
  const formatOf = (n: string): InputFormat | undefined => {
    const l = n.toLowerCase();
    return l.endsWith('.csv') ? 'csv' : l.endsWith('.ndjson') ? 'ndjson' : undefined;
  };
  const sizeOf = async (path: string): Promise<{ bytes: number; folder: boolean }> => {
    try {
      const s = await stat(path);
      return { bytes: s.size, folder: s.isDirectory() };
    } catch (e) {
      throw fileSystemError(path, e);
    }
  };
  for (const file of INPUT_FILES) {
    const found: { name: string; format: InputFormat | 'folder' }[] = [];
    for (const n of names) {
      const l = n.toLowerCase();
      if (l === `${file}.csv`) found.push({ name: n, format: 'csv' });
      else if (l === `${file}.ndjson`) found.push({ name: n, format: 'ndjson' });
      else if (l === file) found.push({ name: n, format: 'folder' });
      else if (l.startsWith(`${file}.`)) {
        const hit = LOOK_ALIKES.find(([re]) => re.test(l));
        if (hit) lookAlikes.push(`${n} ${hit[1]}`);
      }
    }
    if (found.length > 1) {
      throw new RecoveryPbrError('data_folder', 
        `${dir} holds ${found.map((f) => (f.format === 'folder' ? `the folder ${f.name}/` : f.name)).join(' and ')}: keep one ${file} file (CSV or NDJSON) or one folder of parts, so it is clear which to read.`,
      );
    }
    const f = found[0];
    if (!f) continue;
    const path = join(dir, f.name);
    const { bytes, folder } = await sizeOf(path);
    if (f.format !== 'folder') {
      if (folder) throw new RecoveryPbrError('data_folder', `${path} is a folder, not a ${f.format.toUpperCase()} file`);
      inputs[file] = { name: f.name, folder: false, parts: [{ path, name: f.name, format: f.format, bytes }], bytes };
      continue;
    }
    if (!folder) continue; // a file named like the kind without an extension is not an input
    let entries: string[];
    try {
      entries = (await readdir(path)).sort(compareCodePoint);
    } catch (e) {
      throw fileSystemError(path, e, 'folder');
    }
    const parts: InputPart[] = [];
    const skipped: string[] = [];
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      const format = formatOf(e);
      const p = join(path, e);
      const info = await sizeOf(p);
      if (format === undefined || info.folder) {
        skipped.push(e);
        continue;
      }
      parts.push({ path: p, name: `${f.name}/${e}`, format, bytes: info.bytes });
    }
    if (parts.length === 0) {
      throw new RecoveryPbrError('data_folder', `the folder ${path} holds no .csv or .ndjson file: put the ${file} rows in one or more parts there, or remove the folder.`);
    }
    if (skipped.length > 0) notes.push(`${f.name}/: ${skipped.join(', ')} ${skipped.length === 1 ? 'is' : 'are'} not .csv or .ndjson and not read.`);
    inputs[file] = { name: `${f.name}/`, folder: true, parts, bytes: parts.reduce((a, p) => a + p.bytes, 0) };
  }
  if (!inputs.episodes) {
    const hint = lookAlikes.find((l) => l.toLowerCase().startsWith('episodes.'));
    throw new RecoveryPbrError('data_folder', 
      `no episodes.csv or episodes.ndjson (or folder episodes/) in ${dir}: the episodes file is required.` + (hint ? ` (${hint}.)` : ''),
    );
  }
  for (const l of lookAlikes) notes.push(`${l}.`);
  return { inputs, notes };
}

