import { isMainThread } from 'node:worker_threads';
import type { Snapshot } from '../../shared/model';
import { regionColumnsOf } from '../../shared/snapshotColumns';
import { collectGarbage } from './collectGarbage';

/**
 * Regions from which a snapshot's scratch memory is worth a full collection: a collection costs
 * about 10 ms; 10,000 regions are some 3 MB of columns, with the Linux scanner's 4 MB behind them.
 */
export const LARGE_SNAPSHOT_REGIONS = 10_000;

/** A wire buffer this large (about 10,000 regions encoded) leaves its snapshot's columns as garbage. */
export const LARGE_WIRE_BYTES = 2 * 1024 * 1024;

/**
 * Before a large snapshot is encoded in a service worker, in two collections: the first frees
 * what the read left behind (the arrays the Linux scanner outgrew, 5 MB at 60,000 mappings), so
 * that building the lazy columns (region.linux, 7 MB) reuses it; building them lets go of what
 * they are built from (the scanner, 17 MB), which the second frees, so that the wire buffer
 * (12 MB) takes its place instead of adding to it. Measured through `vmscope serve` at 60,000
 * mappings (bench/memory.bench.ts): the peak RSS fell from 144 to 131-134 MB, for some 20-40 ms of
 * collections in a call of 500 ms or more. On the main thread, a CLI command that exits after
 * its snapshot, nothing is done.
 */
export function settleBeforeEncoding(snapshot: Snapshot): void {
  if (isMainThread) return;
  const columns = regionColumnsOf(snapshot);
  if (columns === undefined || columns.count < LARGE_SNAPSHOT_REGIONS) return;
  collectGarbage();
  // The encoder reads every column; reading the extras here builds them now.
  void columns.extras;
  collectGarbage();
}

/**
 * After a large wire buffer has left a service worker, its snapshot's columns (and any scanner)
 * are garbage that no allocation pressure on the V8 heap would collect soon: collect them once the
 * message is out, so that the next call reuses that memory rather than growing the process.
 */
export function collectAfterSending(wireBytes: number): void {
  if (isMainThread || wireBytes < LARGE_WIRE_BYTES) return;
  setImmediate(collectGarbage);
}
