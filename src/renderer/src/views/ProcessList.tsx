import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Format, useFormat } from '../i18n/format';
import { formatBytes, formatCount } from '../../../shared/format';
import type { ProcessInfo, SourceId } from '../../../shared/model';
import { client } from '../client';
import { ErrorBanner } from '../components/ErrorBanner';
import { useAsync } from '../useAsync';
import { processTree } from './processTree';

/** A column; its header is processes.columns.<key>. */
type Column = {
  key: keyof ProcessInfo;
  numeric?: boolean;
  render?: (p: ProcessInfo, f: Format) => React.ReactNode;
};

const COLUMNS: Column[] = [
  { key: 'pid', numeric: true },
  { key: 'name' },
  { key: 'user' },
  {
    key: 'workingSetSize',
    numeric: true,
    render: (p) => formatBytes(p.workingSetSize),
  },
  {
    key: 'privateBytes',
    numeric: true,
    render: (p) => formatBytes(p.privateBytes),
  },
  {
    key: 'virtualSize',
    numeric: true,
    render: (p) => formatBytes(p.virtualSize),
  },
  {
    key: 'pageFaults',
    numeric: true,
    render: (p) => formatCount(p.pageFaults),
  },
  { key: 'parentPid', numeric: true },
  {
    key: 'startTime',
    render: (p, f) => (p.startTime ? f.dateTime(new Date(p.startTime)) : '—'),
  },
  { key: 'path' },
];

/** Columns whose values are names (not translated). */
const NAMES: ReadonlySet<keyof ProcessInfo> = new Set(['name', 'user', 'path']);

type Sort = { key: keyof ProcessInfo; descending: boolean };

function compare(a: ProcessInfo, b: ProcessInfo, key: keyof ProcessInfo): number {
  const x = a[key];
  const y = b[key];
  if (x === y) return a.pid - b.pid;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}

/** Search as System Informer does: pid, name, the kernel's name (a script's), user, command line. */
export function matchesFilter(p: ProcessInfo, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return (
    String(p.pid) === f ||
    p.name.toLowerCase().includes(f) ||
    (p.comm ?? '').toLowerCase().includes(f) ||
    (p.user ?? '').toLowerCase().includes(f) ||
    (p.commandLine ?? '').toLowerCase().includes(f)
  );
}

/** How often the list refreshes itself while not paused. */
const AUTO_REFRESH_MS = 2000;

export interface ProcessListProps {
  source: SourceId | undefined;
  /** Sources this machine offers, for the switch; the default first. */
  sources: SourceId[];
  onSource: (source: SourceId) => void;
  onOpen: (p: ProcessInfo) => void;
  /** Watch the charts of these processes (the checked ones, or the selected one). */
  onWatch: (pids: number[]) => void;
  /** The process opened last time, selected when it is still there. */
  lastPid?: number;
}

export function ProcessList({
  source,
  sources,
  onSource,
  onOpen,
  onWatch,
  lastPid,
}: ProcessListProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const [state, reload] = useAsync(
    () => client.call('processes.list', { source }),
    `processes:${source ?? ''}`,
  );
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'workingSetSize', descending: true });
  const [selected, setSelected] = useState<number | null>(lastPid ?? null);
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set());
  const [paused, setPaused] = useState(false);
  const loading = state.status === 'loading';
  useEffect(() => {
    if (paused || loading) return;
    const timer = setTimeout(reload, AUTO_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [paused, loading, reload]);
  const body = useRef<HTMLTableSectionElement>(null);
  const toggleChecked = (pid: number): void => {
    const next = new Set(checked);
    if (next.has(pid)) next.delete(pid);
    else next.add(pid);
    setChecked(next);
  };

  const [tree, setTree] = useState(false);
  // The rows in order, and each one's depth in the tree by parent (0 in the flat list).
  const [rows, depths] = useMemo(() => {
    const order = (a: ProcessInfo, b: ProcessInfo): number => {
      const c = compare(a, b, sort.key);
      // Nulls stay last whichever way the column is sorted.
      if (a[sort.key] === null || b[sort.key] === null) return c;
      return sort.descending ? -c : c;
    };
    if (tree) {
      const treeRows = processTree(
        state.value ?? [],
        order,
        filter.trim() ? (p) => matchesFilter(p, filter) : null,
      );
      return [
        treeRows.map((r) => r.process),
        new Map(treeRows.map((r) => [r.process.pid, r.depth])),
      ] as const;
    }
    const list = (state.value ?? []).filter((p) => matchesFilter(p, filter));
    list.sort(order);
    return [list, null] as const;
  }, [state.value, filter, sort, tree]);

  const selectedProcess = state.value?.find((p) => p.pid === selected);
  // One tab stop for the rows (the selected one, else the first); arrows move between them.
  const tabStop = rows.some((p) => p.pid === selected) ? selected : (rows[0]?.pid ?? null);
  const moveTo = (index: number): void => {
    const p = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!p) return;
    setSelected(p.pid);
    body.current?.querySelector<HTMLElement>(`tr[data-pid="${p.pid}"]`)?.focus();
  };
  const onRowKey = (e: React.KeyboardEvent, p: ProcessInfo, index: number): void => {
    if (e.target !== e.currentTarget) return; // keys in the row's checkbox are the checkbox's
    const page = 10;
    const to: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rows.length - 1,
    };
    if (e.key in to) moveTo(to[e.key]!);
    else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey))
      onWatch(checked.size > 0 ? [...checked] : [p.pid]);
    else if (e.key === 'Enter') onOpen(p);
    else if (e.key === ' ' && !p.kernelThread) toggleChecked(p.pid);
    else return;
    e.preventDefault();
  };
  const toggleSort = (key: keyof ProcessInfo, numeric?: boolean): void =>
    setSort((s) =>
      s.key === key ? { key, descending: !s.descending } : { key, descending: Boolean(numeric) },
    );

  return (
    <section className="process-list" aria-label={t('shell.processes')}>
      <div className="toolbar">
        <select
          aria-label={t('processes.source')}
          value={source ?? sources[0] ?? ''}
          onChange={(e) => onSource(e.target.value as SourceId)}
          disabled={sources.length < 2}
        >
          {sources.map((s) => (
            <option key={s} value={s}>
              {t(`processes.sources.${s}`)}
            </option>
          ))}
        </select>
        <button type="button" onClick={reload} disabled={state.status === 'loading'}>
          {t('common.refresh')}
        </button>
        <button
          type="button"
          disabled={selectedProcess === undefined}
          onClick={() => selectedProcess && onOpen(selectedProcess)}
          title={t('processes.inspectTitle')}
        >
          {t('processes.inspect')}
        </button>
        <button
          type="button"
          disabled={selected === null && checked.size === 0}
          onClick={() =>
            onWatch(checked.size > 0 ? [...checked] : selected !== null ? [selected] : [])
          }
          title={t('processes.watchTitle')}
        >
          {checked.size > 1
            ? t('processes.watchTogether', { count: checked.size })
            : t('processes.watch')}
        </button>
        <label>
          <input
            type="checkbox"
            title={t('processes.autoTitle')}
            checked={!paused}
            onChange={(e) => setPaused(!e.target.checked)}
          />{' '}
          {t('processes.autoUpdate', { seconds: AUTO_REFRESH_MS / 1000 })}
        </label>
        <label>
          <input type="checkbox" checked={tree} onChange={(e) => setTree(e.target.checked)} />{' '}
          {t('processes.tree')}
        </label>
        <input
          type="search"
          placeholder={t('processes.filterPlaceholder')}
          aria-label={t('processes.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowDown') return;
            e.preventDefault();
            moveTo(
              Math.max(
                0,
                rows.findIndex((p) => p.pid === tabStop),
              ),
            );
          }}
          autoFocus
        />
        <span className="status" aria-live="polite">
          {state.status === 'loading' && !state.value
            ? t('processes.loading')
            : state.value
              ? t('processes.shown', {
                  shown: format.number(rows.length),
                  total: format.number(state.value.length),
                })
              : ''}
        </span>
      </div>
      {state.status === 'error' && (
        <ErrorBanner
          error={state.error}
          action={
            <button type="button" onClick={reload}>
              {t('common.tryAgain')}
            </button>
          }
        />
      )}
      {state.value && rows.length === 0 && state.status !== 'loading' && (
        <p className="empty">{t('processes.noMatch', { filter })}</p>
      )}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table
            className="grid"
            role={depths ? 'treegrid' : 'grid'}
            aria-label={t('processes.list')}
          >
            <thead>
              <tr>
                <th className="check" title={t('processes.checkTitle')}>
                  <span className="th-text">{t('processes.watch')}</span>
                </th>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    className={c.numeric ? 'num' : undefined}
                    aria-sort={
                      sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'
                    }
                  >
                    {/* Not a tab stop: one Tab from the search box reaches the rows. */}
                    <button
                      type="button"
                      tabIndex={-1}
                      onClick={() => toggleSort(c.key, c.numeric)}
                    >
                      {t(`processes.columns.${c.key}`)}
                      {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody ref={body}>
              {rows.map((p, index) => (
                <tr
                  key={p.pid}
                  data-pid={p.pid}
                  className={p.pid === selected ? 'selected' : undefined}
                  tabIndex={p.pid === tabStop ? 0 : -1}
                  aria-selected={p.pid === selected}
                  aria-level={depths ? (depths.get(p.pid) ?? 0) + 1 : undefined}
                  onClick={() => setSelected(p.pid)}
                  onDoubleClick={() => onOpen(p)}
                  onKeyDown={(e) => onRowKey(e, p, index)}
                  onFocus={() => setSelected(p.pid)}
                  title={p.commandLine ?? undefined}
                >
                  <td className="check">
                    <input
                      type="checkbox"
                      aria-label={t('processes.check', { name: p.name, pid: p.pid })}
                      checked={checked.has(p.pid)}
                      onChange={() => toggleChecked(p.pid)}
                      onClick={(e) => e.stopPropagation()}
                      tabIndex={-1}
                      disabled={p.kernelThread}
                    />
                  </td>
                  {COLUMNS.map((c) => (
                    <td
                      key={c.key}
                      className={c.numeric ? 'num' : undefined}
                      title={c.key === 'path' ? (p.path ?? undefined) : undefined}
                      // Names, users and paths are the system's, not the UI's words.
                      translate={NAMES.has(c.key) ? 'no' : undefined}
                      style={
                        c.key === 'name' && depths
                          ? { paddingLeft: 8 + 14 * (depths.get(p.pid) ?? 0) }
                          : undefined
                      }
                    >
                      {c.render ? c.render(p, format) : (p[c.key] ?? '—').toString()}
                      {c.key === 'name' && p.kernelThread ? (
                        <span className="tag" translate="yes">
                          {t('processes.kernel')}
                        </span>
                      ) : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
