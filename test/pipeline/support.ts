/**
 * Runs the partitioned pipeline in memory as a run on a data folder drives it
 * (src/node/partition-task.ts): every partition reads every part, reads other partitions' episode
 * rows in a second pass when it wants them, is checked and run; then what the partitions hand back
 * is merged as runFolder merges it. Shared by the partition tests.
 */
import type { IsoDate } from '../../src/calendar/index.js';
import type { ClientRecords } from '../../src/evidence/index.js';
import { presenceOf } from '../../src/evidence/index.js';
import { feedPart, readForeignEpisodes, type InputPartRef } from '../../src/pipeline/inputs.js';
import { checkPartition, partitionClients, type CheckedPartition } from '../../src/pipeline/partition.js';
import type { PartNames } from '../../src/pipeline/positions.js';
import { growingSink } from '../../src/output/outcomes.js';
import { ONE_PARTITION, PartitionReader, rangeRouter, type Router } from '../../src/pipeline/read.js';
import { comparePlacedRejections, toRejection, type PlacedRejection } from '../../src/pipeline/rejections.js';
import { RunMerger, runPartition } from '../../src/pipeline/run.js';
import { INPUT_FILES } from '../../src/schema/codes.js';
import type { DatasetCounts, Rejection } from '../../src/schema/dataset.js';
import type { Scheme } from '../../src/schema/scheme/index.js';

/** Everything a run says, merged over its partitions. */
export interface Merged {
  rejections: Rejection[];
  counts: DatasetCounts;
  clients: ClientRecords[];
  outcomes: string;
  totals: string;
  /** Rows with bytes that are not UTF-8, per kind (summed over partitions, as a run sums them). */
  notUtf8: number[];
  /** Partitions that read other partitions' episode rows in a second pass. */
  secondPasses: number;
}

/** One input part: which kind and part, its format, and its bytes in pieces (read once per pass). */
export type PartBytes = InputPartRef & { pieces: readonly Uint8Array[] };

/**
 * The run of `scheme` as of `asOf` on `parts`, with one partition per range of `bounds` (undefined:
 * one partition), merged. Partitions read into Node Buffers (`allocBytes`), one partition into
 * typed arrays.
 * @example const one = runInPartitions(parts, names, undefined, scheme, '2015-03-31')
 */
export function runInPartitions(parts: readonly PartBytes[], names: PartNames, bounds: readonly string[] | undefined, scheme: Scheme, asOf: IsoDate): Merged {
  const router = bounds ? rangeRouter(bounds) : ONE_PARTITION;
  const present = presenceOf(Object.fromEntries(INPUT_FILES.map((f) => [f, true])));
  const rejections: PlacedRejection[] = [];
  const counts: DatasetCounts = {};
  const clients: ClientRecords[] = [];
  const outcomes: string[] = [];
  // Each partition's partial merged as it ends, in partition order, as a run on a folder merges them.
  const merger = new RunMerger(scheme, asOf);
  let secondPasses = 0;
  const notUtf8 = INPUT_FILES.map(() => 0);
  for (let p = 0; p < router.partitions; p++) {
    // Partitions read through Node Buffers as worker threads do (their indexOf is another search),
    // one partition through plain typed arrays as the page does: the answers must not differ.
    const allocBytes = bounds ? (n: number) => Buffer.alloc(n) : undefined;
    const { checked, secondPass } = checkedPartition(parts, names, router, p, scheme, allocBytes);
    if (secondPass) secondPasses++;
    checked.reader.notUtf8.forEach((n, kind) => (notUtf8[kind]! += n));
    rejections.push(...checked.rejections);
    for (const f of INPUT_FILES) {
      const c = checked.counts[f];
      if (!c) continue;
      const m = (counts[f] ??= { read: 0, used: 0, rejected: 0 });
      m.read += c.read;
      m.used += c.used;
      m.rejected += c.rejected;
    }
    clients.push(...partitionClients(checked));
    const lines = growingSink();
    merger.add(runPartition(checked, { scheme, asOf, present, lines }));
    outcomes.push(new TextDecoder('utf-8', { ignoreBOM: true }).decode(lines.bytes.subarray(0, lines.length)));
  }
  rejections.sort(comparePlacedRejections);
  const totals = merger.result();
  return { rejections: rejections.map((r) => toRejection(r, names)), counts, clients, outcomes: outcomes.join(''), totals: JSON.stringify(totals), notUtf8, secondPasses };
}

/**
 * Partition `p` of `router` read from `parts` and checked, as a run on a data folder reads and
 * checks it (`secondPass`: it read other partitions' episode rows in a second pass).
 * @example const { checked } = checkedPartition(parts, singleFileNames(), ONE_PARTITION, 0, scheme)
 */
export function checkedPartition(
  parts: readonly PartBytes[],
  names: PartNames,
  router: Router,
  p: number,
  scheme: Scheme,
  allocBytes?: (n: number) => Uint8Array,
): { checked: CheckedPartition; secondPass: boolean } {
  const reader = new PartitionReader({ partition: p, router, exitReasonMap: scheme.exitReasons, allocBytes });
  for (const part of parts) feedPart(reader, part, part.pieces);
  const secondPass = readForeignEpisodes(reader, parts, (part) => part.pieces);
  return { checked: checkPartition(reader, { names, reviewToleranceDays: scheme.calendar.reviewToleranceDays }), secondPass };
}

/** A run's answers, which must not depend on the partitions (not how it got them). */
export type Answers = Omit<Merged, 'secondPasses'>;

/** The answers of a merged run. */
export function answers(m: Merged): Answers {
  const { secondPasses: _, ...rest } = m;
  return rest;
}
