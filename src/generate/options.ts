/**
 * Options of the synthetic data generator, checked with zod (they may come from a command line or
 * a user's code).
 * @module
 */
import * as z from 'zod';
import { RecoveryPbrError } from '../errors.js';
import { isIsoDate, type IsoDate } from '../calendar/index.js';

/** Defaults: episodes start in the pilots' baseline and pilot years, extracted a year after. */
export const GENERATE_DEFAULTS = {
  from: '2011-04-01',
  to: '2014-03-31',
  extractDate: '2015-03-31',
  errorRate: 0,
} as const;

/** Largest cohort the generator accepts (ids stay 8+ characters; 10 million is far beyond England's treatment population). */
export const MAX_CLIENTS = 10_000_000;

/**
 * What to generate.
 * @example const options: GenerateOptions = { clients: 2000, seed: 2012, errorRate: 0.003 }
 */
export interface GenerateOptions {
  /** Number of clients (1 … 10,000,000). */
  clients: number;
  /** Seed: a whole number 0 … 2^32 − 1. Same seed and options ⇒ same rows, on any machine. */
  seed: number;
  /** First day an episode may start (default 2011-04-01). */
  from?: IsoDate;
  /** Last day an episode may start (default 2014-03-31). */
  to?: IsoDate;
  /** The extract date: nothing is dated later; discharges after it are blank (default 2015-03-31). */
  extractDate?: IsoDate;
  /** Share of rows deliberately corrupted so that validation must reject them (default 0, at most 0.5). */
  errorRate?: number;
}

/** Options with every default filled in. */
export type ResolvedGenerateOptions = Required<GenerateOptions>;

const isoDate = z.string().refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' });

/** zod schema of {@link GenerateOptions}. */
export const GENERATE_OPTIONS_SCHEMA = z
  .object({
    clients: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_CLIENTS, `must be at most ${MAX_CLIENTS}`),
    seed: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(4294967295, 'must be at most 4294967295'),
    from: isoDate.default(GENERATE_DEFAULTS.from),
    to: isoDate.default(GENERATE_DEFAULTS.to),
    extractDate: isoDate.default(GENERATE_DEFAULTS.extractDate),
    errorRate: z.number().min(0, 'must be 0 or more').max(0.5, 'must be at most 0.5').default(GENERATE_DEFAULTS.errorRate),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.from > o.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `(${o.to}) is before from (${o.from})` });
    if (o.to > o.extractDate) {
      ctx.addIssue({ code: 'custom', path: ['extractDate'], message: `(${o.extractDate}) is before to (${o.to}); episodes cannot start after the extract` });
    }
  });


/**
 * Fills in defaults and checks the options; throws a `RecoveryPbrError` (`generate_options`) listing every problem by path.
 * @example resolveGenerateOptions({ clients: 10, seed: 1 }).extractDate // '2015-03-31'
 */
export function resolveGenerateOptions(options: GenerateOptions): ResolvedGenerateOptions {
  const r = GENERATE_OPTIONS_SCHEMA.safeParse(options);
  if (!r.success) {
    const problems = r.error.issues.map((i) => ({ path: i.path.join('.') || 'options', message: i.message }));
    throw new RecoveryPbrError('generate_options', `invalid generator options: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
  }
  return r.data;
}
