// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRoute, type Route } from './route';
import { ROUTES, type RouteContext, routeNav } from './routes';

const context = (navigate: (route: Route) => void): RouteContext => ({
  navigate,
  compare: vi.fn(),
  openAnotherFile: vi.fn(),
  source: undefined,
  sources: ['linux'],
  last: {},
  remember: vi.fn(),
});

afterEach(cleanup);

describe('the route table', () => {
  it('has an entry for every view a URL can name', () => {
    for (const hash of [
      '#/',
      '#/inspect?pid=1',
      '#/watch?pid=1,2',
      '#/file?id=1',
      '#/compare?before=1&after=2',
      '#/sandbox',
    ]) {
      expect(ROUTES[parseRoute(hash).view]).toBeDefined();
    }
  });

  it('gives an inspected process its nav: the current page, and Watch with the same source', () => {
    const navigate = vi.fn();
    render(
      <nav>{routeNav({ view: 'inspect', pid: 42, source: 'simulated' }, context(navigate))}</nav>,
    );
    expect(screen.getByRole('button', { name: 'Inspect 42' }).getAttribute('aria-current')).toBe(
      'page',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Watch 42' }));
    expect(navigate).toHaveBeenCalledWith({ view: 'watch', pids: [42], source: 'simulated' });
  });

  it('offers Inspect from Watch only when one process is watched', () => {
    const navigate = vi.fn();
    const { rerender } = render(
      <nav>{routeNav({ view: 'watch', pids: [7] }, context(navigate))}</nav>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Inspect 7' }));
    expect(navigate).toHaveBeenCalledWith({ view: 'inspect', pid: 7 });
    rerender(<nav>{routeNav({ view: 'watch', pids: [7, 8] }, context(navigate))}</nav>);
    expect(screen.queryByRole('button', { name: /^Inspect/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Watch 7, 8' })).toBeTruthy();
  });

  it('has no extra nav for the process list and the sandbox', () => {
    expect(routeNav({ view: 'processes' }, context(vi.fn()))).toBeNull();
    expect(routeNav({ view: 'sandbox' }, context(vi.fn()))).toBeNull();
  });
});
