import { useSyncExternalStore } from 'react';
import type { Snapshot } from '../../shared/model';
import { currentLanguage, i18next } from './i18n';
import { formatFor } from './i18n/format';

/** A snapshot this session holds: one taken live, or one opened from a file. */
export interface StoredSnapshot {
  id: number;
  origin: 'live' | 'file';
  /** The file's name for opened files. */
  fileName?: string;
  /** A file the service opened (vmscope serve --open): its `files.opened` index. */
  servedFile?: number;
  snapshot: Snapshot;
}

/** Snapshots are large (60,000 regions is tens of MB): keep only the most recent few of each origin. */
const KEEP = { live: 6, file: 6 };

let entries: readonly StoredSnapshot[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

export function addSnapshot(
  snapshot: Snapshot,
  origin: StoredSnapshot['origin'],
  fileName?: string,
  servedFile?: number,
): StoredSnapshot {
  const existing = entries.find((e) => e.snapshot === snapshot);
  if (existing) return existing;
  const entry: StoredSnapshot = {
    id: nextId++,
    origin,
    snapshot,
    ...(fileName ? { fileName } : {}),
    ...(servedFile !== undefined ? { servedFile } : {}),
  };
  const same = entries.filter((e) => e.origin === origin);
  const dropped = new Set(same.slice(0, Math.max(0, same.length + 1 - KEEP[origin])));
  entries = [...entries.filter((e) => !dropped.has(e)), entry];
  for (const listener of listeners) listener();
  return entry;
}

export function findSnapshot(id: number): StoredSnapshot | undefined {
  return entries.find((e) => e.id === id);
}

/** The snapshot of the same process taken just before this one, if this session has it. */
export function previousOf(entry: StoredSnapshot): StoredSnapshot | undefined {
  const same = entries.filter(
    (e) =>
      e !== entry &&
      e.snapshot.process.pid === entry.snapshot.process.pid &&
      e.snapshot.source === entry.snapshot.source &&
      e.snapshot.takenAt < entry.snapshot.takenAt,
  );
  return same.at(-1);
}

export function describeStored(e: StoredSnapshot): string {
  const s = e.snapshot;
  const when = formatFor(currentLanguage()).time(new Date(s.takenAt));
  const source = i18next.t(`sourceIds.${s.source}`);
  return `${e.origin === 'file' ? `${e.fileName} · ` : ''}${s.process.name} (${s.process.pid}) · ${source} · ${when}`;
}

export function useStoredSnapshots(): readonly StoredSnapshot[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => entries,
  );
}
