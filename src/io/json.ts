/**
 * JSON syntax error positions: see src/ingest/json.ts (browser-safe; the Node readers use it too).
 * @module
 */
export * from '../ingest/json.js';
