/**
 * `recovery-pbr/generate`: seeded, deterministic synthetic treatment data (the six input files of
 * SPEC §2) for demos, tests and national-scale runs. Same options ⇒ the same rows on any machine;
 * `generateClients(options, from, to)` over any chunking gives exactly the rows of one run. Pure and
 * browser-safe; `writeGeneratedDataset` in `recovery-pbr/node` writes a cohort to disk.
 * @example
 * import { generateRows } from 'recovery-pbr/generate';
 * for (const row of generateRows({ clients: 100, seed: 7 }, 'episodes')) console.log(row);
 * @module
 */
export {
  generateClient,
  generateClients,
  generateRows,
  type Cell,
  type ClientRows,
  type Corruption,
  type GeneratedClient,
  type GeneratedRow,
} from '../generate/index.js';
export { GENERATE_DEFAULTS, MAX_CLIENTS, resolveGenerateOptions, type GenerateOptions, type ResolvedGenerateOptions } from '../generate/options.js';
