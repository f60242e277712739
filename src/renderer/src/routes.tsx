import type { ReactNode } from 'react';
import type { SourceId } from '../../shared/model';
import type { LastChoice } from './lastChoice';
import type { Route } from './route';
import { CompareView } from './views/compare/CompareView';
import { FileView } from './views/files/FileView';
import { InspectView } from './views/inspect/InspectView';
import { LibraryView } from './views/library/LibraryView';
import { ProcessList } from './views/ProcessList';
import { SandboxView } from './views/sandbox/SandboxView';
import { PhysicalView } from './views/physical/PhysicalView';
import { i18next } from './i18n';
import { WatchView } from './views/watch/WatchView';

/** What the app gives every route: navigation and the few choices that outlive a view. */
export interface RouteContext {
  navigate: (route: Route) => void;
  compare: (before: number, after: number) => void;
  /** Opens the file picker for another snapshot. */
  openAnotherFile: () => void;
  source: SourceId | undefined;
  sources: SourceId[];
  last: LastChoice;
  remember: (next: LastChoice) => void;
}

type RouteOf<V extends Route['view']> = Extract<Route, { view: V }>;

interface RouteEntry<V extends Route['view']> {
  /** The view shown in <main>. */
  view: (route: RouteOf<V>, context: RouteContext) => ReactNode;
  /** The route's own buttons in the header's nav, after Processes and Sandbox. */
  nav?: (route: RouteOf<V>, context: RouteContext) => ReactNode;
}

/** Every view of the app, by route: adding a view is one entry here and one in route.ts. */
export const ROUTES: { [V in Route['view']]: RouteEntry<V> } = {
  processes: {
    view: (_route, { source, sources, last, remember, navigate }) => (
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
    ),
  },
  sandbox: { view: () => <SandboxView /> },
  physical: {
    view: () => <PhysicalView />,
    nav: () => (
      <button type="button" aria-current="page">
        {i18next.t('shell.physical')}
      </button>
    ),
  },
  library: {
    view: (_route, { navigate, compare }) => (
      <LibraryView onOpen={(id) => navigate({ view: 'file', id })} onCompare={compare} />
    ),
  },
  inspect: {
    view: (route, { navigate, compare }) => (
      <InspectView
        key={`${route.source ?? ''}:${route.pid}`}
        pid={route.pid}
        source={route.source}
        onPickAnother={() => navigate({ view: 'processes' })}
        onCompare={compare}
      />
    ),
    nav: (route, { navigate }) => (
      <>
        <button type="button" aria-current="page">
          {i18next.t('shell.inspect', { pid: route.pid })}
        </button>
        <button
          type="button"
          onClick={() =>
            navigate({
              view: 'watch',
              pids: [route.pid],
              ...(route.source ? { source: route.source } : {}),
            })
          }
        >
          {i18next.t('shell.watch', { pids: route.pid })}
        </button>
      </>
    ),
  },
  watch: {
    view: (route, { navigate }) => (
      <WatchView
        key={`${route.source ?? ''}:${route.pids.join(',')}`}
        pids={route.pids}
        source={route.source}
        onStop={() => navigate({ view: 'processes' })}
      />
    ),
    nav: (route, { navigate }) => (
      <>
        {route.pids.length === 1 && (
          <button
            type="button"
            onClick={() =>
              navigate({
                view: 'inspect',
                pid: route.pids[0]!,
                ...(route.source ? { source: route.source } : {}),
              })
            }
          >
            {i18next.t('shell.inspect', { pid: route.pids[0] })}
          </button>
        )}
        <button type="button" aria-current="page">
          {i18next.t('shell.watch', { pids: route.pids.join(', ') })}
        </button>
        {/* The simulated processes share one machine: its physical memory is a click away. */}
        {route.source === 'simulated' && (
          <button type="button" onClick={() => navigate({ view: 'physical' })}>
            {i18next.t('shell.physical')}
          </button>
        )}
      </>
    ),
  },
  file: {
    view: (route, { openAnotherFile, compare }) => (
      <FileView key={route.id} id={route.id} onOpenAnother={openAnotherFile} onCompare={compare} />
    ),
    nav: () => (
      <button type="button" aria-current="page">
        {i18next.t('shell.file')}
      </button>
    ),
  },
  compare: {
    view: (route, { compare }) => (
      <CompareView before={route.before} after={route.after} onChoose={compare} />
    ),
    nav: () => (
      <button type="button" aria-current="page">
        {i18next.t('shell.compare')}
      </button>
    ),
  },
};

/** The table's entry for a route, typed for that route (TypeScript cannot follow the union itself). */
const entryOf = <V extends Route['view']>(route: RouteOf<V>): RouteEntry<V> =>
  ROUTES[route.view as V] as RouteEntry<V>;

export const routeView = (route: Route, context: RouteContext): ReactNode =>
  entryOf(route).view(route, context);

export const routeNav = (route: Route, context: RouteContext): ReactNode =>
  entryOf(route).nav?.(route, context) ?? null;
