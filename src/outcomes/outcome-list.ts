/**
 * Values worked out once from a scheme's list of outcomes (their order, their slots) and kept for
 * it, for code that runs for every journey or client.
 * @module
 */
import type { OutcomeDefinition } from '../schema/scheme/outcomes.js';

/** What {@link keptForOutcomes} keeps for a scheme: the value, and the list it was worked out from. */
interface Kept<T> {
  outcomes: readonly OutcomeDefinition[];
  value: T;
}

/**
 * `make()`, worked out once for a scheme object's outcome list and kept in `cache`: worked out again
 * when the list is no longer the same definitions in the same order (a caller of the library that
 * reordered, added or replaced outcomes in place between runs). A look costs one comparison per
 * outcome, not a map look-up per outcome and journey. A definition changed in place (its gateway,
 * its primitives) is not seen: change a scheme by parsing a new one.
 * @example const ids = keptForOutcomes(IDS, scheme, () => scheme.outcomes.map((o) => o.id).sort())
 */
export function keptForOutcomes<T>(cache: WeakMap<object, Kept<T>>, scheme: { outcomes: readonly OutcomeDefinition[] }, make: () => T): T {
  const kept = cache.get(scheme);
  if (kept !== undefined && sameList(kept.outcomes, scheme.outcomes)) return kept.value;
  const value = make();
  cache.set(scheme, { outcomes: [...scheme.outcomes], value });
  return value;
}

function sameList(a: readonly OutcomeDefinition[], b: readonly OutcomeDefinition[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
