import { useState } from 'react';
import type { SourceId } from '../../shared/model';
import { client, runningIn } from './client';
import { loadLastChoice, saveLastChoice } from './lastChoice';
import { useRoute } from './route';
import { useAsync } from './useAsync';
import { InspectView } from './views/inspect/InspectView';
import { ProcessList } from './views/ProcessList';

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
            <button type="button" aria-current="page">
              Inspect {route.pid}
            </button>
          )}
        </nav>
        {info.status === 'ready' && (
          <span className="host-info">
            {info.value.hostname} · {info.value.platform}/{info.value.arch} · {runningIn === 'electron' ? 'desktop' : 'browser host'}
          </span>
        )}
      </header>
      <main>
        {route.view === 'inspect' ? (
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
          />
        )}
      </main>
    </div>
  );
}
