import { useCallback, useEffect, useState } from 'react';
import { SOURCE_IDS, type SourceId } from '../../shared/model';

/** Where the app is, kept in the URL hash so reloads and links land in the same place. */
export type Route =
  | { view: 'processes' }
  | { view: 'inspect'; pid: number; source?: SourceId }
  | { view: 'watch'; pids: number[]; source?: SourceId };

function sourceOf(params: URLSearchParams): SourceId | undefined {
  const s = params.get('source');
  return (SOURCE_IDS as readonly string[]).includes(s ?? '') ? (s as SourceId) : undefined;
}

const pidOf = (text: string | null): number | null => (text && /^\d{1,10}$/.test(text) ? Number(text) : null);

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const source = sourceOf(params);
  if (path === '/inspect') {
    const pid = pidOf(params.get('pid'));
    if (pid !== null) return { view: 'inspect', pid, ...(source ? { source } : {}) };
  }
  if (path === '/watch') {
    const pids = (params.get('pid') ?? '')
      .split(',')
      .map(pidOf)
      .filter((p): p is number => p !== null);
    if (pids.length > 0) return { view: 'watch', pids, ...(source ? { source } : {}) };
  }
  return { view: 'processes' };
}

export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (route.view === 'inspect') params.set('pid', String(route.pid));
  if (route.view === 'watch') params.set('pid', route.pids.join(','));
  if (route.view !== 'processes' && route.source) params.set('source', route.source);
  const query = params.toString();
  return `#/${route.view === 'processes' ? '' : route.view}${query ? `?${query}` : ''}`;
}

export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = useCallback((next: Route) => {
    location.hash = formatRoute(next);
  }, []);
  return [route, navigate];
}
