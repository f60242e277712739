import { useEffect, useRef, useState } from 'react';
import { type VmError, toVmError } from '../../shared/errors';
import type { SourceId } from '../../shared/model';
import { client, runningIn } from './client';
import { ErrorBanner } from './components/ErrorBanner';
import { JsonFileButton } from './components/JsonFileButton';
import { openSnapshotFile } from './openSnapshotFile';
import { addSnapshot } from './snapshotStore';
import { loadLastChoice, saveLastChoice } from './lastChoice';
import { parseRoute, useRoute } from './route';
import { useAsync } from './useAsync';
import { CompareView } from './views/compare/CompareView';
import { FileView } from './views/files/FileView';
import { InspectView } from './views/inspect/InspectView';
import { ProcessList } from './views/ProcessList';
import { SandboxView } from './views/sandbox/SandboxView';
import { WatchView } from './views/watch/WatchView';

export function App() {
  const [info] = useAsync(() => client.call('system.info', {}), 'system');
  const [route, navigate] = useRoute();
  const [last, setLast] = useState(loadLastChoice);
  const sources = info.value?.sources ?? [];
  const source: SourceId | undefined = last.source && sources.includes(last.source) ? last.source : undefined;

  const remember = (next: typeof last): void => {
    setLast(next);
    saveLastChoice(next);
  };

  const filePicker = useRef<{ open: () => void }>(null);
  const [openError, setOpenError] = useState<VmError | null>(null);
  const [dropping, setDropping] = useState(false);
  const open = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setOpenError(null);
    try {
      const entry = addSnapshot(await openSnapshotFile(file), 'file', file.name);
      navigate({ view: 'file', id: entry.id });
    } catch (err) {
      setOpenError(toVmError(err));
    }
  };
  const compare = (before: number, after: number): void => navigate({ view: 'compare', before, after });

  // Files named on the command line (vmscope serve --open FILE) open once, at start.
  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const files = await client.call('files.opened', {});
        for (const file of files) {
          const entry = addSnapshot(await client.call('files.snapshot', { index: file.index }), 'file', file.name);
          if (current && file.index === 0 && parseRoute(location.hash).view === 'processes') navigate({ view: 'file', id: entry.id });
        }
      } catch (err) {
        if (current) setOpenError(toVmError(err));
      }
    })();
    return () => {
      current = false;
    };
  }, [navigate]);

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
        <nav aria-label="Views">
          <button type="button" aria-current={route.view === 'processes'} onClick={() => navigate({ view: 'processes' })}>
            Processes
          </button>
          <button type="button" aria-current={route.view === 'sandbox'} onClick={() => navigate({ view: 'sandbox' })}>
            Sandbox
          </button>
          {route.view === 'inspect' && (
            <>
              <button type="button" aria-current="page">
                Inspect {route.pid}
              </button>
              <button type="button" onClick={() => navigate({ view: 'watch', pids: [route.pid], ...(route.source ? { source: route.source } : {}) })}>
                Watch {route.pid}
              </button>
            </>
          )}
          {route.view === 'watch' && (
            <>
              {route.pids.length === 1 && (
                <button type="button" onClick={() => navigate({ view: 'inspect', pid: route.pids[0]!, ...(route.source ? { source: route.source } : {}) })}>
                  Inspect {route.pids[0]}
                </button>
              )}
              <button type="button" aria-current="page">
                Watch {route.pids.join(', ')}
              </button>
            </>
          )}
          {route.view === 'file' && (
            <button type="button" aria-current="page">
              File
            </button>
          )}
          {route.view === 'compare' && (
            <button type="button" aria-current="page">
              Compare
            </button>
          )}
        </nav>
        <JsonFileButton
          ref={filePicker}
          label="Open snapshot…"
          inputLabel="Snapshot file"
          title="Open a vmscope snapshot (.json); you can also drop one on the window"
          onFile={(file) => void open(file)}
        />
        {info.status === 'ready' && (
          <span className="host-info">
            {info.value.hostname} · {info.value.platform}/{info.value.arch} · {runningIn === 'electron' ? 'desktop' : 'browser host'}
          </span>
        )}
      </header>
      <main>
        {openError && (
          <ErrorBanner
            error={openError}
            action={
              <button type="button" onClick={() => setOpenError(null)}>
                Dismiss
              </button>
            }
          />
        )}
        {route.view === 'file' ? (
          <FileView key={route.id} id={route.id} onOpenAnother={() => filePicker.current?.open()} onCompare={compare} />
        ) : route.view === 'sandbox' ? (
          <SandboxView />
        ) : route.view === 'compare' ? (
          <CompareView before={route.before} after={route.after} onChoose={compare} />
        ) : route.view === 'watch' ? (
          <WatchView key={`${route.source ?? ''}:${route.pids.join(',')}`} pids={route.pids} source={route.source} />
        ) : route.view === 'inspect' ? (
          <InspectView
            key={`${route.source ?? ''}:${route.pid}`}
            pid={route.pid}
            source={route.source}
            onPickAnother={() => navigate({ view: 'processes' })}
            onCompare={compare}
          />
        ) : (
          <ProcessList
            source={source}
            sources={sources}
            lastPid={last.pid}
            onSource={(s) => remember({ source: s })}
            onOpen={(p) => {
              remember({ source, pid: p.pid });
              navigate({ view: 'inspect', pid: p.pid, ...(source ? { source } : {}) });
            }}
            onWatch={(pids) => navigate({ view: 'watch', pids, ...(source ? { source } : {}) })}
          />
        )}
      </main>
    </div>
  );
}
