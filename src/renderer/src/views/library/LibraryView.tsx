import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type VmError, toVmError } from '../../../../shared/errors';
import { formatBytes } from '../../../../shared/format';
import type { LibraryEntry } from '../../../../shared/library';
import { client } from '../../client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { addSnapshot, describeStored, useStoredSnapshots } from '../../snapshotStore';
import { useAsync } from '../../useAsync';
import { useFormat } from '../../i18n/format';
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
  const { t } = useTranslation();
  const format = useFormat();
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
    <section className="library" aria-label={t('library.title')}>
      <div className="inspect-toolbar">
        <strong className="proc-title">{t('library.title')}</strong>
        {listing.value && (
          <span className="dim">
            {t('library.usage', {
              count: format.number(entries.length),
              limit: format.number(listing.value.limits.entries),
              bytes: formatBytes(entries.reduce((s, e) => s + e.bytes, 0)),
              limitBytes: formatBytes(listing.value.limits.bytes),
            })}{' '}
            ·{' '}
            <span title={t('library.folder')} translate="no">
              {listing.value.folder}
            </span>
          </span>
        )}
        <label title={t('library.autosaveTitle')}>
          <input
            type="checkbox"
            checked={autosave.enabled}
            onChange={(ev) => setAutosave(ev.target.checked)}
          />{' '}
          {t('library.autosave')}
        </label>
        <button type="button" onClick={reload} disabled={listing.status === 'loading'}>
          {t('common.refresh')}
        </button>
      </div>
      {autosave.lastFailure && (
        <div className="error-banner" role="alert" data-code="autosave">
          <strong>{t('library.autosaveFailed')}</strong>
          <span lang="en">{autosave.lastFailure}</span>
        </div>
      )}
      {listing.status === 'error' && <ErrorBanner error={listing.error} />}
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {listing.value?.damaged.map((d) => (
        <div key={d.file} className="error-banner" role="alert" data-code="malformed-file">
          <strong>{t('library.damaged')}</strong>
          <span lang="en">
            {d.file}: {d.reason}
          </span>
        </div>
      ))}
      {listing.status === 'ready' && entries.length === 0 && (
        <p className="dim library-empty">
          {t('library.empty', {
            autosave: t('library.autosave'),
            save: t('library.save'),
          })}
        </p>
      )}
      {entries.length > 0 && (
        <div className="library-table">
          <table className="grid" aria-label={t('library.saved')}>
            <thead>
              <tr>
                <th>
                  <span className="th-text">{t('library.columns.name')}</span>
                </th>
                <th>
                  <span className="th-text">{t('library.columns.process')}</span>
                </th>
                <th>
                  <span className="th-text">{t('library.columns.source')}</span>
                </th>
                <th>
                  <span className="th-text">{t('library.columns.taken')}</span>
                </th>
                <th className="num">
                  <span className="th-text">{t('library.columns.regions')}</span>
                </th>
                <th className="num">
                  <span className="th-text">{t('library.columns.size')}</span>
                </th>
                <th>
                  <span className="th-text">{t('library.columns.actions')}</span>
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
                          aria-label={t('library.newName', { name: e.name })}
                          value={renaming.name}
                          maxLength={200}
                          autoFocus
                          onChange={(ev) => setRenaming({ id: e.id, name: ev.target.value })}
                          onKeyDown={(ev) => ev.key === 'Escape' && setRenaming(null)}
                        />
                        <button type="submit" disabled={busy}>
                          {t('library.saveName')}
                        </button>
                        <button type="button" onClick={() => setRenaming(null)}>
                          {t('common.cancel')}
                        </button>
                      </form>
                    ) : (
                      <span title={e.name} translate="no">
                        {e.name}
                      </span>
                    )}
                    {e.automatic && (
                      <span className="badge" title={t('library.automaticTitle')}>
                        {t('library.automatic')}
                      </span>
                    )}
                  </td>
                  <td translate="no">
                    {e.process.name} ({e.process.pid})
                  </td>
                  <td>{t(`sourceIds.${e.source}`)}</td>
                  <td>{format.dateTime(new Date(e.takenAt))}</td>
                  <td className="num">{format.number(e.regions)}</td>
                  <td className="num">{formatBytes(e.bytes)}</td>
                  <td>
                    <div className="library-actions">
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void act(async () => onOpen(await load(e)))}
                        aria-label={t('library.openNamed', { name: e.name })}
                      >
                        {t('common.open')}
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
                          aria-label={t('library.keepNamed', { name: e.name })}
                        >
                          {t('library.keep')}
                        </button>
                      )}
                      <button
                        type="button"
                        onClick={() => setRenaming({ id: e.id, name: e.name })}
                        aria-label={t('library.renameNamed', { name: e.name })}
                      >
                        {t('library.rename')}
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
                            {t('library.deleteForGood')}
                          </button>
                          <button type="button" onClick={() => setDeleting(null)}>
                            {t('library.keep')}
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          onClick={() => setDeleting(e.id)}
                          aria-label={t('library.deleteNamed', { name: e.name })}
                        >
                          {t('common.delete')}
                        </button>
                      )}
                      {entries.length > 1 && (
                        <select
                          aria-label={t('library.compareNamed', { name: e.name })}
                          value={compareWith[e.id] ?? ''}
                          disabled={busy}
                          onChange={(ev) => {
                            setCompareWith({ ...compareWith, [e.id]: ev.target.value });
                            if (ev.target.value) void compare(e, ev.target.value);
                          }}
                        >
                          <option value="">{t('library.compareWith')}</option>
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
        <section className="library-unsaved" aria-label={t('library.inWindow')}>
          <h2>{t('library.unsaved')}</h2>
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
