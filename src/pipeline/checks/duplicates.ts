/**
 * Duplicate keys (R-VAL-2, v3): rows of one file that share a key — an episode_id in `episodes`, a
 * client_id in `clients` — are compared. Identical copies: the first in read order is used and the
 * copies are rejected. Rows that differ: all are rejected, since none can be trusted. Either way no
 * result depends on row order. Rows are compared on their parsed values, wherever they were read
 * (so ` C1` and `C1` are the same value). Browser-safe.
 * @module
 */
import type { RecordTable } from '../../ingest/table.js';
import { conflictReason, duplicateReason, type PartNames } from '../positions.js';
import type { PlacedRejection } from '../rejections.js';

/**
 * Marks the rows of `table` to keep, given its key column (a vocabulary index per row, below
 * `vocabularySize`), and rejects the duplicates of the rows `own` says are this partition's (all
 * rows when `own` is undefined). Returns 1 per kept row.
 * @example const kept = dedupeRows(episodes, 0, reader.vocab.episodes.size, names, rejections, own)
 */
export function dedupeRows(
  table: RecordTable,
  keyField: number,
  vocabularySize: number,
  names: PartNames,
  rejections: PlacedRejection[],
  own: Uint8Array | undefined,
  clientOf: (row: number) => string | undefined,
): Uint8Array {
  const n = table.length;
  const kept = new Uint8Array(n).fill(1);
  const keys = table.cols[keyField]! as Int32Array;
  const kind = kindIndexOf(table);
  const fieldName = table.fields[keyField]!.name;
  // First row of each key, by its vocabulary index (a typed array, not a map of a million entries);
  // repeated keys are rare, so their rows are listed only then.
  const first = new Int32Array(vocabularySize).fill(-1);
  let repeated: Map<number, number[]> | undefined;
  for (let r = 0; r < n; r++) {
    const k = keys[r]!;
    const f = first[k];
    if (f === -1) first[k] = r;
    else {
      if (f === undefined) throw new Error(`internal error: ${table.file} row whose ${fieldName} has no vocabulary index`);
      repeated ??= new Map();
      const list = repeated.get(k);
      if (list) list.push(r);
      else repeated.set(k, [f, r]);
    }
  }
  if (!repeated) return kept;
  for (const rows of repeated.values()) {
    // Read order (rows of a second pass, src/pipeline/read.ts, come after later rows of the first).
    rows.sort((a, b) => table.pos[a]! - table.pos[b]!);
    const positions = rows.map((r) => table.pos[r]!);
    const value = String(table.value(keyField, rows[0]!));
    const identical = rows.every((r) => sameRow(table, r, rows[0]!));
    const code = identical ? 'duplicate_row' : 'conflicting_rows';
    const reason = identical ? duplicateReason(names, kind, positions[0]!) : conflictReason(names, kind, positions);
    rows.forEach((r, i) => {
      if (identical && i === 0) return;
      kept[r] = 0;
      if (own === undefined || own[r] === 1) rejections.push({ kind, pos: table.pos[r]!, field: fieldName, value, code, reason, client: clientOf(r) });
    });
  }
  return kept;
}

/** Whether rows a and b hold the same values in every column (where they were read aside). */
function sameRow(table: RecordTable, a: number, b: number): boolean {
  for (const col of table.cols) {
    const x = col[a]!;
    const y = col[b]!;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

const KINDS = ['episodes', 'reviews', 'drug_tests', 'offences', 'employment', 'clients'];
function kindIndexOf(table: RecordTable): number {
  return KINDS.indexOf(table.file);
}
