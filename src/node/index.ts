/**
 * Node-only helpers of recovery-pbr (`recovery-pbr/node`): reading input files and schemes from disk,
 * writing outputs and synthetic data.
 * @module
 */
export {
  writeGeneratedDataset,
  type GeneratedDatasetReport,
  type GeneratedFileReport,
  type GeneratedFormat,
  type WriteGeneratedOptions,
} from '../io/generate.js';
