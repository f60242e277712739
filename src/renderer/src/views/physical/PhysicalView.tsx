/**
 * The simulated machine's physical memory as RAMMap shows it: Use Counts (pages by use and list),
 * Page Lists, and Processes (each one's private pages by list), with the kernel pools the
 * simulator models. Reads `machine.view` (what `vmscope machine --json` prints) once a second.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type VmError, toVmError } from '../../../../shared/errors';
import { formatSize } from '../../../../shared/format';
import {
  type ListBytes,
  type MachineClock,
  type MachineView,
  PAGE_LISTS,
} from '../../../../shared/machineView';
import { client } from '../../client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useFormat } from '../../i18n/format';
import { useAsync } from '../../useAsync';
import './physical.css';

const TABS = ['useCounts', 'pageLists', 'processes'] as const;
type Tab = (typeof TABS)[number];

/** How often the view reads the machine again. */
const REFRESH_MS = 1000;

function Bytes({ value }: { value: number }) {
  return (
    <td className="num" data-bytes={value}>
      {formatSize(value)}
    </td>
  );
}

const total = (b: ListBytes): number => b.active + b.standby + b.modified;

function UseCounts({ view }: { view: MachineView }) {
  const { t } = useTranslation();
  const rows: { key: string; bytes: ListBytes }[] = [
    { key: 'processPrivate', bytes: view.byUse.processPrivate },
    { key: 'mappedFile', bytes: view.byUse.mappedFile },
    { key: 'shareable', bytes: view.byUse.shareable },
    // Page tables and pools are resident: they count as active.
    { key: 'pageTable', bytes: { active: view.byUse.pageTable, standby: 0, modified: 0 } },
    { key: 'pagedPool', bytes: { active: view.pools.paged, standby: 0, modified: 0 } },
    { key: 'nonPagedPool', bytes: { active: view.pools.nonPaged, standby: 0, modified: 0 } },
  ];
  return (
    <>
      <table className="physical-table" data-testid="use-counts">
        <thead>
          <tr>
            <th>{t('physical.use')}</th>
            <th className="num">{t('physical.total')}</th>
            <th className="num">{t('physical.lists.active')}</th>
            <th className="num">{t('physical.lists.standby')}</th>
            <th className="num">{t('physical.lists.modified')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-use={row.key}>
              <th scope="row">{t(`physical.uses.${row.key}`)}</th>
              <Bytes value={total(row.bytes)} />
              <Bytes value={row.bytes.active} />
              <Bytes value={row.bytes.standby} />
              <Bytes value={row.bytes.modified} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="dim">{t('physical.pools')}</p>
    </>
  );
}

function PageLists({ view }: { view: MachineView }) {
  const { t, i18n } = useTranslation();
  const percent = new Intl.NumberFormat(i18n.language, {
    style: 'percent',
    maximumFractionDigits: 1,
  });
  return (
    <table className="physical-table" data-testid="page-lists">
      <thead>
        <tr>
          <th>{t('physical.list')}</th>
          <th className="num">{t('physical.size')}</th>
          <th className="num">{t('physical.share')}</th>
          <th aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {PAGE_LISTS.map((list) => {
          const share = view.byList[list] / view.physicalMemory;
          return (
            <tr key={list} data-list={list}>
              <th scope="row">{t(`physical.lists.${list}`)}</th>
              <Bytes value={view.byList[list]} />
              <td className="num">{percent.format(share)}</td>
              <td className="bar-cell" aria-hidden="true">
                <span className={`bar list-${list}`} style={{ width: `${share * 100}%` }} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Processes({ view }: { view: MachineView }) {
  const { t } = useTranslation();
  const rows = [...view.processes].sort(
    (a, b) => b.private.active - a.private.active || a.pid - b.pid,
  );
  return (
    <table className="physical-table" data-testid="processes">
      <thead>
        <tr>
          <th className="num">{t('physical.pid')}</th>
          <th>{t('physical.process')}</th>
          <th className="num">{t('physical.private')}</th>
          <th className="num">{t('physical.lists.standby')}</th>
          <th className="num">{t('physical.lists.modified')}</th>
          <th className="num">{t('physical.pageTable')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.pid} data-pid={p.pid}>
            <td className="num">{p.pid}</td>
            <td>
              <code>{p.name}</code>
            </td>
            <Bytes value={p.private.active} />
            <Bytes value={p.private.standby} />
            <Bytes value={p.private.modified} />
            <Bytes value={p.pageTable} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** All of RAM as one bar, a segment per list, so the proportions show before any number. */
function RamBar({ view }: { view: MachineView }) {
  const { t } = useTranslation();
  return (
    <div className="ram-bar-wrap">
      <div className="ram-bar" aria-hidden="true">
        {PAGE_LISTS.map((list) => (
          <span
            key={list}
            className={`bar list-${list}`}
            style={{ width: `${(view.byList[list] / view.physicalMemory) * 100}%` }}
          />
        ))}
      </div>
      <p className="ram-legend">
        {PAGE_LISTS.map((list) => (
          <span key={list} className="ram-key">
            <span className={`swatch list-${list}`} /> {t(`physical.lists.${list}`)}{' '}
            {formatSize(view.byList[list])}
          </span>
        ))}
      </p>
    </div>
  );
}

export function PhysicalView() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [tab, setTab] = useState<Tab>('useCounts');
  // Live: the view is read again every REFRESH_MS (a new key for useAsync).
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const [machine, reload] = useAsync(() => client.call('machine.view', {}), String(tick));
  const [clockRead] = useAsync(() => client.call('machine.clock', { action: 'read' }), 'clock');
  const [clock, setClock] = useState<MachineClock | null>(null);
  const [error, setError] = useState<VmError | null>(null);
  const paused = (clock ?? clockRead.value)?.paused;
  const view = machine.value ?? null;
  const shownError = error ?? (machine.status === 'error' ? machine.error : null);

  const toggleClock = async (): Promise<void> => {
    try {
      setClock(await client.call('machine.clock', { action: paused ? 'resume' : 'pause' }));
      reload();
    } catch (err) {
      setError(toVmError(err));
    }
  };

  return (
    <div className="physical" data-testid="physical-view">
      <div className="toolbar">
        <h2>{t('physical.title')}</h2>
        <span className="spacer" />
        {paused !== undefined && (
          <button type="button" onClick={() => void toggleClock()} aria-pressed={paused}>
            {paused ? t('physical.resume') : t('physical.pause')}
          </button>
        )}
      </div>
      {shownError && <ErrorBanner error={shownError} onDismiss={() => setError(null)} />}
      <p className="physical-intro">{t('physical.intro')}</p>
      {view && (
        <>
          <p className="physical-summary" data-testid="physical-summary">
            {t('physical.summary', {
              ram: formatSize(view.physicalMemory),
              uptime: `${fmt.number(Math.floor(view.uptimeMs / 1000))} s`,
              commit: formatSize(view.commit.charge),
              limit: formatSize(view.commit.limit),
              pagefile: formatSize(view.pagefile.used),
              pagefileSize: formatSize(view.pagefile.size),
            })}{' '}
            · {t('physical.taken', { time: fmt.dateTime(new Date(view.takenAt)) })}
          </p>
          <RamBar view={view} />
          <div className="tabs" role="tablist">
            {TABS.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                aria-selected={tab === name}
                onClick={() => setTab(name)}
              >
                {t(`physical.tabs.${name}`)}
              </button>
            ))}
          </div>
          <div role="tabpanel">
            {tab === 'useCounts' && <UseCounts view={view} />}
            {tab === 'pageLists' && <PageLists view={view} />}
            {tab === 'processes' && <Processes view={view} />}
          </div>
        </>
      )}
    </div>
  );
}
