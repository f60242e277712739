import {
  type ReactNode,
  createContext,
  startTransition,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import type { SourceId } from '../../shared/model';
import { client } from './client';
import {
  DEFAULT_INTERVAL_MS,
  type ProcessStream,
  type SessionMemory,
  type SubscribeCounters,
  type WatchSession,
  WatchSessions,
} from './views/watch/watchSessions';

const WatchSessionsContext = createContext<WatchSessions | null>(null);

const MEMORY_KEY = 'vmscope.watch';

/** sessionStorage: the tab's sessions survive a reload, and a new tab starts with none. */
export const tabMemory: SessionMemory = {
  load: () => sessionStorage.getItem(MEMORY_KEY),
  save: (text) => sessionStorage.setItem(MEMORY_KEY, text),
};

const subscribeCounters: SubscribeCounters = (input, listener) =>
  client.subscribe('counters.watch', input, listener);

/**
 * Holds the app's watch sessions above the routes. They live as long as the page: unloading it
 * closes the connection, and that ends every stream it opened.
 */
export function WatchSessionsProvider({
  children,
  store: given,
}: {
  children: ReactNode;
  store?: WatchSessions;
}) {
  const [store] = useState(() => given ?? new WatchSessions(subscribeCounters, tabMemory));
  return <WatchSessionsContext.Provider value={store}>{children}</WatchSessionsContext.Provider>;
}

export function useWatchSessions(): WatchSessions {
  const store = useContext(WatchSessionsContext);
  if (!store) throw new Error('useWatchSessions needs a WatchSessionsProvider above it.');
  return store;
}

/**
 * The session watching these processes (opened if new) and its streams, re-rendered when they
 * change. The re-render is a transition: clicks stay responsive while charts redraw.
 */
export function useWatchSession(
  source: SourceId | undefined,
  pids: readonly number[],
): { session: WatchSession; streams: ProcessStream[]; store: WatchSessions } {
  const store = useWatchSessions();
  const [version, setVersion] = useState(store.version);
  const pidKey = pids.join(',');
  useEffect(() => {
    const off = store.listen(() => startTransition(() => setVersion(store.version)));
    return off;
  }, [store]);
  // Opening is idempotent: a session already open (left and come back to) is found as it was.
  useEffect(() => {
    store.open(source, pids);
    // pidKey stands for pids.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, source, pidKey]);
  const session = store.get(source, pids) ?? {
    ...(source ? { source } : {}),
    pids: [...pids],
    intervalMs: DEFAULT_INTERVAL_MS,
    range: null,
  };
  const streams = useMemo(
    () => pids.map((pid) => store.stream(source, pid)),
    // pidKey stands for pids; version says the store changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, pidKey, source, version],
  );
  return { session, streams, store };
}
