/**
 * Deliberate errors for the synthetic data (option `errorRate`): a share of rows is corrupted in
 * ways that validation must reject (R-VAL-2): impossible dates, discharge before start, day counts
 * or scores out of range, unknown codes, duplicate episode ids, reviews pointing at another
 * client's episode or dated before their episode, blank required fields. The choice comes from a
 * random stream of its own, so the clean rows are the same whatever the error rate.
 * @module
 */
import type { InputFile } from '../schema/codes.js';
import type { ClientRows, GeneratedRow } from './client.js';
import type { Rng } from './random.js';

/**
 * One corrupted row: its file, its index among the client's rows of that file, and what was done.
 * @example { file: 'reviews', index: 3, kind: 'day_count_over_28' }
 */
export interface Corruption {
  file: InputFile;
  /** 0-based index of the row among this client's rows of `file` (after any inserted copies). */
  index: number;
  kind: string;
}

type Corrupt = (row: GeneratedRow, rng: Rng, ctx: Context) => GeneratedRow | 'duplicate';

interface Context {
  /** An episode id that belongs to another client. */
  foreignEpisodeId: string;
  /** This client's episode starts, by id. */
  episodeStart: ReadonlyMap<string, string>;
}

/** A date that does not exist, e.g. 2013-02-30 or 2012-04-31, in the year of `date`. */
function impossibleDate(rng: Rng, date: unknown): string {
  const year = typeof date === 'string' && /^\d{4}/.test(date) ? date.slice(0, 4) : '2013';
  return rng.pick([`${year}-02-30`, `${year}-02-31`, `${year}-04-31`, `${year}-06-31`, `${year}-09-31`, `${year}-11-31`, `${year}-13-01`, `${year}-00-10`]);
}

/** The same day a year earlier (a clearly wrong, earlier date; 29 Feb becomes an impossible date, also rejected). */
function yearEarlier(date: string): string {
  return `${String(+date.slice(0, 4) - 1).padStart(4, '0')}${date.slice(4)}`;
}

const EPISODE_ERRORS: Record<string, Corrupt> = {
  impossible_start_date: (r, rng) => ({ ...r, start_date: impossibleDate(rng, r['start_date']) }),
  discharge_before_start: (r) =>
    r['discharge_date'] !== undefined ? { ...r, discharge_date: yearEarlier(String(r['start_date'])) } : { ...r, start_date: '' },
  unknown_substance: (r, rng) => ({ ...r, substances: rng.pick(['heroin', 'opiates;spice', 'booze', 'crack;ketamine']) }),
  unknown_exit_reason: (r, rng) =>
    r['exit_reason'] !== undefined ? { ...r, exit_reason: rng.pick(['completed', 'left', 'dna', 'successful']) } : { ...r, substances: 'heroin' },
  duplicate_episode_id: () => 'duplicate',
  blank_provider: (r) => ({ ...r, provider_id: '' }),
  exit_reason_without_discharge: (r) => (r['discharge_date'] !== undefined ? { ...r, exit_reason: '' } : { ...r, exit_reason: 'dropped_out' }),
};

const REVIEW_ERRORS: Record<string, Corrupt> = {
  day_count_over_28: (r, rng) => ({ ...r, [rng.pick(['days_opiates', 'days_alcohol', 'days_injected', 'days_paid_work'])]: rng.pick([29, 30, 31, 35, 99]) }),
  score_over_20: (r, rng) => ({ ...r, [rng.pick(['quality_of_life', 'psychological_health', 'physical_health'])]: rng.pick([21, 25, 30, -1]) }),
  unknown_stage: (r, rng) => ({ ...r, stage: rng.pick(['mid', 'discharge', '6_month', 'Review 2']) }),
  foreign_episode: (r, _rng, ctx) => ({ ...r, episode_id: ctx.foreignEpisodeId }),
  before_episode_start: (r, _rng, ctx) => {
    const start = ctx.episodeStart.get(String(r['episode_id']));
    return start !== undefined ? { ...r, date: yearEarlier(start) } : { ...r, date: '' };
  },
  impossible_date: (r, rng) => ({ ...r, date: impossibleDate(rng, r['date']) }),
  blank_episode: (r) => ({ ...r, episode_id: '' }),
};

const TEST_ERRORS: Record<string, Corrupt> = {
  unknown_substance: (r, rng) => ({ ...r, substance: rng.pick(['heroin', 'methadone', 'spice', 'benzodiazepines']) }),
  unknown_result: (r, rng) => ({ ...r, result: rng.pick(['pos', 'neg', 'inconclusive', 'yes']) }),
  impossible_date: (r, rng) => ({ ...r, date: impossibleDate(rng, r['date']) }),
  blank_client: (r) => ({ ...r, client_id: '' }),
};

const OFFENCE_ERRORS: Record<string, Corrupt> = {
  impossible_date: (r, rng) => ({ ...r, offence_date: impossibleDate(rng, r['offence_date']) }),
  unknown_category: (r, rng) => ({ ...r, category: rng.pick(['theft', 'fraud', 'burglary', 'public order']) }),
  not_iso_date: (r) => {
    const d = String(r['offence_date']);
    return { ...r, offence_date: `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` };
  },
};

const EMPLOYMENT_ERRORS: Record<string, Corrupt> = {
  end_before_start: (r) => ({ ...r, end_date: yearEarlier(String(r['start_date'])) }),
  hours_out_of_range: (r, rng) => ({ ...r, hours_per_week: rng.pick([-5, 200, 'full time', '37,5']) }),
  blank_start: (r) => ({ ...r, start_date: '' }),
};

const CLIENT_ERRORS: Record<string, Corrupt> = {
  impossible_date_of_death: (r) => ({ ...r, date_of_death: '2013-02-29' }),
  second_row_differs: () => 'duplicate',
};

const ERRORS: Record<InputFile, Record<string, Corrupt>> = {
  episodes: EPISODE_ERRORS,
  reviews: REVIEW_ERRORS,
  drug_tests: TEST_ERRORS,
  offences: OFFENCE_ERRORS,
  employment: EMPLOYMENT_ERRORS,
  clients: CLIENT_ERRORS,
};

const FILES: readonly InputFile[] = ['episodes', 'reviews', 'drug_tests', 'offences', 'employment', 'clients'];

/**
 * Corrupts each row of a client with probability `rate`, in place, and lists what was done. A
 * `duplicate` error inserts a second row right after the original: an exact copy for episodes (the
 * copy is rejected), a differing one for clients (both are rejected).
 * @example corruptClientRows(rows, Rng.of(2012, 0, 2), 0.01, 'E0000002-01')
 */
export function corruptClientRows(rows: ClientRows, rng: Rng, rate: number, foreignEpisodeId: string): Corruption[] {
  const out: Corruption[] = [];
  if (rate <= 0) return out;
  const episodeStart = new Map<string, string>();
  for (const e of rows.episodes) episodeStart.set(String(e['episode_id']), String(e['start_date']));
  const ctx: Context = { foreignEpisodeId, episodeStart };
  for (const file of FILES) {
    const list = rows[file];
    const kinds = Object.keys(ERRORS[file]);
    for (let i = 0; i < list.length; i++) {
      if (!rng.chance(rate)) continue;
      const kind = rng.pick(kinds);
      const r = ERRORS[file][kind]!(list[i]!, rng, ctx);
      if (r === 'duplicate') {
        const copy: GeneratedRow =
          file === 'clients' ? { ...list[i]!, date_of_death: list[i]!['date_of_death'] === undefined ? '2014-01-15' : undefined } : { ...list[i]! };
        list.splice(i + 1, 0, copy);
        if (file === 'clients') out.push({ file, index: i, kind });
        i++;
        out.push({ file, index: i, kind });
      } else {
        list[i] = r;
        out.push({ file, index: i, kind });
      }
    }
  }
  return out;
}
