/**
 * Debian's Chromium, as the browser tests and bench/workbench.mjs drive it through playwright-core
 * (no browser download is possible here). Plain JavaScript so that the bench script, run with
 * node, can import it too.
 */
import { execFileSync } from 'node:child_process';

/** The flags every headless launch uses. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** The Chromium on PATH (`chromium`, else `chromium-browser`), or undefined. */
export function findChromium() {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (path) return path;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}
