import { useState } from 'react';
import type { SourceId } from '../../shared/model';
import { client, runningIn } from './client';
import { loadLastChoice, saveLastChoice } from './lastChoice';
import { useRoute } from './route';
import { useAsync } from './useAsync';
import { InspectView } from './views/inspect/InspectView';
import { ProcessList } from './views/ProcessList';
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

  return (
    <div className="app">
      <header className="app-header">
        <h1>vmscope</h1>
        <nav aria-label="Views">
          <button type="button" aria-current={route.view === 'processes'} onClick={() => navigate({ view: 'processes' })}>
            Processes
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
        </nav>
        {info.status === 'ready' && (
          <span className="host-info">
            {info.value.hostname} · {info.value.platform}/{info.value.arch} · {runningIn === 'electron' ? 'desktop' : 'browser host'}
          </span>
        )}
      </header>
      <main>
        {route.view === 'watch' ? (
          <WatchView key={`${route.source ?? ''}:${route.pids.join(',')}`} pids={route.pids} source={route.source} />
        ) : route.view === 'inspect' ? (
          <InspectView
            key={`${route.source ?? ''}:${route.pid}`}
            pid={route.pid}
            source={route.source}
            onPickAnother={() => navigate({ view: 'processes' })}
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
