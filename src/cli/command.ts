/**
 * The shape of a command-line command and the errors that map to exit codes (SPEC §5):
 * 0 success, 1 input or scheme that cannot be used, 2 usage error.
 * @module
 */
import type { ParseArgsConfig } from 'node:util';

/** Where a command writes; injected so tests run commands in-process. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is an interactive terminal (progress bars only then). */
  isTTY: boolean;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

/** Parsed options of a command. */
export type CliValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** One command of `recovery-pbr`. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage text printed by `--help` and on usage errors. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Allow positional arguments (default: none). */
  positionals?: boolean;
  run(values: CliValues, io: CliIO, positionals: string[]): Promise<number>;
}

/** Wrong or missing arguments: exit code 2, usage shown. */
export class UsageError extends Error {
  override name = 'UsageError';
}


/**
 * A command that is not built yet.
 * @example export const command = notYet('report', 'coming soon')
 */
export function notYet(name: string, summary: string): CliCommand {
  return {
    name,
    summary,
    usage: `recovery-pbr ${name}`,
    options: {},
    async run(_v, io) {
      io.stderr(`recovery-pbr ${name}: not available in this version yet\n`);
      return 2;
    },
  };
}
