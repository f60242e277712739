import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './components/LanguageSwitch';
import { type VmError, toVmError } from '../../shared/errors';
import type { SourceId } from '../../shared/model';
import { client, runningIn } from './client';
import { ErrorBanner } from './components/ErrorBanner';
import { JsonFileButton } from './components/JsonFileButton';
import { openSnapshotFile } from './openSnapshotFile';
import { addSnapshot } from './snapshotStore';
import { loadLastChoice, saveLastChoice } from './lastChoice';
import { parseRoute, useRoute } from './route';
import { type RouteContext, routeNav, routeView } from './routes';
import { useAsync } from './useAsync';
import { useStableCallback } from './useStableCallback';
import { useAutosave } from './views/library/autosave';

export function App() {
  const { t } = useTranslation();
  const [info] = useAsync(() => client.call('system.info', {}), 'system');
  const [route, navigate] = useRoute();
  useAutosave();
  const [last, setLast] = useState(loadLastChoice);
  const sources = info.value?.sources ?? [];
  const source: SourceId | undefined =
    last.source && sources.includes(last.source) ? last.source : undefined;

  const remember = (next: typeof last): void => {
    setLast(next);
    saveLastChoice(next);
  };

  const filePicker = useRef<{ open: () => void }>(null);
  // An error opening a file belongs to the view it was raised on: leaving that view clears it.
  const routeKey = JSON.stringify(route);
  const [openErrorAt, setOpenErrorAt] = useState<{ error: VmError; at: string } | null>(null);
  if (openErrorAt && openErrorAt.at !== routeKey) setOpenErrorAt(null);
  const openError = openErrorAt?.error ?? null;
  const setOpenError = useStableCallback((error: VmError | null): void =>
    setOpenErrorAt(error && { error, at: routeKey }),
  );
  const [dropping, setDropping] = useState(false);
  const open = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setOpenError(null);
    try {
      const { snapshot, contentsFile } = await openSnapshotFile(file);
      const entry = addSnapshot(snapshot, 'file', file.name, contentsFile);
      navigate({ view: 'file', id: entry.id });
    } catch (err) {
      setOpenError(toVmError(err));
    }
  };
  const compare = (before: number, after: number): void =>
    navigate({ view: 'compare', before, after });
  // Stable, so the route table gets a callback and never the ref itself during render.
  const openAnotherFile = useStableCallback(() => filePicker.current?.open());
  const context: RouteContext = {
    navigate,
    compare,
    openAnotherFile,
    source,
    sources,
    last,
    remember,
  };

  // Files named on the command line (vmscope serve --open FILE) open once, at start.
  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const files = await client.call('files.opened', {});
        for (const file of files) {
          const entry = addSnapshot(
            await client.call('files.snapshot', { index: file.index }),
            'file',
            file.name,
            file.index,
          );
          if (current && file.index === 0 && parseRoute(location.hash).view === 'processes')
            navigate({ view: 'file', id: entry.id });
        }
      } catch (err) {
        if (current) setOpenError(toVmError(err));
      }
    })();
    return () => {
      current = false;
    };
  }, [navigate, setOpenError]);

  return (
    <div
      className={`app${dropping ? ' dropping' : ''}`}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropping(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDropping(false);
        void open(e.dataTransfer.files[0]);
      }}
    >
      <header className="app-header">
        <h1>vmscope</h1>
        <nav aria-label={t('shell.views')}>
          <button
            type="button"
            aria-current={route.view === 'processes'}
            onClick={() => navigate({ view: 'processes' })}
          >
            {t('shell.processes')}
          </button>
          <button
            type="button"
            aria-current={route.view === 'sandbox'}
            onClick={() => navigate({ view: 'sandbox' })}
          >
            {t('shell.sandbox')}
          </button>
          <button
            type="button"
            aria-current={route.view === 'library'}
            onClick={() => navigate({ view: 'library' })}
          >
            {t('shell.library')}
          </button>
          {routeNav(route, context)}
        </nav>
        <JsonFileButton
          ref={filePicker}
          label={t('shell.openSnapshot')}
          inputLabel={t('shell.snapshotFile')}
          title={t('shell.openSnapshotTitle')}
          onFile={(file) => void open(file)}
        />
        {info.status === 'ready' && (
          <span className="host-info" translate="no">
            {info.value.hostname} · {info.value.platform}/{info.value.arch} ·{' '}
            {runningIn === 'electron' ? t('shell.desktop') : t('shell.browserHost')}
          </span>
        )}
        <LanguageSwitch />
      </header>
      <main>
        {openError && <ErrorBanner error={openError} onDismiss={() => setOpenError(null)} />}
        {routeView(route, context)}
      </main>
    </div>
  );
}
