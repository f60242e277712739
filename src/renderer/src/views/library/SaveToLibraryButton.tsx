import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VmscopeError, toVmError } from '../../../../shared/errors';
import type { LibraryEntry } from '../../../../shared/library';
import type { Snapshot } from '../../../../shared/model';
import { snapshotToJson } from '../../../../shared/snapshotJson';
import { client } from '../../client';
import { markInLibrary, useLibraryMark } from './inLibrary';
import { keepTaken, tooLargeToKeep } from './taken';

/**
 * Saves a snapshot not in the library yet: through the service when it streamed it (which writes
 * the JSON), else from the page.
 */
async function saveWhole(snapshot: Snapshot): Promise<LibraryEntry> {
  const byService = await keepTaken(snapshot, false);
  if (!byService) return client.call('library.save', { text: snapshotToJson(snapshot) });
  if ('kept' in byService) return byService.kept;
  throw new VmscopeError('limit-exceeded', tooLargeToKeep(byService.tooLarge.bytes));
}

type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'failed'; message: string };

/**
 * Keeps the snapshot on screen in the library (docs/library.md), so it outlives the window. A
 * snapshot the app saved automatically can be kept for good, out of reach of the automatic
 * clean-up.
 */
export function SaveToLibraryButton({
  snapshot,
  onSaved,
}: {
  snapshot: Snapshot;
  onSaved?: () => void;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ of: Snapshot; save: SaveState }>({
    of: snapshot,
    save: { status: 'idle' },
  });
  // A new snapshot (a refresh) starts afresh.
  const save: SaveState = state.of === snapshot ? state.save : { status: 'idle' };
  const mark = useLibraryMark(snapshot);
  const run = async (): Promise<void> => {
    setState({ of: snapshot, save: { status: 'saving' } });
    try {
      const entry = mark
        ? await client.call('library.keep', { id: mark.id })
        : await saveWhole(snapshot);
      markInLibrary(snapshot, entry);
      setState({ of: snapshot, save: { status: 'idle' } });
      onSaved?.();
    } catch (err) {
      setState({ of: snapshot, save: { status: 'failed', message: toVmError(err).message } });
    }
  };
  const kept = mark !== undefined && !mark.automatic;
  const label =
    save.status === 'saving'
      ? t('library.saving')
      : kept
        ? t('library.savedTo')
        : mark
          ? t('library.keepIn')
          : t('library.save');
  return (
    <>
      <button
        type="button"
        onClick={() => void run()}
        disabled={save.status === 'saving' || kept}
        title={
          kept ? t('library.inTitle') : mark ? t('library.keepInTitle') : t('library.saveTitle')
        }
      >
        {label}
      </button>
      {save.status === 'failed' && (
        <span role="alert" className="save-error" lang="en">
          {save.message}
        </span>
      )}
    </>
  );
}
