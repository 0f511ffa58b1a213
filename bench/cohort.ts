/**
 * Where the bench's generated cohorts live, and how a size is written (`10k`, `1m`): shared by
 * `npm run bench` (bench/run.ts) and `npm run bench:read` (bench/read.ts).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The project's cache folder (`$XDG_CACHE_HOME/recovery-pbr`, else `~/.cache/recovery-pbr`). */
export const cacheDir = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'recovery-pbr');

/**
 * The folder of the generated cohort of `clients` clients and `seed`.
 * @example cohortDir(1_000_000, 7) // ~/.cache/recovery-pbr/bench/1000000-seed7
 */
export function cohortDir(clients: number, seed: number | string): string {
  return join(cacheDir, 'bench', `${clients}-seed${seed}`);
}

/**
 * The number of clients a size stands for (`10k`, `1m`, `2.5m`, `500`); `option` names the option
 * in the message when the size cannot be read or is outside 1 … 10m (the generator's range).
 * @example parseSize('2m', '--sizes') // 2000000
 */
export function parseSize(s: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`${option}: '${s}' is not a size such as 10k, 1m or 2m`);
  const n = Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1));
  if (n < 1 || n > 10_000_000) throw new Error(`${option}: '${s}' is outside 1 … 10m clients (the generator's range)`);
  return n;
}
