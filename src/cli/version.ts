/** Library version, stamped by the build from package.json (`0.0.0-dev` when run from sources). */
export const VERSION: string = typeof __RECOVERY_PBR_VERSION__ === 'string' ? __RECOVERY_PBR_VERSION__ : readVersion();
declare const __RECOVERY_PBR_VERSION__: string | undefined;

import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-dev';
  }
}
