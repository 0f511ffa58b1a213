/**
 * Reviews against episodes (R-VAL-2): a review whose episode_id is unknown, belongs to another
 * client, or names an episode that was rejected is rejected, and so is one dated before its
 * episode's start or more than `reviewToleranceDays` after its discharge. Browser-safe.
 * @module
 */
import { NA, type RecordTable } from '../../ingest/table.js';
import { rejectedEpisodeReason, type PartNames } from '../positions.js';
import type { PlacedRejection } from '../rejections.js';
import type { RejectionCode } from '../../schema/rejection-codes.js';

/** What the review check knows about every episode row read (whichever partition owns it). */
export interface EpisodeDirectory {
  /** Episode vocabulary index → the kept episode row, or -1. */
  keptRow: Int32Array;
  /** Episode ids (as written) of episode rows refused by their row rules → first position. */
  refused: ReadonlyMap<string, number>;
  /** Episode ids of rows that parsed but had an unknown exit code → first position. */
  unknownExit: ReadonlyMap<string, number>;
  /** Episode vocabulary index → first position among rows that were dropped as duplicates (NaN: none). */
  firstDropped: Float64Array;
}

const OF_ANOTHER_CLIENT = ' belongs to another client';
// What follows the episode id in the three reasons that name it: the end of the reason, or the
// episode's date in brackets at the end.
const AFTER_EPISODE_ID = new RegExp(`^(.*\\bepisode ).+?(${OF_ANOTHER_CLIENT}| \\(\\d{4}-\\d{2}-\\d{2}\\))$`, 's');

/**
 * A review reason written by {@link checkReviews} with the episode id it names left out (`episode
 * …`), for outputs that show no identifier (the HTML report); an id may hold spaces. Other reasons
 * are returned as they are.
 * @example withoutEpisodeId('episode E 1 belongs to another client') // 'episode … belongs to another client'
 */
export function withoutEpisodeId(reason: string): string {
  return reason.replace(AFTER_EPISODE_ID, '$1…$2');
}

const REVIEW_CLIENT = 0;
const REVIEW_EPISODE = 1;
const REVIEW_DATE = 2;
const EPISODE_CLIENT = 1;
const EPISODE_START = 5;
const EPISODE_DISCHARGE = 6;

/**
 * Checks the reviews of `reviews` (this partition's) against the episodes; rejects those that fail
 * and returns 1 per kept review row.
 * @example const kept = checkReviews(reviews, episodes, directory, 28, names, rejections)
 */
export function checkReviews(
  reviews: RecordTable<'reviews'>,
  episodes: RecordTable<'episodes'>,
  dir: EpisodeDirectory,
  toleranceDays: number,
  names: PartNames,
  rejections: PlacedRejection[],
): Uint8Array {
  const n = reviews.length;
  const kept = new Uint8Array(n).fill(1);
  const clients = reviews.vocab.clients.values;
  const episodeIds = reviews.vocab.episodes.values;
  const rc = reviews.cols[REVIEW_CLIENT] as Int32Array;
  const re = reviews.cols[REVIEW_EPISODE] as Int32Array;
  const rd = reviews.cols[REVIEW_DATE] as Int32Array;
  const ec = episodes.cols[EPISODE_CLIENT] as Int32Array;
  const es = episodes.cols[EPISODE_START] as Int32Array;
  const ed = episodes.cols[EPISODE_DISCHARGE] as Int32Array;
  const kind = 1;
  for (let r = 0; r < n; r++) {
    const id = re[r]!;
    const e = id < dir.keptRow.length ? dir.keptRow[id]! : -1;
    const reject = (field: string, value: string, code: RejectionCode, reason: string) => {
      kept[r] = 0;
      rejections.push({ kind, pos: reviews.pos[r]!, field, value, code, reason, client: clients[rc[r]!] });
    };
    if (e < 0) {
      const text = episodeIds[id]!;
      const at = dir.refused.get(text) ?? (id < dir.firstDropped.length && !Number.isNaN(dir.firstDropped[id]!) ? dir.firstDropped[id]! : dir.unknownExit.get(text));
      if (at !== undefined) reject('episode_id', text, 'episode_rejected', rejectedEpisodeReason(names, at));
      else reject('episode_id', text, 'unknown_episode', 'no episode has this episode_id');
      continue;
    }
    if (ec[e] !== rc[r]) {
      reject('client_id', clients[rc[r]!]!, 'episode_of_another_client', `episode ${episodeIds[id]}${OF_ANOTHER_CLIENT}`);
      continue;
    }
    const date = rd[r]!;
    if (date < es[e]!) {
      reject('date', String(reviews.value(REVIEW_DATE, r)), 'review_before_episode', `is before the start of episode ${episodeIds[id]} (${episodes.value(EPISODE_START, e)})`);
      continue;
    }
    const d = ed[e]!;
    if (d !== NA && date > d + toleranceDays) {
      const discharge = episodes.value(EPISODE_DISCHARGE, e) as string;
      reject('date', String(reviews.value(REVIEW_DATE, r)), 'review_after_discharge', `is more than ${toleranceDays} days after the discharge of episode ${episodeIds[id]} (${discharge})`);
    }
  }
  return kept;
}
