/**
 * Rejected rows of a partition (R-VAL-1), held compactly, mergeable across partitions and ordered
 * as `rejections.csv` lists them: file (SPEC order), part, row, then field. Browser-safe.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { INPUT_FILES } from '../schema/codes.js';
import type { Rejection } from '../schema/dataset.js';
import type { RejectionCode } from '../schema/rejection-codes.js';
import { partOf, rowOf, type PartNames } from './positions.js';

/** One rejected row with its place (kind index, position) and, when known, its client's id. */
export interface PlacedRejection {
  kind: number;
  pos: number;
  field: string;
  value: string;
  code: RejectionCode;
  reason: string;
  /** The client the row names (its parsed client_id), when the row got that far. */
  client?: string | undefined;
}

/**
 * Orders rejections as `rejections.csv` lists them: file (SPEC order), part, row (then field).
 * @example rejections.sort(comparePlacedRejections)
 */
export function comparePlacedRejections(a: Pick<PlacedRejection, 'kind' | 'pos' | 'field'>, b: typeof a): number {
  return a.kind - b.kind || a.pos - b.pos || compareCodePoint(a.field, b.field);
}

/**
 * A placed rejection as the public {@link Rejection}: file, row (within its part), field, value,
 * code, reason; and the part's name when the kind was read from a folder of parts.
 * @example toRejection(r, names).row
 */
export function toRejection(r: PlacedRejection, names: PartNames): Rejection {
  const out: Rejection = { file: INPUT_FILES[r.kind]!, row: rowOf(r.pos), field: r.field, value: r.value, code: r.code, reason: r.reason };
  if (names.folder[r.kind]) out.part = names.parts[r.kind]![partOf(r.pos)];
  return out;
}
