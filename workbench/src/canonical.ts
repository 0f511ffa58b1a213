/**
 * Canonical JSON (object keys sorted at every level), as src/io/hash.ts writes it for the scheme
 * hash of `summary.json` (that module hashes with node:crypto, so the page has its own copy of
 * this function; test/workbench/session.test.ts checks the two agree).
 * @module
 */

/**
 * JSON with object keys sorted at every level: one text per value.
 * @example canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = (v as Record<string, unknown>)[k];
      return out;
    }
    return v;
  });
}
