/**
 * Editing a scheme document in the page: reading a value (through `{value, provenance}`
 * wrappers), setting or removing one by path, and the edited scheme as a document of its own — its
 * own id, version and title, and every value the person changed carrying provenance that says it
 * was edited here and what it was (SPEC §6: every parameter carries provenance). What the page
 * computes with is that same document, so an exported scheme run by the CLI gives the same bytes.
 * @module
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isWrapper(v: unknown): v is { value: unknown; provenance: unknown } {
  return isObject(v) && 'value' in v && 'provenance' in v && Object.keys(v).every((k) => k === 'value' || k === 'provenance' || k === 'note');
}

/** A value with its provenance wrapper (if any) taken off. */
export function plain(v: unknown): unknown {
  return isWrapper(v) ? plain(v.value) : v;
}

/** A path as keys: `tariff.outcomes.free-from-dependence.1` → ['tariff', 'outcomes', 'free-from-dependence', '1']. */
export type Path = readonly string[];

/** The plain value at a path of a document (wrappers taken off on the way), or undefined. */
export function valueAt(doc: unknown, path: Path): unknown {
  let cur: unknown = plain(doc);
  for (const k of path) {
    if (!isObject(cur)) return undefined;
    cur = plain(cur[k]);
  }
  return cur;
}

/** A copy of the document with the value at `path` set (objects made on the way; a wrapper there is replaced). */
export function setAt(doc: unknown, path: Path, value: unknown): unknown {
  const root = structuredClone(doc) as Record<string, unknown>;
  let cur: Record<string, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    let next = cur[k];
    if (isWrapper(next)) next = structuredClone(next.value);
    if (!isObject(next)) next = {};
    cur[k] = next;
    cur = next as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
  return root;
}

/** A copy of the document without the value at `path` (an object left empty stays, empty). */
export function removeAt(doc: unknown, path: Path): unknown {
  const root = structuredClone(doc) as Record<string, unknown>;
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isObject(cur)) return root;
    let next = cur[path[i]!];
    if (isWrapper(next)) {
      next = structuredClone(next.value);
      cur[path[i]!] = next;
    }
    cur = next;
  }
  if (isObject(cur)) delete cur[path[path.length - 1]!];
  return root;
}

/** The path as SPEC's problem paths write it (R-VAL-4): `tariff.outcomes.free-from-dependence.1`. */
export function pathText(path: Path): string {
  return path.join('.');
}

/** Values that differ between two documents, as paths to leaves (an array is one leaf). */
export function changedLeaves(a: unknown, b: unknown, at: string[] = []): { path: string[]; before: unknown; after: unknown }[] {
  const x = plain(a);
  const y = plain(b);
  if (isObject(x) && isObject(y)) {
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => k !== 'provenance');
    return keys.flatMap((k) => changedLeaves(x[k], y[k], [...at, k]));
  }
  if (isObject(y) && x === undefined) return changedLeaves({}, y, at);
  if (JSON.stringify(x) === JSON.stringify(y)) return [];
  return [{ path: at, before: x, after: y }];
}

function shown(v: unknown): string {
  if (v === undefined) return 'not set';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** What the edited scheme is called. */
export interface EditedIdentity {
  id: string;
  version: string;
}

/**
 * The edited scheme as a document of its own: the original document with each changed value set,
 * wrapped with provenance (`illustrative`, noted "Edited in the recovery-pbr workbench" with the
 * value it replaced), and its own id, version, title and description. With no change, the original
 * document itself (so results equal the original scheme's, to the byte).
 * @example editedDocument(preset, withNewPrice, { id: 'my-tariff', version: '1' })
 */
export function editedDocument(original: unknown, working: unknown, identity: EditedIdentity): unknown {
  const changes = changedLeaves(original, working).filter((c) => !['id', 'version', 'title', 'description'].includes(c.path.join('.')));
  if (changes.length === 0) return original;
  const base = valueAt(original, []) as Record<string, unknown>;
  let doc: unknown = structuredClone(original);
  for (const c of changes) {
    if (c.after === undefined) {
      doc = removeAt(doc, c.path);
      continue;
    }
    const note = c.before === undefined ? 'Added in the recovery-pbr workbench.' : `Edited in the recovery-pbr workbench (was ${shown(c.before)}).`;
    doc = setAt(doc, c.path, { value: c.after as Json, provenance: { kind: 'illustrative', note } });
  }
  const from = `${String(plain(base['id']))} ${String(plain(base['version']))}`;
  doc = setAt(doc, ['id'], identity.id);
  doc = setAt(doc, ['version'], identity.version);
  doc = setAt(doc, ['title'], `${String(plain(base['title']))} (edited)`);
  doc = setAt(
    doc,
    ['description'],
    `Edited in the recovery-pbr workbench from ${from}: ${changes.length} ${changes.length === 1 ? 'value' : 'values'} changed (${changes
      .slice(0, 6)
      .map((c) => c.path.join('.'))
      .join(', ')}${changes.length > 6 ? ', …' : ''}). Each changed value carries its own provenance.`,
  );
  return doc;
}
