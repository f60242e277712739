import type { SourceId } from '../../../../shared/model';
import { i18next } from '../../i18n';
import type { StoredSnapshot } from '../../snapshotStore';
import type { ChartMarker } from './chartTypes';

/** The live snapshots this session took of the watched processes, as chart markers at their times. */
export function snapshotMarkers(
  stored: readonly StoredSnapshot[],
  pids: readonly number[],
  source: SourceId | undefined,
  /** The UI's translate function (a new one in a new language). */
  t: (key: string, values: Record<string, unknown>) => string = i18next.t,
): ChartMarker[] {
  return stored
    .filter(
      (e) =>
        e.origin === 'live' &&
        pids.includes(e.snapshot.process.pid) &&
        (source === undefined || e.snapshot.source === source),
    )
    .map((e) => ({
      time: Date.parse(e.snapshot.takenAt),
      label: t('watch.marker', { id: e.id, pid: e.snapshot.process.pid }),
    }));
}

/** The two latest live snapshots of one watched process, oldest first: what "Compare" opens. */
export function lastTwoOf(
  stored: readonly StoredSnapshot[],
  pid: number,
  source: SourceId | undefined,
): [StoredSnapshot, StoredSnapshot] | null {
  const same = stored.filter(
    (e) =>
      e.origin === 'live' &&
      e.snapshot.process.pid === pid &&
      (source === undefined || e.snapshot.source === source),
  );
  return same.length >= 2 ? [same.at(-2)!, same.at(-1)!] : null;
}
