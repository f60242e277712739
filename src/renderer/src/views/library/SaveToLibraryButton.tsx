import { useState } from 'react';
import { toVmError } from '../../../../shared/errors';
import type { Snapshot } from '../../../../shared/model';
import { snapshotToJson } from '../../../../shared/snapshotJson';
import { client } from '../../client';
import { isInLibrary, markInLibrary } from './inLibrary';

type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved'; name: string }
  | { status: 'failed'; message: string };

/** Keeps the snapshot on screen in the library (docs/library.md), so it outlives the window. */
export function SaveToLibraryButton({
  snapshot,
  onSaved,
}: {
  snapshot: Snapshot;
  onSaved?: () => void;
}) {
  const [state, setState] = useState<{ of: Snapshot; save: SaveState }>({
    of: snapshot,
    save: { status: 'idle' },
  });
  // A new snapshot (a refresh) can be saved again.
  const save: SaveState = state.of === snapshot ? state.save : { status: 'idle' };
  const saved = save.status === 'saved' || isInLibrary(snapshot);
  const run = async (): Promise<void> => {
    setState({ of: snapshot, save: { status: 'saving' } });
    try {
      const entry = await client.call('library.save', { text: snapshotToJson(snapshot) });
      markInLibrary(snapshot);
      setState({ of: snapshot, save: { status: 'saved', name: entry.name } });
      onSaved?.();
    } catch (err) {
      setState({ of: snapshot, save: { status: 'failed', message: toVmError(err).message } });
    }
  };
  return (
    <>
      <button
        type="button"
        onClick={() => void run()}
        disabled={save.status === 'saving' || saved}
        title={
          saved ? 'This snapshot is in the library' : 'Keep this snapshot in the library, on disk'
        }
      >
        {saved ? 'Saved to library' : save.status === 'saving' ? 'Saving…' : 'Save to library'}
      </button>
      {save.status === 'failed' && (
        <span role="alert" className="save-error">
          {save.message}
        </span>
      )}
    </>
  );
}
