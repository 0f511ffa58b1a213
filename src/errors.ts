/**
 * Errors as data: one error type for everything a person can act on — a data folder, an input file,
 * a scheme, an output folder, an option — with a stable `code` from a closed list and every problem
 * found, each with where it is (a scheme path, or a file, part, row and field) and a message. A
 * program matches on `code`; a person reads `message` (all problems, one per line).
 *
 * Row-level problems are not errors: they are rejections (see `Rejection`), and a run goes on.
 * Browser-safe: no Node built-ins.
 * @module
 */

/**
 * The closed list of error codes, each with what it means. Codes never change meaning; new ones
 * may be added.
 */
export const ERROR_CODES = {
  data_folder: 'the data folder (or a folder of parts in it) is missing, is a file, or holds no usable input file',
  input_file: 'an input file cannot be found or read (missing, a folder, no permission, an I/O error)',
  input_header: 'a header names a direct identifier (R-VAL-3), lacks a required column, or has no columns',
  input_syntax: 'an input file cannot be read past a point: an unclosed quote, text after a closing quote, a record longer than the limit, an NDJSON line too long',
  scheme: 'a scheme is malformed (R-VAL-4): every problem is listed by path',
  scheme_file: 'a scheme file cannot be read, is not JSON, or names a preset or file that does not exist',
  output: 'an output folder or file cannot be written (permission, disk full, not a folder)',
  temp: 'temporary files cannot be written (the temporary folder is missing, read-only or full)',
  options: 'an option names something the data or scheme does not have (an unknown client, provider, outcome or journey; a bad table of projected journeys)',
  target_unreachable: 'calibrate cannot meet the target to the penny on this data with the prices allowed (the nearest totals below and above are given)',
  health_premium_input: 'Health Premium inputs cannot be used together (e.g. a supplied weight is missing for an area)',
  generate_options: 'synthetic data generator options cannot be used',
  internal: 'an inconsistency inside recovery-pbr (a bug): please report it',
} as const;

/** One error code (see {@link ERROR_CODES}). */
export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem: where it is and what to do about it. */
export interface Problem {
  /** Path inside a scheme (`tariff.outcomes.free-from-dependence.1`), when the problem is in a scheme. */
  path?: string;
  /** Input or output file (`episodes.csv`), when the problem is in a file. */
  file?: string;
  /** The part of a folder of parts (`episodes/2014.csv`). */
  part?: string;
  /** Row as a spreadsheet shows it (header = 1). */
  row?: number;
  field?: string;
  /** What is wrong and what to do, for a person. */
  message: string;
}

/**
 * An input, scheme, option or output that cannot be used. `code` says which kind (stable, from
 * {@link ERROR_CODES}); `problems` lists every problem found; `message` is all of them for a person.
 * The command line turns it into exit code 1 with the message on stderr.
 * @example
 * try { loadScheme(doc); } catch (e) {
 *   if (isRecoveryPbrError(e) && e.code === 'scheme') for (const p of e.problems) console.log(p.path, p.message);
 * }
 */
export class RecoveryPbrError extends Error {
  override readonly name = 'RecoveryPbrError';
  readonly code: ErrorCode;
  readonly problems: readonly Problem[];

  constructor(code: ErrorCode, message: string, problems?: readonly Problem[]) {
    super(message);
    this.code = code;
    this.problems = problems ?? [{ message }];
  }
}

/**
 * Whether a value is a {@link RecoveryPbrError} (also across bundles and realms, by its shape).
 * @example isRecoveryPbrError(new RecoveryPbrError('options', 'no such client')) // true
 */
export function isRecoveryPbrError(e: unknown): e is RecoveryPbrError {
  if (e instanceof RecoveryPbrError) return true;
  const x = e as { name?: unknown; code?: unknown; problems?: unknown } | null;
  return typeof x === 'object' && x !== null && x.name === 'RecoveryPbrError' && typeof x.code === 'string' && Object.hasOwn(ERROR_CODES, x.code) && Array.isArray(x.problems);
}

/**
 * An error with one problem and a message that is that problem's.
 * @example throw inputError('input_file', 'episodes.csv not found', { file: 'episodes.csv' })
 */
export function inputError(code: ErrorCode, message: string, where: Omit<Problem, 'message'> = {}): RecoveryPbrError {
  return new RecoveryPbrError(code, message, [{ ...where, message }]);
}

/**
 * A scheme that cannot be used, with every problem by path (R-VAL-4).
 * @example schemeError([{ path: 'tariff.defaultBand', message: 'is not a band of the tariff' }], 'my-scheme.json')
 */
export function schemeError(problems: readonly { path: string; message: string }[], schemeName = 'scheme'): RecoveryPbrError {
  return new RecoveryPbrError(
    'scheme',
    `The ${schemeName} cannot be used (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p.path || '(top level)'}: ${p.message}`).join('\n'),
    problems.map((p) => ({ path: p.path, message: p.message })),
  );
}
