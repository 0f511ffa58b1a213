/**
 * Hashes for reproducibility (issue #6: `summary.json` holds the hash of every input and of the
 * scheme, so a run can be reproduced and proved).
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * `sha256:<hex>` of a file's bytes, streamed.
 * @example await sha256File('examples/demo/episodes.csv')
 */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}

/** JSON with object keys sorted by code point at every level: one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = (v as Record<string, unknown>)[k];
      return out;
    }
    return v;
  });
}

/**
 * `sha256:<hex>` of a value's canonical JSON (used for the resolved, parsed scheme, so a preset and
 * a file that say the same thing hash alike).
 * @example sha256Json(scheme)
 */
export function sha256Json(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}
