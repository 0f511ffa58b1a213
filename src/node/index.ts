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
export { openCsv, readCsv } from '../io/csv.js';
export { openNdjson, readNdjson, type NdjsonOptions } from '../io/ndjson.js';
export { DEFAULT_MAX_RECORD_CHARS, type ReadOptions, type ReadRow, type TableSource } from '../io/source.js';
export {
  findInputFiles,
  type InputFileInfo,
  type InputFormat,
  type ReadDatasetOptions,
  type ReadDatasetResult,
  type ReadProgress,
} from '../io/dataset.js';
export { parseJsonText, readScheme, readSchemeDocument, type SchemeDocument } from '../io/scheme.js';
export {
  ensureOutDir,
  openOutputFolder,
  writeOutputFiles,
  OUTPUT_NAMES,
  type FileSink,
  type OutputContent,
  type OutputFile,
  type OutputFolder,
  type OutputFolderOptions,
  type StagingFolder,
} from '../io/write.js';
export { canonicalJson, sha256File, sha256Json } from '../io/hash.js';
export { failOnProblems, readAggregateCounts, readLocalIndicators, readSuppliedRows, readWeights } from '../io/health-premium.js';
export { runFolder, readDataset, checkFolder, clientRecordsInFolder, readFolderDataset, modelFolder, folderInputsSummary, type FolderModel, type FolderCheck, type FolderClient, type FolderDataset, type FolderRun, type PartSummary, type RunFolderOptions, type RunProgress } from './run-folder.js';
export { findInputParts, type InputPart, type InputSet } from '../io/dataset.js';
export { type CsvColumns } from '../io/csv.js';
export type { ReadRules } from './partition-task.js';
