import { useState } from 'react';
import { toVmError } from '../../../../shared/errors';
import type { Snapshot } from '../../../../shared/model';
import { snapshotToJson } from '../../../../shared/snapshotJson';
import { client } from '../../client';

type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved'; name: string } | { status: 'failed'; message: string };

/** Keeps the snapshot on screen in the library (docs/library.md), so it outlives the window. */
export function SaveToLibraryButton({ snapshot }: { snapshot: Snapshot }) {
  const [state, setState] = useState<{ of: Snapshot; save: SaveState }>({ of: snapshot, save: { status: 'idle' } });
  // A new snapshot (a refresh) can be saved again.
  const save = state.of === snapshot ? state.save : { status: 'idle' as const };
  const run = async (): Promise<void> => {
    setState({ of: snapshot, save: { status: 'saving' } });
    try {
      const entry = await client.call('library.save', { text: snapshotToJson(snapshot) });
      setState({ of: snapshot, save: { status: 'saved', name: entry.name } });
    } catch (err) {
      setState({ of: snapshot, save: { status: 'failed', message: toVmError(err).message } });
    }
  };
  return (
    <>
      <button
        type="button"
        onClick={() => void run()}
        disabled={save.status === 'saving' || save.status === 'saved'}
        title="Keep this snapshot in the library, on disk"
      >
        {save.status === 'saved' ? 'Saved to library' : save.status === 'saving' ? 'Saving…' : 'Save to library'}
      </button>
      {save.status === 'failed' && (
        <span role="alert" className="save-error">
          {save.message}
        </span>
      )}
    </>
  );
}
