import { useCallback, useEffect, useState } from 'react';
import { SOURCE_IDS, type SourceId } from '../../shared/model';

/** Where the app is, kept in the URL hash so reloads and links land in the same place. */
export type Route =
  | { view: 'processes' }
  | { view: 'inspect'; pid: number; source?: SourceId }
  | { view: 'watch'; pids: number[]; source?: SourceId }
  /** A snapshot this session opened from a file (snapshotStore id). */
  | { view: 'file'; id: number }
  /** Two snapshots this session holds, compared (snapshotStore ids). */
  | { view: 'compare'; before: number; after: number }
  /** The sandbox playground (its session lives in the service, not in the URL). */
  | { view: 'sandbox' }
  /** The snapshots kept on disk (docs/library.md). */
  | { view: 'library' }
  /** The simulated machine's physical memory, as RAMMap shows it (docs/physical-memory.md). */
  | { view: 'physical' };

function sourceOf(params: URLSearchParams): SourceId | undefined {
  const s = params.get('source');
  return (SOURCE_IDS as readonly string[]).includes(s ?? '') ? (s as SourceId) : undefined;
}

/** A small whole number from the URL (pids and store ids alike). */
const pidOf = (text: string | null): number | null =>
  text && /^\d{1,10}$/.test(text) ? Number(text) : null;

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
  if (path === '/file') {
    const id = pidOf(params.get('id'));
    if (id !== null) return { view: 'file', id };
  }
  if (path === '/compare') {
    const before = pidOf(params.get('before'));
    const after = pidOf(params.get('after'));
    if (before !== null && after !== null) return { view: 'compare', before, after };
  }
  if (path === '/sandbox') return { view: 'sandbox' };
  if (path === '/library') return { view: 'library' };
  if (path === '/physical') return { view: 'physical' };
  return { view: 'processes' };
}

export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (route.view === 'inspect') params.set('pid', String(route.pid));
  if (route.view === 'watch') params.set('pid', route.pids.join(','));
  if (route.view === 'file') params.set('id', String(route.id));
  if (route.view === 'compare') {
    params.set('before', String(route.before));
    params.set('after', String(route.after));
  }
  if ((route.view === 'inspect' || route.view === 'watch') && route.source)
    params.set('source', route.source);
  const query = params.toString();
  return `#/${route.view === 'processes' ? '' : route.view}${query ? `?${query}` : ''}`;
}

export function useRoute(): [Route, (route: Route) => void] {
  const [first] = useState(() => location.hash);
  const [route, setRoute] = useState(() => parseRoute(first));
  useEffect(() => {
    const onHash = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    // The hash may have changed between the first render, which read it, and this effect, which
    // runs after the paint: that hashchange fired with no one listening (a link opened while the
    // page was still starting stayed on the process list).
    if (location.hash !== first) onHash();
    return () => window.removeEventListener('hashchange', onHash);
  }, [first]);
  const navigate = useCallback((next: Route) => {
    location.hash = formatRoute(next);
  }, []);
  return [route, navigate];
}
