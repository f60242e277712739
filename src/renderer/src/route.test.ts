import { describe, expect, it } from 'vitest';
import { type Route, formatRoute, parseRoute } from './route';

describe('routes in the URL hash', () => {
  it('round-trip every view', () => {
    const routes: Route[] = [
      { view: 'processes' },
      { view: 'inspect', pid: 42 },
      { view: 'inspect', pid: 42, source: 'simulated' },
      { view: 'watch', pids: [1, 2], source: 'linux' },
      { view: 'file', id: 3 },
      { view: 'compare', before: 1, after: 4 },
      { view: 'sandbox' },
      { view: 'library' },
    ];
    for (const route of routes) {
      expect(parseRoute(formatRoute(route))).toEqual(route);
    }
  });
  it('fall back to the process list for anything malformed', () => {
    for (const hash of [
      '',
      '#',
      '#/inspect',
      '#/inspect?pid=abc',
      '#/watch?pid=',
      '#/nowhere?pid=1',
      '#/inspect?pid=1e9999',
      '#/compare?before=1',
      '#/file?id=x',
    ]) {
      expect(parseRoute(hash)).toEqual({ view: 'processes' });
    }
    expect(parseRoute('#/inspect?pid=7&source=macos')).toEqual({ view: 'inspect', pid: 7 });
  });
});
