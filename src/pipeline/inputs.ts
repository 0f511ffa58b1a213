/**
 * Input files into a partition, wherever their bytes come from (a file on disk read in chunks, a
 * `File` in the page): the header checks of every CSV part before any row is read (R-VAL-3), the
 * NDJSON key guard, feeding a part's bytes to a {@link PartitionReader}, and the notes a person
 * should read about what was read. The Node runner and the workbench both use these, so they say
 * the same things in the same words. Browser-safe.
 * @module
 */
import { RecoveryPbrError } from '../errors.js';
import { CsvTokenizer, cellText, isBlankRecord, type CsvRecord } from '../ingest/csv.js';
import { readError } from '../ingest/errors.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import { checkHeader, ndjsonKeyGuard, unknownColumnsNote } from '../validate/header.js';
import type { PartitionReader, PartRead } from './read.js';

/** One input part: its kind (SPEC order index), its index among the kind's parts, its name and format. */
export interface InputPartRef {
  kind: number;
  part: number;
  /** Name in messages (`episodes.csv`, `episodes/2013.csv`). */
  name: string;
  format: 'csv' | 'ndjson';
}

/** What a CSV file starts with: its header cells, `blank` when its first line is blank, `empty` with no byte. */
export interface HeaderRead {
  columns: string[] | undefined;
  empty: boolean;
}

/**
 * The header of a CSV file from its first chunks (reading stops at the end of the first record).
 * @example headerOf([new TextEncoder().encode('a,b\n1,2\n')]).columns // ['a', 'b']
 */
export function headerOf(chunks: Iterable<Uint8Array>): HeaderRead {
  const STOP = Symbol('stop');
  let columns: string[] | undefined;
  let total = 0;
  const tok = new CsvTokenizer((r: CsvRecord) => {
    if (!isBlankRecord(r)) {
      columns = [];
      for (let i = 0; i < r.cells; i++) columns.push(cellText(r, i).trim());
    }
    throw STOP;
  });
  try {
    for (const c of chunks) {
      total += c.length;
      tok.push(c);
    }
    tok.end();
  } catch (e) {
    if (e !== STOP && !(e instanceof Error && e.name === 'CsvSyntaxError')) throw e;
  }
  return { columns, empty: total === 0 };
}

/**
 * Checks the header of every CSV part before any row is read (R-VAL-3: a column naming a direct
 * identifier stops everything; required columns must be there; an empty file or one without a
 * header cannot be read). Throws a `RecoveryPbrError` listing every problem; returns the notes
 * (columns not used, ignored).
 * @example const notes = checkHeaders([{ kind: 0, part: 0, name: 'episodes.csv', format: 'csv', header: headerOf([bytes]) }])
 */
export function checkHeaders(parts: readonly (InputPartRef & { header: HeaderRead | undefined })[]): string[] {
  const errors: string[] = [];
  const notes: string[] = [];
  for (const p of parts) {
    if (p.format !== 'csv' || !p.header) continue;
    if (p.header.empty) {
      throw new RecoveryPbrError('input_syntax', `${p.name} is empty (0 bytes). A file with no rows still needs its header row; if you have no such data, remove the file.`, [
        { file: p.name, message: 'empty file' },
      ]);
    }
    if (p.header.columns === undefined) {
      errors.push(`${p.name} has no header row: its first line must name the columns (e.g. episode_id,client_id,…).`);
      continue;
    }
    const file = INPUT_FILES[p.kind]!;
    const check = checkHeader(file, p.header.columns);
    const rename = (e: string) => e.replace(new RegExp(`^${file}:`), `${p.name}:`);
    errors.push(...check.errors.map(rename));
    notes.push(...check.notes.map(rename));
  }
  if (errors.length > 0) {
    throw new RecoveryPbrError(
      'input_header',
      errors.length === 1 ? errors[0]! : `the input files cannot be used:\n${errors.map((e) => `  - ${e}`).join('\n')}`,
      errors.map((message) => ({ message })),
    );
  }
  return notes;
}

/**
 * Reads one part's bytes, chunk by chunk, into the partition; a file that cannot be read on throws
 * a `RecoveryPbrError` worded for the person (unclosed quote, text after a quote, runaway line).
 * `onChunk` hears of every chunk (e.g. to hash the file or report progress).
 * @example feedPart(reader, { kind: 0, part: 0, name: 'episodes.csv', format: 'csv' }, [bytes])
 */
export function feedPart(
  reader: PartitionReader,
  part: InputPartRef,
  chunks: Iterable<Uint8Array>,
  options: { maxRecordChars?: number | undefined; onChunk?: (chunk: Uint8Array) => void } = {},
): PartRead {
  const file = INPUT_FILES[part.kind]!;
  // NDJSON keys appear line by line: identifier keys and misspelled fields stop the run (R-VAL-3),
  // other keys are gathered for a note.
  const guard = part.format === 'ndjson' ? ndjsonKeyGuard(file, part.name) : undefined;
  const sink = guard ? reader.ndjson(part.kind, part.part, guard.check) : reader.csv(part.kind, part.part);
  try {
    for (const c of chunks) {
      options.onChunk?.(c);
      sink.push(c);
    }
    const read = sink.end();
    return guard ? { ...read, unknownKeys: guard.unknown() } : read;
  } catch (e) {
    throw readError(e, part.name, options.maxRecordChars);
  }
}

/**
 * The second pass over the episode CSV parts, when the partition wants it
 * ({@link PartitionReader.wantsForeignPass}): `chunksOf` gives a part's bytes again. Returns
 * whether there was one. NDJSON parts have none (their rows are all parsed in the first pass).
 * @example readForeignEpisodes(reader, parts, (p) => [bytes[p.kind]])
 */
export function readForeignEpisodes<P extends InputPartRef>(
  reader: PartitionReader,
  parts: readonly P[],
  chunksOf: (part: P) => Iterable<Uint8Array>,
  maxRecordChars?: number,
): boolean {
  if (!reader.wantsForeignPass()) return false;
  for (const part of parts) {
    if (part.kind !== 0 || part.format !== 'csv') continue;
    const sink = reader.foreignPass(part.part);
    try {
      for (const c of chunksOf(part)) sink.push(c);
      sink.end();
    } catch (e) {
      throw readError(e, part.name, maxRecordChars);
    }
  }
  return true;
}

/** What the notes of a reading are made from, per input kind. */
export interface KindRead {
  kind: number;
  /** The kind's name in messages (`episodes.csv`, or `episodes/` for a folder of parts). */
  name: string;
  /** Rows read (all partitions). */
  read: number;
  /** Rows holding bytes that are not UTF-8. */
  notUtf8: number;
  /** Per part, NDJSON keys that are not fields. */
  unknownKeys: { name: string; keys: readonly string[] }[];
}

/**
 * The notes of a reading, per kind in SPEC order: bytes that are not UTF-8 (how to save the file),
 * an optional file with no rows, NDJSON keys ignored.
 * @example readingNotes([{ kind: 1, name: 'reviews.csv', read: 0, notUtf8: 0, unknownKeys: [] }])
 */
export function readingNotes(kinds: readonly KindRead[]): string[] {
  const notes: string[] = [];
  for (const k of [...kinds].sort((a, b) => a.kind - b.kind)) {
    const file = INPUT_FILES[k.kind]!;
    if (k.notUtf8 > 0) {
      notes.push(
        `${k.name}: ${k.notUtf8} ${k.notUtf8 === 1 ? 'row holds' : 'rows hold'} bytes that are not UTF-8 (the file was probably saved as Latin-1 or Windows-1252); save it as UTF-8 and run again.`,
      );
    }
    if (k.read === 0 && file !== 'episodes') {
      notes.push(`${k.name} has no rows: read as "no ${file.replace('_', ' ')} recorded" (remove the file if the data is simply not available).`);
    }
    for (const u of k.unknownKeys) if (u.keys.length > 0) notes.push(unknownColumnsNote(u.name, u.keys, 'key'));
  }
  return notes;
}
