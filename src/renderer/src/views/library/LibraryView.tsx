import { useState } from 'react';
import { type VmError, toVmError } from '../../../../shared/errors';
import { formatBytes } from '../../../../shared/format';
import type { LibraryEntry } from '../../../../shared/library';
import { client } from '../../client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { addSnapshot, describeStored, useStoredSnapshots } from '../../snapshotStore';
import { useAsync } from '../../useAsync';
import { setAutosave, useAutosaveStatus } from './autosave';
import { libraryMark, markInLibrary } from './inLibrary';
import { SaveToLibraryButton } from './SaveToLibraryButton';

export interface LibraryViewProps {
  /** Shows a library snapshot (a snapshotStore id). */
  onOpen: (id: number) => void;
  onCompare: (before: number, after: number) => void;
}

/** Opens a library snapshot into this window's store, under its library name. */
async function load(entry: LibraryEntry): Promise<number> {
  const snapshot = await client.call('library.open', { id: entry.id });
  markInLibrary(snapshot, entry);
  return addSnapshot(snapshot, 'file', entry.name).id;
}

/** The snapshots kept on disk (docs/library.md): open, rename, delete, compare two. */
export function LibraryView({ onOpen, onCompare }: LibraryViewProps) {
  const autosave = useAutosaveStatus();
  // Listed again after each automatic save, which may have added or evicted entries.
  const [listing, reload] = useAsync(
    () => client.call('library.list', {}),
    `library:${autosave.saves}`,
  );
  const [error, setError] = useState<VmError | null>(null);
  const [busy, setBusy] = useState(false);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [compareWith, setCompareWith] = useState<Record<string, string>>({});

  const act = async (work: () => Promise<void>): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setError(toVmError(err));
    } finally {
      setBusy(false);
    }
  };
  const entries = listing.value?.entries ?? [];
  // Snapshots taken in the inspector or Watch, or opened from files, that are not saved yet.
  const unsaved = useStoredSnapshots().filter((e) => !libraryMark(e.snapshot));

  const compare = (a: LibraryEntry, otherId: string): Promise<void> =>
    act(async () => {
      const b = entries.find((e) => e.id === otherId);
      if (!b) return;
      const [older, newer] = a.takenAt <= b.takenAt ? [a, b] : [b, a];
      const before = await load(older);
      onCompare(before, await load(newer));
    });

  return (
    <section className="library" aria-label="Snapshot library">
      <div className="inspect-toolbar">
        <strong className="proc-title">Snapshot library</strong>
        {listing.value && (
          <span className="dim">
            {entries.length} of {listing.value.limits.entries} snapshots ·{' '}
            {formatBytes(entries.reduce((s, e) => s + e.bytes, 0))} of{' '}
            {formatBytes(listing.value.limits.bytes)} ·{' '}
            <span title="Where the library is kept">{listing.value.folder}</span>
          </span>
        )}
        <label title="The oldest automatic entries are deleted to make room; entries saved, kept or renamed by hand never are">
          <input
            type="checkbox"
            checked={autosave.enabled}
            onChange={(ev) => setAutosave(ev.target.checked)}
          />{' '}
          Keep every snapshot taken or opened
        </label>
        <button type="button" onClick={reload} disabled={listing.status === 'loading'}>
          Refresh
        </button>
      </div>
      {autosave.lastFailure && (
        <div className="error-banner" role="alert" data-code="autosave">
          <strong>The last snapshot was not kept automatically</strong>
          <span>{autosave.lastFailure}</span>
        </div>
      )}
      {listing.status === 'error' && <ErrorBanner error={listing.error} />}
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {listing.value?.damaged.map((d) => (
        <div key={d.file} className="error-banner" role="alert" data-code="malformed-file">
          <strong>Skipped a damaged library file</strong>
          <span>
            {d.file}: {d.reason}
          </span>
        </div>
      ))}
      {listing.status === 'ready' && entries.length === 0 && (
        <p className="dim library-empty">
          No saved snapshots yet. Snapshots taken or opened are kept here while "Keep every snapshot
          taken or opened" is on; "Save to library" in the inspector keeps one by hand.
        </p>
      )}
      {entries.length > 0 && (
        <div className="library-table">
          <table className="grid" aria-label="Saved snapshots">
            <thead>
              <tr>
                <th>
                  <span className="th-text">Name</span>
                </th>
                <th>
                  <span className="th-text">Process</span>
                </th>
                <th>
                  <span className="th-text">Source</span>
                </th>
                <th>
                  <span className="th-text">Taken</span>
                </th>
                <th className="num">
                  <span className="th-text">Regions</span>
                </th>
                <th className="num">
                  <span className="th-text">Size</span>
                </th>
                <th>
                  <span className="th-text">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-library-id={e.id}>
                  <td>
                    {renaming?.id === e.id ? (
                      <form
                        className="library-rename"
                        onSubmit={(ev) => {
                          ev.preventDefault();
                          void act(async () => {
                            await client.call('library.rename', { id: e.id, name: renaming.name });
                            setRenaming(null);
                            reload();
                          });
                        }}
                      >
                        <input
                          aria-label={`New name for ${e.name}`}
                          value={renaming.name}
                          maxLength={200}
                          autoFocus
                          onChange={(ev) => setRenaming({ id: e.id, name: ev.target.value })}
                          onKeyDown={(ev) => ev.key === 'Escape' && setRenaming(null)}
                        />
                        <button type="submit" disabled={busy}>
                          Save name
                        </button>
                        <button type="button" onClick={() => setRenaming(null)}>
                          Cancel
                        </button>
                      </form>
                    ) : (
                      <span title={e.name}>{e.name}</span>
                    )}
                    {e.automatic && (
                      <span
                        className="badge"
                        title="Saved automatically: deleted, oldest first, when the library needs room"
                      >
                        automatic
                      </span>
                    )}
                  </td>
                  <td>
                    {e.process.name} ({e.process.pid})
                  </td>
                  <td>{e.source}</td>
                  <td>{new Date(e.takenAt).toLocaleString()}</td>
                  <td className="num">{e.regions.toLocaleString()}</td>
                  <td className="num">{formatBytes(e.bytes)}</td>
                  <td>
                    <div className="library-actions">
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void act(async () => onOpen(await load(e)))}
                        aria-label={`Open ${e.name}`}
                      >
                        Open
                      </button>
                      {e.automatic && (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            void act(async () => {
                              await client.call('library.keep', { id: e.id });
                              reload();
                            })
                          }
                          aria-label={`Keep ${e.name} for good`}
                        >
                          Keep
                        </button>
                      )}
                      <button
                        type="button"
                        onClick={() => setRenaming({ id: e.id, name: e.name })}
                        aria-label={`Rename ${e.name}`}
                      >
                        Rename
                      </button>
                      {deleting === e.id ? (
                        <>
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() =>
                              void act(async () => {
                                await client.call('library.delete', { id: e.id });
                                setDeleting(null);
                                reload();
                              })
                            }
                          >
                            Delete for good
                          </button>
                          <button type="button" onClick={() => setDeleting(null)}>
                            Keep
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          onClick={() => setDeleting(e.id)}
                          aria-label={`Delete ${e.name}`}
                        >
                          Delete
                        </button>
                      )}
                      {entries.length > 1 && (
                        <select
                          aria-label={`Compare ${e.name} with…`}
                          value={compareWith[e.id] ?? ''}
                          disabled={busy}
                          onChange={(ev) => {
                            setCompareWith({ ...compareWith, [e.id]: ev.target.value });
                            if (ev.target.value) void compare(e, ev.target.value);
                          }}
                        >
                          <option value="">Compare with…</option>
                          {entries
                            .filter((o) => o.id !== e.id)
                            .map((o) => (
                              <option key={o.id} value={o.id}>
                                {o.name}
                              </option>
                            ))}
                        </select>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {unsaved.length > 0 && (
        <section className="library-unsaved" aria-label="Snapshots in this window">
          <h2>In this window, not saved</h2>
          <ul>
            {unsaved.map((e) => (
              <li key={e.id}>
                <span>{describeStored(e)}</span>{' '}
                <SaveToLibraryButton snapshot={e.snapshot} onSaved={reload} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
