/**
 * Node-only helpers of recovery-pbr (`recovery-pbr/node`): reading input files and schemes from disk.
 * @module
 */
export {};
