/**
 * The package's own location and version, wherever the code runs from (sources or dist/).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding recovery-pbr's package.json (found by walking up from this file).
 * @example join(packageRoot(), 'examples', 'demo')
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'recovery-pbr') return dir;
      } catch {
        /* keep looking */
      }
    }
    dir = dirname(dir);
  }
  return process.cwd();
}

declare const __RECOVERY_PBR_VERSION__: string | undefined;

/** Library version, stamped by the build from package.json (read from it when run from sources). */
export const VERSION: string =
  typeof __RECOVERY_PBR_VERSION__ === 'string'
    ? __RECOVERY_PBR_VERSION__
    : (() => {
        try {
          return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
        } catch {
          return '0.0.0-dev';
        }
      })();
