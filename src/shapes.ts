/**
 * Objects kept for the life of the thread so that V8 keeps their shapes. Browser-safe.
 *
 * V8 compiles hot code for the shapes (maps) of the objects it meets, and holds the shapes an
 * object goes through as its fields are set only weakly, from the objects that have them. A
 * national run makes each kind of per-client object (records, evidence) anew in every partition:
 * when a partition's objects all died, so did their shapes, the code compiled for them was thrown
 * away, and the next partition's objects, of new shapes, had it compiled again (at 1M the record
 * constructors 35 compilations, 12 with one record of each kept; bench/README.md, seventeenth
 * session). One object of each kind kept keeps the shapes.
 * @module
 */

/** Kinds → the object kept of each of their variants. */
const KEPT = new Map<object, object[]>();

/**
 * Keeps `example` as the object of `kind` (a class or constructor) and `variant` (e.g. with or
 * without an optional field), unless one is kept already: at most one object per kind and variant,
 * however many are offered.
 * @example keepShape(EvidenceAsOf, 0, new EvidenceAsOf(noRecords, presence, undefined))
 */
export function keepShape(kind: object, variant: number, example: object): void {
  let kept = KEPT.get(kind);
  if (!kept) KEPT.set(kind, (kept = []));
  kept[variant] ??= example;
}
