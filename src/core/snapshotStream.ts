import type { SnapshotStreamEvent, StreamMessage } from '../shared/api';
import { toVmError } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import { sliceColumns } from '../shared/regionList';
import { encodeSnapshot } from '../shared/snapshotCodec';
import {
  columnsFromRegions,
  regionColumnsOf,
  snapshotFromColumns,
  snapshotWithoutRegions,
} from '../shared/snapshotColumns';
import type { SnapshotOptions, Source } from './sources/source';
import type { TakenSnapshots } from './takenSnapshots';
import { settleBeforeEncoding } from './worker/snapshotMemory';

/**
 * Regions of a snapshot taken whole (a source that cannot stream its read) sent ahead of it, so
 * a large one is drawn from its head while the rest travels and is decoded.
 */
export const HEAD_ROWS = 2000;

function eventOf(snapshot: Snapshot, final: boolean, taken?: string): SnapshotStreamEvent {
  const regions = regionColumnsOf(snapshot)?.count ?? snapshot.regions.length;
  return { final, regions, snapshot: encodeSnapshot(snapshot), ...(taken ? { taken } : {}) };
}

/** The first HEAD_ROWS regions of a whole snapshot, or null when it has no more than that. */
function headOf(snapshot: Snapshot): Snapshot | null {
  const columns = regionColumnsOf(snapshot) ?? columnsFromRegions(snapshot.regions);
  if (columns.count <= HEAD_ROWS) return null;
  return snapshotFromColumns(snapshotWithoutRegions(snapshot), sliceColumns(columns, 0, HEAD_ROWS));
}

/**
 * process.snapshotStream: provisional snapshots while the source reads (Source.snapshotStream),
 * or the head of a snapshot taken whole, then the whole snapshot (`final`, held in `taken` for
 * library.keepTaken) and the end. The returned function stops it: the source's read is abandoned
 * at its next step and nothing more is emitted.
 */
export function startSnapshotStream(
  source: Source,
  pid: number,
  options: SnapshotOptions,
  taken: TakenSnapshots,
  emit: (message: StreamMessage<SnapshotStreamEvent>) => void,
): () => void {
  const abort = new AbortController();
  const send = (snapshot: Snapshot, final: boolean): void => {
    if (abort.signal.aborted) return;
    settleBeforeEncoding(snapshot);
    emit({
      kind: 'data',
      data: eventOf(snapshot, final, final ? taken.hold(snapshot) : undefined),
    });
  };
  const whole = async (): Promise<Snapshot> => {
    const snapshot = await source.snapshot(pid, options);
    const head = headOf(snapshot);
    if (head) send(head, false);
    return snapshot;
  };
  (source.snapshotStream
    ? source.snapshotStream(pid, options, (part) => send(part, false), abort.signal)
    : whole()
  ).then(
    (snapshot) => {
      if (snapshot === null || abort.signal.aborted) return;
      send(snapshot, true);
      emit({ kind: 'end', reason: 'closed' });
    },
    (err: unknown) => {
      if (!abort.signal.aborted) emit({ kind: 'end', reason: 'error', error: toVmError(err) });
    },
  );
  return () => abort.abort();
}
