import { client, runningIn } from './client';
import { useAsync } from './useAsync';
import { ProcessList } from './views/ProcessList';

export function App() {
  const [info] = useAsync(() => client.call('system.info', {}), 'system');
  return (
    <div className="app">
      <header className="app-header">
        <h1>vmscope</h1>
        {info.status === 'ready' && (
          <span className="host-info">
            {info.value.hostname} · {info.value.platform}/{info.value.arch} · source {info.value.defaultSource} ·{' '}
            {runningIn === 'electron' ? 'desktop' : 'browser host'}
          </span>
        )}
      </header>
      <main>
        <ProcessList />
      </main>
    </div>
  );
}
