/**
 * The one thing a partitioned run shares across buckets (issue #6): an index of episode ids. An
 * episode_id is unique across clients, so a duplicated id may span buckets, and a review may name
 * another client's episode; the index answers those cross-client questions of R-VAL-2 without
 * holding any record: per id, the first rejected row, the first parsed row, and the rows that take
 * part in the duplicate check (their count, bucket, and every position when there are several).
 * About 60 bytes per episode.
 * @module
 */
import { rejectedEpisodeReason, type ForeignReview, type PartNames, type PlacedRejection } from '../run/partition.js';
import { EPISODE_CANDIDATE, EPISODE_PARSED, EPISODE_REJECTED } from './read-part.js';

/** Bucket value of an id whose candidate rows fall in several buckets. */
const MANY = -2;
const NONE = -1;

/**
 * The episode id index (main thread).
 * @example const index = new EpisodeIndex(); index.add(EPISODE_CANDIDATE, 'E1', 2, 0); index.spanning(0).size // 0
 */
export class EpisodeIndex {
  private readonly slots = new Map<string, number>();
  private firstRejected = new Float64Array(1024).fill(NaN);
  private firstParsed = new Float64Array(1024).fill(NaN);
  private firstCandidate = new Float64Array(1024).fill(NaN);
  private candidates = new Int32Array(1024);
  private bucket = new Int32Array(1024).fill(NONE);
  /** Ids with several candidate rows: every position and bucket. */
  private readonly several = new Map<string, { positions: number[]; buckets: Set<number> }>();

  private slotOf(id: string): number {
    let s = this.slots.get(id);
    if (s !== undefined) return s;
    s = this.slots.size;
    if (s >= this.candidates.length) this.grow();
    this.slots.set(id, s);
    return s;
  }

  private grow(): void {
    const n = this.candidates.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n).fill(NaN);
      b.set(a);
      return b;
    };
    this.firstRejected = f64(this.firstRejected);
    this.firstParsed = f64(this.firstParsed);
    this.firstCandidate = f64(this.firstCandidate);
    const c = new Int32Array(n);
    c.set(this.candidates);
    this.candidates = c;
    const b = new Int32Array(n).fill(NONE);
    b.set(this.bucket);
    this.bucket = b;
  }

  /** Records one episode row (rows may come in any order: only minima and sets are kept). */
  add(flag: number, id: string, pos: number, bucket: number): void {
    const s = this.slotOf(id);
    if (flag === EPISODE_REJECTED) {
      if (!(this.firstRejected[s]! <= pos)) this.firstRejected[s] = pos;
      return;
    }
    if (!(this.firstParsed[s]! <= pos)) this.firstParsed[s] = pos;
    if (flag !== EPISODE_CANDIDATE) return;
    const n = this.candidates[s]!;
    this.candidates[s] = n + 1;
    if (n === 0) {
      this.firstCandidate[s] = pos;
      this.bucket[s] = bucket;
      return;
    }
    let many = this.several.get(id);
    if (!many) {
      many = { positions: [this.firstCandidate[s]!], buckets: new Set([this.bucket[s]!]) };
      this.several.set(id, many);
    }
    many.positions.push(pos);
    many.buckets.add(bucket);
    if (!(this.firstCandidate[s]! <= pos)) this.firstCandidate[s] = pos;
    if (this.bucket[s] !== bucket) this.bucket[s] = MANY;
  }

  /** Adds a batch of rows sent by a reader thread (parallel arrays). */
  addBatch(flags: readonly number[], ids: readonly string[], positions: readonly number[], buckets: readonly number[]): void {
    for (let i = 0; i < ids.length; i++) this.add(flags[i]!, ids[i]!, positions[i]!, buckets[i]!);
  }

  /** Episode ids read. */
  get size(): number {
    return this.slots.size;
  }

  /**
   * Ids whose candidate rows span several buckets and touch `bucket`, with every position sorted:
   * their rows belong to different clients, so all are rejected (R-VAL-2).
   */
  spanning(bucket: number): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [id, m] of this.several) {
      if (m.buckets.size > 1 && m.buckets.has(bucket)) out.set(id, [...m.positions].sort((a, b) => a - b));
    }
    return out;
  }

  /**
   * The rejection of a review whose episode is not among its bucket's usable episodes, worded as
   * `checkDataset` words it: another client's episode, a rejected episode (naming the first rejected
   * row), or no such episode. `keptCopies` holds ids whose identical copies kept one row.
   */
  foreignRejection(f: ForeignReview, reviewBucket: number, keptCopies: ReadonlySet<string>, names: PartNames): PlacedRejection {
    const kind = 1;
    const s = this.slots.get(f.episode_id);
    if (s === undefined) return { kind, pos: f.pos, field: 'episode_id', value: f.episode_id, reason: 'no episode has this episode_id' };
    const n = this.candidates[s]!;
    const b = this.bucket[s]!;
    const survives = n === 1 || (n > 1 && b !== MANY && keptCopies.has(f.episode_id));
    if (survives && b !== reviewBucket) {
      return { kind, pos: f.pos, field: 'client_id', value: f.client_id, reason: `episode ${f.episode_id} belongs to another client` };
    }
    const rej = this.firstRejected[s]!;
    const cand = this.firstCandidate[s]!;
    const parsed = this.firstParsed[s]!;
    const at = !Number.isNaN(rej) ? rej : n > 0 ? cand : parsed;
    if (Number.isNaN(at)) return { kind, pos: f.pos, field: 'episode_id', value: f.episode_id, reason: 'no episode has this episode_id' };
    return { kind, pos: f.pos, field: 'episode_id', value: f.episode_id, reason: rejectedEpisodeReason(names, at) };
  }
}

export { EPISODE_CANDIDATE, EPISODE_PARSED, EPISODE_REJECTED };
