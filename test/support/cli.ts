/** Runs the command line in-process, with a fake terminal, as the CLI tests do. */
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

/**
 * Runs `recovery-pbr <argv>` in-process; returns the exit code and what went to stdout and stderr.
 * @example const { code, stdout } = await runCli(['validate', '--data', dir, '--out', out]);
 */
export async function runCli(argv: string[], options: { cwd?: string; isTTY?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: options.isTTY ?? false, cwd: options.cwd ?? process.cwd() };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
