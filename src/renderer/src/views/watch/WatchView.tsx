import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toVmError, type VmError } from '../../../../shared/errors';
import { formatBytes, formatBytesPerMinute } from '../../../../shared/format';
import { type LeakTrend, describeTrend } from '../../../../shared/leak';
import { i18next } from '../../i18n';
import type { SourceId } from '../../../../shared/model';
import type { SeriesKey, SeriesRow } from '../../../../shared/series';
import { seriesCsv } from '../../../../shared/seriesCsv';
import { client } from '../../client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatRoute } from '../../route';
import { addSnapshot, useStoredSnapshots } from '../../snapshotStore';
import { chartsToPng, downloadBlob } from './exportFiles';
import { createHoverSync } from './hoverSync';
import {
  ALL_LINES,
  FAULT_LINES,
  MEMORY_LINES,
  PROCESS_COLORS,
  type LineSpec,
  formatClock,
  formatRate,
  formatterFor,
  seriesValue,
} from './seriesSpecs';
import { type ChartLine, type ChartMarker, TimelineChart, type TimeRange } from './TimelineChart';
import { lastTwoOf, snapshotMarkers } from './snapshotMarkers';
import { useWatchSession } from '../../WatchSessionsProvider';
import type { ProcessStream } from './watchSessions';
import './watch.css';

export type { ChartMarker } from './TimelineChart';

export interface WatchViewProps {
  source?: SourceId;
  pids: number[];
  /** Events to mark on the time axis (sandbox operations, snapshots). */
  markers?: ChartMarker[];
  /** Offered as "Stop watching": the session is closed (its streams end), then this is called. */
  onStop?: () => void;
}

const INTERVALS = [100, 250, 500, 1000, 2000, 5000, 10_000];

type Layout = 'separate' | 'overlay';

const intervalLabel = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);

/** A process's lines for one chart: its rows up to the pause (all of them when live). */
function linesFor(
  stream: ProcessStream,
  specs: LineSpec[],
  hidden: ReadonlySet<SeriesKey>,
  frozen: Map<number, number> | null,
): ChartLine[] {
  const count = frozen?.get(stream.pid) ?? stream.rows.length;
  return specs.map((s) => ({
    ...s,
    name: seriesName(s.key),
    hidden: hidden.has(s.key),
    rows: stream.rows,
    count,
    value: seriesValue(s.key),
  }));
}

/** A series' name in the UI's language (watch.series.<key>). */
const seriesName = (key: SeriesKey): string => i18next.t(`watch.series.${key}`);

/** The leak verdict in the UI's language, from the trend's figures (the English text is the engine's). */
function trendText(leak: LeakTrend): string {
  const t = i18next.t;
  const z = leak.z?.toFixed(1) ?? '—';
  const rate = formatBytesPerMinute(leak.bytesPerMinute ?? 0);
  if (leak.verdict === 'insufficient-data')
    return t('watch.trend.insufficient', {
      reason: leak.reason,
      points: leak.points,
      seconds: (leak.spanMs / 1000).toFixed(0),
    });
  if (leak.verdict === 'leak')
    return t('watch.trend.leak', {
      reason: describeTrend(leak, formatClock).replace(/^possible leak: /, ''),
      rate,
      since: leak.since === null ? '—' : formatClock(leak.since),
      z,
    });
  return t('watch.trend.noLeak', { reason: leak.reason, rate, z });
}

function CurrentValues({ row }: { row: SeriesRow | undefined }) {
  const { t } = useTranslation();
  if (!row) return <span className="status">{t('watch.waiting')}</span>;
  return (
    <span className="watch-current">
      {t('watch.current.workingSet')} <b data-field="workingSet">{formatBytes(row.workingSet)}</b> ·{' '}
      {t('watch.current.private')} <b>{formatBytes(row.privateBytes)}</b> ·{' '}
      {t('watch.current.virtual')} <b>{formatBytes(row.virtualSize)}</b> ·{' '}
      {t('watch.current.faults')}{' '}
      <b>{row.softFaultsPerSec === null ? '—' : formatRate(row.softFaultsPerSec)}</b>{' '}
      {t('watch.current.soft')},{' '}
      <b>{row.hardFaultsPerSec === null ? '—' : formatRate(row.hardFaultsPerSec)}</b>{' '}
      {t('watch.current.hard')}
    </span>
  );
}

function StreamStatus({ stream }: { stream: ProcessStream }) {
  const { t } = useTranslation();
  const { leak } = stream;
  return (
    <>
      {stream.status === 'exited' && (
        <p className="watch-note">{t('watch.exited', { pid: stream.pid })}</p>
      )}
      {stream.status === 'error' && stream.error && <ErrorBanner error={stream.error} />}
      {leak.verdict === 'leak' ? (
        <div className="watch-leak" role="alert" data-pid={stream.pid}>
          <strong>{t('watch.leak', { pid: stream.pid })}</strong> {trendText(leak)}
        </div>
      ) : (
        <p className="watch-trend" data-verdict={leak.verdict}>
          {t('watch.trendOf', { pid: stream.pid, trend: trendText(leak) })}
        </p>
      )}
    </>
  );
}

/**
 * Live memory charts of one or more processes: working set, private bytes and virtual size with
 * their peaks, page faults per second, and a leak verdict from the private bytes' trend.
 */
export function WatchView({ source, pids, markers: given, onStop }: WatchViewProps) {
  const { t } = useTranslation();
  const [frozen, setFrozen] = useState<Map<number, number> | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<SeriesKey>>(() => new Set(['virtualSize']));
  const [layout, setLayout] = useState<Layout>('separate');
  const [overlayKey, setOverlayKey] = useState<SeriesKey>('privateBytes');
  const [actionError, setActionError] = useState<VmError | null>(null);
  const [snapshotting, setSnapshotting] = useState(false);
  const stored = useStoredSnapshots();
  const markers = useMemo(
    () => [...(given ?? []), ...snapshotMarkers(stored, pids, source, t)],
    [given, stored, pids, source, t],
  );
  const charts = useRef<HTMLDivElement>(null);
  const [hover] = useState(createHoverSync);
  // The session (interval, zoom, samples, verdicts) lives above the routes: leaving keeps it.
  // Re-rendered when the streams' rows grew; the charts downsample incrementally.
  const { session, streams, store } = useWatchSession(source, pids);
  const { intervalMs, range } = session;
  const setRange = (next: TimeRange | null): void => store.setRange(session, next);

  const toggle = (key: SeriesKey): void =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const togglePause = (): void =>
    setFrozen((f) => (f ? null : new Map(streams.map((s) => [s.pid, s.rows.length]))));
  const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');
  const exportCsv = (): void =>
    downloadBlob(
      `vmscope-watch-${pids.join('-')}-${stamp()}.csv`,
      new Blob([seriesCsv(streams)], { type: 'text/csv' }),
    );
  const exportPng = async (): Promise<void> => {
    try {
      if (charts.current)
        downloadBlob(
          `vmscope-watch-${pids.join('-')}-${stamp()}.png`,
          await chartsToPng(charts.current),
        );
    } catch (err) {
      setActionError(toVmError(err));
    }
  };

  // Snapshots taken here are marked on the charts and kept for Compare, as a leak hunt needs.
  const takeSnapshots = async (): Promise<void> => {
    setSnapshotting(true);
    setActionError(null);
    try {
      for (const pid of pids)
        addSnapshot(await client.call('process.snapshot', { pid, source }), 'live');
    } catch (err) {
      setActionError(toVmError(err));
    } finally {
      setSnapshotting(false);
    }
  };
  const comparable = pids.length === 1 ? lastTwoOf(stored, pids[0]!, source) : null;

  if (pids.length === 0) return <p className="empty">{t('watch.choose')}</p>;
  return (
    <section className="watch-view" aria-label={t('processes.watch')}>
      <div className="toolbar watch-toolbar">
        <label>
          {t('watch.every')}{' '}
          <select
            aria-label={t('watch.interval')}
            value={intervalMs}
            onChange={(e) => store.setInterval(session, Number(e.target.value))}
          >
            {INTERVALS.map((ms) => (
              <option key={ms} value={ms}>
                {intervalLabel(ms)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={frozen !== null} onClick={togglePause}>
          {frozen ? t('watch.resume') : t('physical.pause')}
        </button>
        {range && (
          <button type="button" onClick={() => setRange(null)}>
            {t('watch.resetZoom')}
          </button>
        )}
        {pids.length > 1 && (
          <select
            aria-label={t('watch.layout')}
            value={layout}
            onChange={(e) => setLayout(e.target.value as Layout)}
          >
            <option value="separate">{t('watch.separate')}</option>
            <option value="overlay">{t('watch.overlay')}</option>
          </select>
        )}
        {layout === 'overlay' && pids.length > 1 && (
          <select
            aria-label={t('watch.compared')}
            value={overlayKey}
            onChange={(e) => setOverlayKey(e.target.value as SeriesKey)}
          >
            {ALL_LINES.map((l) => (
              <option key={l.key} value={l.key}>
                {seriesName(l.key)}
              </option>
            ))}
          </select>
        )}
        <button
          type="button"
          onClick={() => void takeSnapshots()}
          disabled={snapshotting}
          title={t('watch.snapshotTitle')}
        >
          {snapshotting ? t('watch.snapshotting') : t('watch.snapshot')}
        </button>
        {comparable && (
          <a
            href={formatRoute({
              view: 'compare',
              before: comparable[0].id,
              after: comparable[1].id,
            })}
          >
            {t('watch.compareLast')}
          </a>
        )}
        {onStop && (
          <button
            type="button"
            onClick={() => {
              store.close(session);
              onStop();
            }}
            title={t('watch.stopTitle')}
          >
            {t('watch.stop')}
          </button>
        )}
        <button type="button" onClick={exportCsv}>
          {t('regions.exportCsv')}
        </button>
        <button type="button" onClick={() => void exportPng()}>
          {t('watch.exportPng')}
        </button>
        <span className="status" aria-live="polite">
          {frozen ? t('watch.paused') : t('watch.live')} · {t('watch.dragToZoom')}
        </span>
      </div>
      {layout === 'separate' && (
        <fieldset className="watch-series">
          <legend>{t('watch.seriesLegend')}</legend>
          {ALL_LINES.map((l) => (
            // The colour is the swatch's; the text keeps the page's, which is legible on either theme.
            <label key={l.key}>
              <input type="checkbox" checked={!hidden.has(l.key)} onChange={() => toggle(l.key)} />{' '}
              <i
                className={`series-swatch${l.dashed ? ' dashed' : ''}`}
                style={{ color: l.color }}
                aria-hidden="true"
              />
              {seriesName(l.key)}
            </label>
          ))}
        </fieldset>
      )}
      {actionError && <ErrorBanner error={actionError} />}
      <div className="watch-charts" ref={charts}>
        {layout === 'overlay' && pids.length > 1 && (
          <>
            <TimelineChart
              title={`${seriesName(overlayKey)}: ${pids.map((p) => `PID ${p}`).join(', ')}`}
              lines={streams.map((s, i) => ({
                key: `p${s.pid}`,
                name: `PID ${s.pid}`,
                color: PROCESS_COLORS[i % PROCESS_COLORS.length]!,
                rows: s.rows,
                count: frozen?.get(s.pid) ?? s.rows.length,
                value: seriesValue(overlayKey),
              }))}
              format={formatterFor(overlayKey)}
              range={range}
              onZoom={setRange}
              markers={markers}
              hover={hover}
              height={320}
              legend
            />
            {streams.map((s) => (
              <StreamStatus key={s.pid} stream={s} />
            ))}
          </>
        )}
        {layout === 'separate' &&
          streams.map((s) => (
            <article
              key={s.pid}
              className="watch-process"
              data-pid={s.pid}
              data-status={s.status}
              data-samples={s.rows.length}
              aria-label={`PID ${s.pid}`}
            >
              <header>
                <h2>PID {s.pid}</h2>
                <span className={`tag status-${s.status}`}>{t(`watch.status.${s.status}`)}</span>
                <CurrentValues row={s.rows.at(-1)} />
                <span className="status">{t('watch.samples', { count: s.rows.length })}</span>
              </header>
              <StreamStatus stream={s} />
              <TimelineChart
                title={t('watch.memoryChart', { pid: s.pid })}
                lines={linesFor(s, MEMORY_LINES, hidden, frozen)}
                format={formatBytes}
                range={range}
                onZoom={setRange}
                markers={markers}
                hover={hover}
              />
              <TimelineChart
                title={t('watch.faultChart', { pid: s.pid })}
                lines={linesFor(s, FAULT_LINES, hidden, frozen)}
                format={formatRate}
                range={range}
                onZoom={setRange}
                markers={markers}
                hover={hover}
                height={150}
              />
            </article>
          ))}
      </div>
    </section>
  );
}
