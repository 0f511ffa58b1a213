/**
 * Reading the input files in the page (SPEC §2, R-VAL-1..3): the files a person picked or dropped
 * in, bytes in, the same records, rejections, counts and notes out as `recovery-pbr run` gets from
 * the same files. Nothing leaves the page: files are read with the File API, in the Web Worker.
 *
 * This is the ONE module of the workbench that reads files. It mirrors the Node readers
 * (src/io/csv.ts, src/io/ndjson.ts, src/io/dataset.ts), which cannot run in a browser, with the
 * same parser (PapaParse) and the same rules, and it is checked against the CLI's rejections.csv
 * in test/workbench/ingest.test.ts. When the core gains a browser-safe reader (issue #11), this
 * module is swapped for it: its callers only see {@link identifyFiles}, {@link readInputs} and
 * {@link checkInputs}.
 *
 * Same rules as the CLI: a UTF-8 BOM is dropped (a UTF-16 BOM switches to UTF-16); `\r\n` and `\r`
 * read as `\n`; header = row 1, a blank line takes a row number but is not read; a row with more or
 * fewer cells than the header is rejected whole, as is a row with bytes that are not UTF-8; a quote
 * never closed or text after a closing quote stops the file. Every header is checked before any row
 * is read (R-VAL-3: a column naming a direct identifier stops everything). One file per input kind:
 * folders of parts (`episodes/2013.csv`, …) are read by the command line only.
 * @module
 */
import Papa from 'papaparse';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { RecoveryPbrError } from '../../src/errors.js';
import { jsonErrorOffset, jsonErrorWhat } from '../../src/io/json.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import type { Dataset, DatasetCounts, Rejection } from '../../src/schema/dataset.js';
import { text } from '../../src/schema/fields.js';
import { columnsOf, parseRow, type FieldProblem } from '../../src/schema/records.js';
import { checkHeader, identifierKind } from '../../src/validate/header.js';
import { checkDataset, countFiles, sortRejections } from '../../src/validate/index.js';

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

/** One input file as read: its name, format, size, hash and rows read. */
export interface ReadFileInfo {
  kind: InputFile;
  name: string;
  format: InputFormat;
  bytes: number;
  /** `sha256:<hex>` of the file's bytes (as `summary.json` gives it). */
  hash: string;
}

/** What {@link readInputs} returns: every row parsed on its own; the checks across rows come in {@link checkInputs}. */
export interface ReadInputs {
  files: Partial<Record<InputFile, ReadFileInfo>>;
  /** Records that parsed, each with its row number, per kind (before the checks across rows). */
  parsed: Partial<Dataset>;
  /** Rows read per kind (blank lines are not rows read). */
  read: Partial<Record<InputFile, number>>;
  /** Rows rejected on their own (reader problems and field problems), in row order per kind. */
  rowRejections: Rejection[];
  /** Episode ids of rejected episode rows (id → first row), for the review messages. */
  rejectedEpisodes: Map<string, number>;
  /** Notes of the reading, in the CLI's order (header notes, then per file). */
  notes: string[];
}

/** Progress of the reading: the file, and the share of its rows processed. */
export interface IngestProgress {
  file: string;
  /** 0–1 over all files, by bytes. */
  share: number;
  rows: number;
}

/** Default longest record (CSV) or line (NDJSON) in characters, as the CLI's. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;
/** How long a value may be in a rejection report before it is cut (as src/io/source.ts). */
const MAX_SHOWN_VALUE = 200;
const REPLACEMENT_CHAR = '\ufffd';

function shownValue(value: string): string {
  if (value.length <= MAX_SHOWN_VALUE) return value;
  return `${value.slice(0, MAX_SHOWN_VALUE)}… (${value.length} characters)`;
}

function notUtf8Problem(field: string, value: string): FieldProblem {
  return {
    field,
    value: shownValue(value),
    reason: 'contains bytes that are not UTF-8 (shown as \ufffd), e.g. a Latin-1 or Windows-1252 accented letter; save the file as UTF-8 (in Excel: "CSV UTF-8")',
  };
}

function wrongWidthProblem(n: number, width: number): FieldProblem {
  return {
    field: '',
    value: '',
    reason:
      n > width
        ? `has ${n} cells but the header has ${width} columns; a comma inside a value needs quotes around the value ("a, b")`
        : `has ${n} ${n === 1 ? 'cell' : 'cells'} but the header has ${width} columns; add the missing cells (blank is fine: ,,)`,
  };
}

/** The text of a file's bytes: a UTF-16 BOM switches to UTF-16, a BOM is dropped, bytes that are not UTF-8 become U+FFFD. */
function decode(bytes: Uint8Array): string {
  const enc = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  return new TextDecoder(enc).decode(bytes);
}

function lineBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function isBlank(rec: readonly string[]): boolean {
  return rec.length === 1 && rec[0]!.trim().length === 0;
}

/** A raw row: its row number, cells by field, and a problem the reader found itself. */
interface RawRow {
  row: number;
  values: Record<string, unknown>;
  problem?: FieldProblem;
}

/** The header and rows of a CSV text, or a file-level error worded as the CLI words it. */
function csvRows(kind: InputFile, label: string, text: string): { rows: () => Generator<RawRow>; lines: number; errors: string[]; notes: string[] } {
  let t = text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
  if (t.length > 0 && t.charCodeAt(t.length - 1) !== 10) t += '\n';
  const parsed = Papa.parse<string[]>(t, { delimiter: ',', newline: '\n', quoteChar: '"', escapeChar: '"', header: false, dynamicTyping: false, skipEmptyLines: false });
  const recs = parsed.data;
  let bad: { at: number; code: 'unclosed_quote' | 'text_after_quote' } | undefined;
  for (const e of parsed.errors) {
    if (e.code !== 'MissingQuotes' && e.code !== 'InvalidQuotes') continue;
    const at = e.row ?? 0;
    const code = e.code === 'MissingQuotes' ? 'unclosed_quote' : 'text_after_quote';
    if (bad === undefined || at < bad.at || (at === bad.at && code === 'text_after_quote')) bad = { at, code };
  }
  if (bad !== undefined) {
    let line = 1;
    for (let i = 0; i < bad.at && i < recs.length; i++) {
      line++;
      for (const cell of recs[i]!) if (cell.indexOf('\n') !== -1) line += lineBreaks(cell);
    }
    const row = bad.at + 1;
    const where = `row ${row}${line !== row ? ` (line ${line} in a text editor)` : ` (line ${line})`}`;
    const rest = recs.slice(bad.at).reduce((a, r) => a + r.reduce((b, c) => b + c.length + 1, 0), 0);
    if (bad.code === 'unclosed_quote' && rest > MAX_RECORD_CHARS) {
      throw new RecoveryPbrError(
        'input_syntax',
        `${label}: ${where} runs on for more than ${MAX_RECORD_CHARS.toLocaleString('en-GB')} characters (reading stopped at line ${lineBreaks(t) + 1}). ` +
          'Most likely a quote (") in that row is never closed; check the quotes there. No rows were used.',
      );
    }
    if (bad.code === 'unclosed_quote') {
      throw new RecoveryPbrError(
        'input_syntax',
        `${label}: a quote (") opened in ${where} is never closed, so the rest of the file would be one cell. Add the missing closing quote, or remove the stray one, and run again.`,
      );
    }
    throw new RecoveryPbrError(
      'input_syntax',
      `${label}: in ${where} a quoted value has text after its closing quote (like "a"b), so where the value ends is unclear. ` +
        'Put the whole value in quotes and write each quote inside it twice ("a""b"), or remove the stray quote, and run again.',
    );
  }
  const head = recs[0];
  if (head === undefined || isBlank(head)) {
    throw new RecoveryPbrError('input_syntax', `${label} has no header row: its first line must name the columns (e.g. episode_id,client_id,…).`);
  }
  const columns = head.map((c) => c.trim());
  const check = checkHeader(kind, columns);
  const rename = (e: string) => e.replace(new RegExp(`^${kind}:`), `${label}:`);
  const keepIdx: number[] = [];
  const keepName: string[] = [];
  check.fields.forEach((n, i) => {
    if (n !== undefined && n !== '' && !keepName.includes(n)) {
      keepIdx.push(i);
      keepName.push(n);
    }
  });
  const width = columns.length;
  function* rows(): Generator<RawRow> {
    for (let i = 1; i < recs.length; i++) {
      const rec = recs[i]!;
      if (isBlank(rec)) continue;
      const values: Record<string, unknown> = {};
      let problem: FieldProblem | undefined;
      for (let k = 0; k < keepIdx.length; k++) {
        const cell = rec[keepIdx[k]!];
        if (cell === undefined) continue;
        values[keepName[k]!] = cell;
        if (problem === undefined && cell.indexOf(REPLACEMENT_CHAR) !== -1) problem = notUtf8Problem(keepName[k]!, cell);
      }
      if (rec.length !== width) problem = wrongWidthProblem(rec.length, width);
      yield problem ? { row: i + 1, values, problem } : { row: i + 1, values };
    }
  }
  return { rows, lines: recs.length, errors: check.errors.map(rename), notes: check.notes.map(rename) };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a JSON array';
  if (typeof v === 'string') return 'a JSON string';
  if (typeof v === 'number') return 'a JSON number';
  if (typeof v === 'boolean') return 'a JSON true/false';
  return 'not an object';
}

/** The rows of an NDJSON text (row = line), the identifier guard on every new key (R-VAL-3), and the keys not used. */
function ndjsonRows(kind: InputFile, label: string, text: string): { rows: RawRow[]; unknown: string[] } {
  const known = new Set(columnsOf(kind));
  const seen = new Set<string>();
  const unknown = new Set<string>();
  const out: RawRow[] = [];
  let line = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    if (nl === -1 && start >= text.length) break;
    line++;
    let t = text.slice(start, end);
    start = end + 1;
    if (t.length > MAX_RECORD_CHARS) {
      throw new RecoveryPbrError(
        'input_syntax',
        `${label}: line ${line} is longer than ${MAX_RECORD_CHARS.toLocaleString('en-GB')} characters and has not ended; each line of an NDJSON file must be one JSON object. Is this file NDJSON (one object per line)?`,
      );
    }
    if (t.length > 0 && t.charCodeAt(t.length - 1) === 13) t = t.slice(0, -1);
    if (line === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    if (t.length === 0 || t.trim().length === 0) {
      if (nl === -1) break;
      continue;
    }
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      // The line itself is not shown: it may hold keys that must never reach an output (R-VAL-3).
      const msg = (e as Error).message;
      out.push({ row: line, values: {}, problem: { field: '', value: '', reason: `is not valid JSON (${jsonErrorWhat(msg)} at column ${jsonErrorOffset(t, msg) + 1}); each line must be one JSON object such as {"client_id": "C1", …}` } });
      if (nl === -1) break;
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      out.push({ row: line, values: {}, problem: { field: '', value: '', reason: `is ${kindOf(v)}, not a JSON object; each line must be one object such as {"client_id": "C1", …}` } });
      if (nl === -1) break;
      continue;
    }
    const values = v as Record<string, unknown>;
    let fresh: string[] | undefined;
    for (const k in values) {
      if (!seen.has(k)) {
        seen.add(k);
        (fresh ??= []).push(k);
      }
    }
    if (fresh) {
      const ids = fresh.flatMap((k) => {
        const kindName = identifierKind(k);
        return kindName ? [`'${k}' (${kindName})`] : [];
      });
      if (ids.length > 0) {
        throw new RecoveryPbrError(
          'data_folder',
          `${label} line ${line}: ${ids.length === 1 ? 'key' : 'keys'} ${ids.join(', ')} ${ids.length === 1 ? 'identifies' : 'identify'} people directly. ` +
            `Remove ${ids.length === 1 ? 'it' : 'them'} from every line and run again: recovery-pbr only takes anonymised data (R-VAL-3). No output was written.`,
        );
      }
      for (const k of fresh) if (!known.has(k)) unknown.add(k);
    }
    let problem: FieldProblem | undefined;
    if (t.indexOf(REPLACEMENT_CHAR) !== -1) {
      for (const k of known) {
        const c = values[k];
        if (typeof c === 'string' && c.indexOf(REPLACEMENT_CHAR) !== -1) {
          problem = notUtf8Problem(k, c);
          break;
        }
      }
    }
    out.push(problem ? { row: line, values, problem } : { row: line, values });
    if (nl === -1) break;
  }
  return { rows: out, unknown: [...unknown].sort() };
}

/** `sha256:<hex>` of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return `sha256:${bytesToHex(sha256(bytes))}`;
}

/**
 * Reads the identified input files: every header is checked first (R-VAL-3 and required columns;
 * any problem stops everything before a row is read), then each file's rows are parsed on their own
 * (R-VAL-2 row rules). Throws a `RecoveryPbrError` for a file that cannot be used, worded as the CLI.
 * @example const read = await readInputs(identifyFiles(files).files)
 */
export async function readInputs(files: Partial<Record<InputFile, InputFileLike>>, onProgress?: (p: IngestProgress) => void): Promise<ReadInputs> {
  const totalBytes = INPUT_FILES.reduce((a, k) => a + (files[k]?.size ?? 0), 0) || 1;
  let doneBytes = 0;
  const infos: Partial<Record<InputFile, ReadFileInfo>> = {};
  const texts: Partial<Record<InputFile, string>> = {};
  const errors: string[] = [];
  const notes: string[] = [];
  const csv: Partial<Record<InputFile, ReturnType<typeof csvRows>>> = {};
  // Phase 1: read the bytes, hash them, and check every CSV header before any row is used.
  for (const kind of INPUT_FILES) {
    const f = files[kind];
    if (!f) continue;
    const format: InputFormat = f.name.toLowerCase().endsWith('.ndjson') ? 'ndjson' : 'csv';
    onProgress?.({ file: f.name, share: doneBytes / totalBytes, rows: 0 });
    const bytes = new Uint8Array(await f.arrayBuffer());
    if (format === 'csv' && bytes.length === 0) {
      throw new RecoveryPbrError('input_syntax', `${f.name} is empty (0 bytes). A file with no rows still needs its header row; if you have no such data, remove the file.`);
    }
    infos[kind] = { kind, name: f.name, format, bytes: bytes.length, hash: sha256Hex(bytes) };
    texts[kind] = decode(bytes);
    if (format === 'csv') {
      const c = csvRows(kind, f.name, texts[kind]!);
      csv[kind] = c;
      errors.push(...c.errors);
      notes.push(...c.notes);
    }
  }
  if (errors.length > 0) {
    throw new RecoveryPbrError('input_header', errors.length === 1 ? errors[0]! : `the input files cannot be used:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }
  // Phase 2: every row through the field parsers; only parsed records are kept.
  const parsed: Partial<Dataset> = {};
  const read: Partial<Record<InputFile, number>> = {};
  const rowRejections: Rejection[] = [];
  const rejectedEpisodes = new Map<string, number>();
  for (const kind of INPUT_FILES) {
    const info = infos[kind];
    if (!info) continue;
    let unknown: string[] = [];
    let rows: Iterable<RawRow>;
    let lines: number;
    if (info.format === 'csv') {
      rows = csv[kind]!.rows();
      lines = csv[kind]!.lines;
    } else {
      const r = ndjsonRows(kind, info.name, texts[kind]!);
      rows = r.rows;
      unknown = r.unknown;
      lines = r.rows.length ? r.rows[r.rows.length - 1]!.row : 1;
    }
    delete texts[kind];
    const records: object[] = [];
    let n = 0;
    let notUtf8 = 0;
    for (const r of rows) {
      n++;
      let problem = r.problem;
      if (problem === undefined) {
        const p = parseRow(kind, r.values);
        if (p.ok) {
          (p.record as { row?: number }).row = r.row;
          records.push(p.record);
          if ((n & 0x3fff) === 0) onProgress?.({ file: info.name, share: (doneBytes + (info.bytes * Math.min(1, r.row / lines))) / totalBytes, rows: n });
          continue;
        }
        problem = p.problem;
      } else if (problem.reason.startsWith('contains bytes that are not UTF-8')) notUtf8++;
      rowRejections.push({ file: kind, row: r.row, field: problem.field, value: shownValue(problem.value), reason: problem.reason });
      if (kind === 'episodes') {
        const id = text(r.values['episode_id']);
        if (id !== undefined && !rejectedEpisodes.has(id)) rejectedEpisodes.set(id, r.row);
      }
    }
    delete csv[kind];
    doneBytes += info.bytes;
    onProgress?.({ file: info.name, share: doneBytes / totalBytes, rows: n });
    (parsed as Record<string, unknown>)[kind] = records;
    read[kind] = n;
    if (notUtf8 > 0) {
      notes.push(`${info.name}: ${notUtf8} ${notUtf8 === 1 ? 'row holds' : 'rows hold'} bytes that are not UTF-8 (the file was probably saved as Latin-1 or Windows-1252); save it as UTF-8 and run again.`);
    }
    if (n === 0 && kind !== 'episodes') notes.push(`${info.name} has no rows: read as "no ${kind.replace('_', ' ')} recorded" (remove the file if the data is simply not available).`);
    if (unknown.length > 0) {
      notes.push(`${info.name}: ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => `'${k}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not used and ignored (never copied to outputs).`);
    }
  }
  return { files: infos, parsed, read, rowRejections, rejectedEpisodes, notes };
}

/** The usable dataset, every rejection and the counts per file, after the checks across rows. */
export interface CheckedInputs {
  data: Dataset;
  /** Sorted by file (SPEC order), row, field: the order of `rejections.csv`. */
  rejections: Rejection[];
  counts: DatasetCounts;
}

/**
 * The checks across rows (R-VAL-2: exit codes the scheme knows, duplicates, reviews against their
 * episode) on what {@link readInputs} parsed, with the scheme's exit codes and review tolerance.
 * Cheap: run again when those scheme settings change, without reading the files again.
 * @example checkInputs(read, { exitReasons: scheme.exitReasons, calendar: scheme.calendar })
 */
export function checkInputs(read: ReadInputs, scheme: { exitReasons: Readonly<Record<string, string>>; calendar: { reviewToleranceDays: number } }): CheckedInputs {
  const checked = checkDataset({ ...read.parsed, episodes: read.parsed.episodes ?? [] } as Dataset, {
    exitReasonMap: scheme.exitReasons,
    reviewToleranceDays: scheme.calendar.reviewToleranceDays,
    rejectedEpisodes: read.rejectedEpisodes,
  });
  const rejections = [...read.rowRejections];
  for (const r of checked.rejections) rejections.push({ ...r, value: shownValue(r.value) });
  sortRejections(rejections);
  return { data: checked.data, rejections, counts: countFiles(read.read, checked.data, rejections) };
}

/** The file name each kind was read from (for `rejections.csv`). */
export function fileNames(read: Pick<ReadInputs, 'files'>): Partial<Record<InputFile, string>> {
  const out: Partial<Record<InputFile, string>> = {};
  for (const [k, f] of Object.entries(read.files)) out[k as InputFile] = f!.name;
  return out;
}
