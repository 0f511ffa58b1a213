/**
 * Temporary folders for tests, removed after each test file. A module of its own, importing nothing
 * of the project's sources: the setup file (run before every test file, those that mock a module
 * included) loads it, and so loads nothing a test may want to replace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/**
 * Removes the folders {@link tempDir} made. Called after every test file by the setup file
 * (test/support/setup.ts): test files share their worker's modules (vitest.config.ts), so a hook
 * registered here, when the module first loads, ran after the first file of each worker only and
 * left every later file's folders behind.
 */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'rpbr-io-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}
