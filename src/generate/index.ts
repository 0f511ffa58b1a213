/**
 * Seeded, deterministic synthetic treatment data (SPEC §2 input files) for demos, tests and
 * national-scale runs. Pure and browser-safe: no Node built-ins, no `Math.random`, no clock, no
 * locale. Each client comes from its own random stream derived from (seed, client index), so
 * `generateClients(options, a, b)` over any chunking gives exactly the rows of one big run, and
 * chunks can be generated in parallel. Output is streamed client by client: the cohort is never
 * held in memory.
 * @module
 */
import { toDayNumber } from '../calendar/index.js';
import type { InputFile } from '../schema/codes.js';
import { clientIdOf, episodeIdOf, generateClientRows, type ClientRows, type GeneratedRow, type Window } from './client.js';
import { corruptClientRows, type Corruption } from './errors.js';
import { resolveGenerateOptions, type GenerateOptions, type ResolvedGenerateOptions } from './options.js';
import { Rng } from './random.js';

export { clientIdOf, episodeIdOf, type Cell, type ClientRows, type GeneratedRow } from './client.js';
export type { Corruption } from './errors.js';
export {
  GENERATE_DEFAULTS,
  GENERATE_OPTIONS_SCHEMA,
  MAX_CLIENTS,
  resolveGenerateOptions,
  type GenerateOptions,
  type ResolvedGenerateOptions,
} from './options.js';
export { Rng, hashInts } from './random.js';

/** Random stream numbers: the clean data and the deliberate errors never share a stream. */
const STREAM_DATA = 1;
const STREAM_ERRORS = 2;

/**
 * One generated client: its rows per input file and the deliberate errors put into them.
 * @example generateClient({ clients: 10, seed: 1 }, 0).rows.episodes.length // 1 or more
 */
export interface GeneratedClient {
  /** 0-based index in the cohort. */
  index: number;
  client_id: string;
  rows: ClientRows;
  /** Rows corrupted on purpose (empty when errorRate is 0). */
  corruptions: Corruption[];
}

function windowOf(o: ResolvedGenerateOptions): Window {
  return { from: toDayNumber(o.from), to: toDayNumber(o.to), extract: toDayNumber(o.extractDate) };
}

function clientAt(o: ResolvedGenerateOptions, w: Window, index: number): GeneratedClient {
  const rows = generateClientRows(Rng.of(o.seed, index, STREAM_DATA), index, w);
  let corruptions: Corruption[] = [];
  if (o.errorRate > 0) {
    // A review "of another client's episode" points at a neighbour's first episode, which always exists.
    const neighbour = index > 0 ? index - 1 : index + 1 < o.clients ? index + 1 : -1;
    const foreign = neighbour >= 0 ? episodeIdOf(neighbour, 1) : 'E-NO-SUCH-EPISODE';
    corruptions = corruptClientRows(rows, Rng.of(o.seed, index, STREAM_ERRORS), o.errorRate, foreign);
  }
  return { index, client_id: clientIdOf(index), rows, corruptions };
}

/**
 * One client of the cohort, by 0-based index (the same whatever else is generated).
 * @example generateClient({ clients: 100, seed: 2012 }, 0).client_id // 'C0000001'
 */
export function generateClient(options: GenerateOptions, index: number): GeneratedClient {
  const o = resolveGenerateOptions(options);
  if (!Number.isInteger(index) || index < 0 || index >= o.clients) {
    throw new RangeError(`client index ${index} is outside 0 … ${o.clients - 1}`);
  }
  return clientAt(o, windowOf(o), index);
}

/**
 * Clients `fromIndex` (inclusive) to `toIndex` (exclusive) of the cohort, one at a time. Any
 * chunking gives the same clients as one run over the whole range.
 * @example for (const c of generateClients({ clients: 1000, seed: 2012 }, 0, 500)) write(c.rows)
 */
export function* generateClients(options: GenerateOptions, fromIndex = 0, toIndex?: number): Generator<GeneratedClient> {
  const o = resolveGenerateOptions(options);
  const end = toIndex ?? o.clients;
  if (!Number.isInteger(fromIndex) || !Number.isInteger(end) || fromIndex < 0 || end > o.clients || fromIndex > end) {
    throw new RangeError(`client range ${fromIndex} … ${end} is outside 0 … ${o.clients}`);
  }
  const w = windowOf(o);
  for (let i = fromIndex; i < end; i++) yield clientAt(o, w, i);
}

/**
 * The rows of one input file for clients `fromIndex` … `toIndex − 1`, in cohort order (a client's
 * rows together). To write all six files in one pass, iterate {@link generateClients} instead.
 * @example [...generateRows({ clients: 3, seed: 1 }, 'clients')].length // 3
 */
export function* generateRows(options: GenerateOptions, file: InputFile, fromIndex = 0, toIndex?: number): Generator<GeneratedRow> {
  for (const c of generateClients(options, fromIndex, toIndex)) yield* c.rows[file];
}

