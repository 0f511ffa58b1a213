/**
 * `recovery-pbr` command line: dispatches to one module per command (src/cli/commands/*).
 * Errors become a message and an exit code (SPEC §5), never a stack trace (set
 * RECOVERY_PBR_DEBUG=1 to see one).
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError, type CliCommand, type CliIO } from './command.js';
import { isRecoveryPbrError } from '../errors.js';
import { VERSION } from './version.js';
import { printable } from '../schema/fields.js';
import { fileSystemReason } from '../node/temp.js';

// Longest error message shown (a scheme with thousands of problems is still listed; 1 MB of a header is not).
const MAX_MESSAGE = 64 * 1024;
import { command as calibrate } from './commands/calibrate.js';
import { command as compare } from './commands/compare.js';
import { command as demo } from './commands/demo.js';
import { command as explain } from './commands/explain.js';
import { command as forecast } from './commands/forecast.js';
import { command as generate } from './commands/generate.js';
import { command as healthPremium } from './commands/health-premium.js';
import { command as run } from './commands/run.js';
import { command as schema } from './commands/schema.js';
import { command as validate } from './commands/validate.js';
import { command as workbench } from './commands/workbench.js';

/** All commands, in the order `--help` lists them. */
export const COMMANDS: CliCommand[] = [demo, workbench, run, validate, explain, compare, calibrate, forecast, healthPremium, generate, schema];

function help(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return (
    'recovery-pbr: payment-by-results outcomes for drug and alcohol recovery services\n\n' +
    'Usage: recovery-pbr <command> [options]   (recovery-pbr <command> --help for its options)\n\n' +
    COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n') +
    '\n\nExit codes: 0 success, 1 input or scheme that cannot be used, 2 usage error.\n'
  );
}

/**
 * Runs the command line with `argv` (without node and script) and returns the exit code.
 * @example await main(['validate', '--data', 'examples/demo', '--out', 'out'], io)
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`recovery-pbr: unknown command '${printable(name, 80)}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${cmd.usage}\n`);
    return 0;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: cmd.options, allowPositionals: cmd.positionals ?? false, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
    }
    return await cmd.run(parsed.values as Record<string, string | boolean | undefined>, io, parsed.positionals);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`recovery-pbr ${cmd.name}: ${printable(e.message, MAX_MESSAGE, true)}\n\n${cmd.usage}\n`);
      return 2;
    }
    // Messages may quote what a file holds (a header, a key): escape controls so nothing reaches the terminal raw.
    if (isRecoveryPbrError(e)) {
      io.stderr(`recovery-pbr ${cmd.name}: ${printable(e.message, MAX_MESSAGE, true)}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
      // A file-system error that no reader worded (a full disk, a lost share): still the user's to act on.
      const where = typeof err.path === 'string' ? err.path : 'a file';
      io.stderr(`recovery-pbr ${cmd.name}: cannot use ${printable(where, 500)}: ${err.code === 'ENOENT' ? 'no such file or folder' : fileSystemReason(err)}\n`);
      return 1;
    }
    io.stderr(
      `recovery-pbr ${cmd.name}: internal error: ${printable(err?.message ?? String(e), MAX_MESSAGE, true)}\n` +
        'This is a bug in recovery-pbr; please report it with the command you ran' +
        (process.env['RECOVERY_PBR_DEBUG'] ? `\n${err?.stack ?? ''}\n` : ' (set RECOVERY_PBR_DEBUG=1 to see details).\n'),
    );
    return 1;
  }
}


/**
 * The real terminal.
 * @example await main(process.argv.slice(2), processIO())
 */
export function processIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

function isEntryPoint(): boolean {
  try {
    const self = realpathSync(fileURLToPath(import.meta.url));
    const argv1 = process.argv[1] ? realpathSync(process.argv[1]) : '';
    return self === argv1 || argv1.endsWith('/bin/recovery-pbr.js') || argv1.endsWith('/bin/recovery-pbr');
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`recovery-pbr: internal error: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
