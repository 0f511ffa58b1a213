/**
 * The command line of a bench script (`npm run bench`, `npm run bench:read`): options that take a
 * value (`--runs 3`) and flags (`--quick`), each one the script knows. A misspelled option
 * (`--size` for `--sizes`) is an error that names the options, not a run with the defaults.
 */

/** What a bench script was asked. */
export interface BenchArgs {
  /** Whether `--name` was given. */
  flag(name: string): boolean;
  /** Whether `--name <value>` was given. */
  has(name: string): boolean;
  /** The value of `--name`, or `fallback`. */
  option(name: string, fallback: string): string;
  /** The value of `--name` (or `fallback`) as a whole number ≥ `min`; an error names the option otherwise. */
  whole(name: string, fallback: string, min: number): number;
}

/**
 * Reads `argv` (after the script's name) against the options and flags a script knows; throws an
 * Error whose message a person can act on.
 * @example benchArgs(['--runs', '2', '--quick'], ['runs'], ['quick']).whole('runs', '3', 1) // 2
 */
export function benchArgs(argv: readonly string[], values: readonly string[], flags: readonly string[] = []): BenchArgs {
  const given = new Map<string, string>();
  const set = new Set<string>();
  const known = () => [...values, ...flags].map((o) => `--${o}`).join(', ');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') ? a.slice(2) : '';
    if (flags.includes(name)) set.add(name);
    else if (values.includes(name)) {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      given.set(name, v);
      i++;
    } else throw new Error(`'${a}' is not an option; the options are ${known()}`);
  }
  const option = (name: string, fallback: string) => given.get(name) ?? fallback;
  return {
    flag: (name) => set.has(name),
    has: (name) => given.has(name),
    option,
    whole(name, fallback, min) {
      const v = option(name, fallback);
      if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`--${name}: '${v}' is not a whole number ≥ ${min}`);
      return Number(v);
    },
  };
}
