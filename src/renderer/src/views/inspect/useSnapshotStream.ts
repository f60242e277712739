import { useCallback, useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import type { SnapshotStreamEvent } from '../../../../shared/api';
import type { Subscription } from '../../../../shared/bridge';
import { type VmError, VmscopeError, toVmError } from '../../../../shared/errors';
import type { Snapshot, SourceId } from '../../../../shared/model';
import { decodeSnapshot } from '../../../../shared/snapshotCodec';
import { client } from '../../client';
import { traceMark } from '../../paintTrace';
import { markTaken } from '../library/taken';
import type { AsyncState } from '../../useAsync';

export interface StreamedSnapshot {
  snapshot: Snapshot;
  /** When the page asked (performance.now()), for the time to the first frame. */
  askedAt: number;
  /** Only the regions read so far (process.snapshotStream): the whole snapshot is on its way. */
  partial: boolean;
}

type Settled = { token: string; value?: StreamedSnapshot; error?: VmError; done: boolean };

/**
 * A process's snapshot as process.snapshotStream sends it: the regions read so far as soon as
 * they come (drawn at once), then the whole snapshot. Asked again when `pid` or `source` change
 * or reload() is called; the stream of the last ask is closed then (and on unmount), which stops
 * the service's read. Keeps the last whole snapshot on screen until the new one's first part.
 */
export function useSnapshotStream(
  pid: number,
  source: SourceId | undefined,
): [AsyncState<StreamedSnapshot>, () => void] {
  const [round, setRound] = useState(0);
  const [settled, setSettled] = useState<Settled>({ token: '', done: false });
  const token = `${source ?? ''}:${pid}\u0000${round}`;

  useEffect(() => {
    let current = true;
    let subscription: Subscription | undefined;
    let whole = false;
    let seen = false;
    const askedAt = performance.now();
    traceMark('asked');
    const fail = (error: VmError): void =>
      setSettled((s) => ({ token, value: s.value, error, done: true }));
    const onEvent = (event: SnapshotStreamEvent): void => {
      const first = !seen;
      seen = true;
      whole = event.final;
      traceMark(event.final ? 'lastChunk' : 'firstChunk');
      const snapshot = decodeSnapshot(event.snapshot);
      if (event.taken) markTaken(snapshot, event.taken);
      if (first) traceMark('decoded');
      const value = { snapshot, askedAt, partial: !event.final };
      const set = (): void => setSettled({ token, value, done: event.final });
      // A part is drawn before the next message is handled: the first rows show while the rest is read.
      if (event.final) set();
      else flushSync(set);
    };
    client
      .subscribe('process.snapshotStream', { pid, source }, (message) => {
        if (!current) return;
        if (message.kind === 'data') {
          try {
            onEvent(message.data);
          } catch (err) {
            fail(toVmError(err));
          }
        } else if (message.reason === 'error' || !whole) {
          fail(
            toVmError(
              message.error ?? new VmscopeError('internal', 'The snapshot stream ended early.'),
            ),
          );
        }
      })
      .then(
        (opened) => {
          if (current) subscription = opened;
          else void opened.close();
        },
        (err: unknown) => current && fail(toVmError(err)),
      );
    return () => {
      current = false;
      void subscription?.close();
    };
    // `token` names pid, source and the round.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  if (settled.token !== token) return [{ status: 'loading', value: keepWhole(settled) }, reload];
  if (settled.error)
    return [{ status: 'error', error: settled.error, value: settled.value }, reload];
  if (!settled.done) return [{ status: 'loading', value: settled.value }, reload];
  return [{ status: 'ready', value: settled.value! }, reload];
}

/** What stays on screen while a new snapshot is asked for: the last one, if it was whole. */
function keepWhole(settled: Settled): StreamedSnapshot | undefined {
  return settled.value && !settled.value.partial ? settled.value : undefined;
}
