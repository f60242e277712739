import { useEffect, useSyncExternalStore } from 'react';
import { toVmError } from '../../../../shared/errors';
import type { LibraryEntry } from '../../../../shared/library';
import type { Snapshot } from '../../../../shared/model';
import { snapshotToJsonBytes } from '../../../../shared/snapshotJsonWriter';
import { MAX_SNAPSHOT_FILE_BYTES } from '../../../../shared/snapshotValidate';
import { client } from '../../client';
import { useStoredSnapshots } from '../../snapshotStore';
import { libraryMark, markInLibrary } from './inLibrary';
import { keepTaken, tooLargeToKeep } from './taken';

/**
 * Every snapshot taken or opened is kept in the library automatically (docs/library.md), so it
 * survives a reload; the oldest automatic entries make room for new ones. One the inspector
 * streamed is written by the service, which holds it (library.keepTaken); the page writes the
 * JSON of the others (opened files, Watch's snapshots). The user can turn this
 * off; the choice is remembered in this browser profile.
 */
const SETTING_KEY = 'vmscope.library.autosave';

export interface AutosaveStatus {
  enabled: boolean;
  /** The last automatic save that failed, and why (the library full of kept entries, a cap). */
  lastFailure: string | null;
  /** Automatic saves made by this window, so a listing on screen knows when it is stale. */
  saves: number;
}

let status: AutosaveStatus = { enabled: readSetting(), lastFailure: null, saves: 0 };
const listeners = new Set<() => void>();

function readSetting(): boolean {
  try {
    return localStorage.getItem(SETTING_KEY) !== 'off';
  } catch {
    return true;
  }
}

function update(next: Partial<AutosaveStatus>): void {
  status = { ...status, ...next };
  for (const listener of listeners) listener();
}

export function setAutosave(enabled: boolean): void {
  try {
    localStorage.setItem(SETTING_KEY, enabled ? 'on' : 'off');
  } catch {
    // A profile without storage still honours the choice for this window.
  }
  update({ enabled });
}

export function useAutosaveStatus(): AutosaveStatus {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => status,
  );
}

/**
 * Resolves when the page is next idle: a snapshot's JSON (tens of MB for 100,000 regions) is
 * written and sent after the inspector has painted it, not in the task that shows it.
 */
const idle = (): Promise<void> =>
  new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 2000 }));

/** Snapshots already tried, so a failure is not retried on every render. */
const tried = new WeakSet<Snapshot>();
let queue: Promise<void> = Promise.resolve();

function keep(snapshot: Snapshot): void {
  tried.add(snapshot);
  // One save at a time: a burst of snapshots must not stack up whole documents in the host.
  queue = queue.then(async () => {
    await idle();
    if (!status.enabled || libraryMark(snapshot)) return;
    try {
      const byService = await keepTaken(snapshot, true);
      if (byService) {
        if ('tooLarge' in byService) refuseTooLarge(byService.tooLarge.bytes);
        else kept(snapshot, byService.kept);
        return;
      }
      // The bytes first: a document over the library's limit (a million regions) is refused
      // here, without making a string of it, which could exhaust the page's memory.
      const bytes = snapshotToJsonBytes(snapshot);
      if (bytes.length > MAX_SNAPSHOT_FILE_BYTES) return refuseTooLarge(bytes.length);
      const entry = await client.call('library.save', {
        text: new TextDecoder().decode(bytes),
        automatic: true,
      });
      kept(snapshot, entry);
    } catch (err) {
      update({ lastFailure: toVmError(err).message });
    }
  });
}

function refuseTooLarge(bytes: number): void {
  update({ lastFailure: tooLargeToKeep(bytes) });
}

function kept(snapshot: Snapshot, entry: LibraryEntry): void {
  markInLibrary(snapshot, entry);
  update({ lastFailure: null, saves: status.saves + 1 });
}

/** Mounted once, at the app's root: keeps each new snapshot of this window while enabled. */
export function useAutosave(): void {
  const stored = useStoredSnapshots();
  const { enabled } = useAutosaveStatus();
  useEffect(() => {
    if (!enabled) return;
    for (const { snapshot } of stored) {
      if (!tried.has(snapshot) && !libraryMark(snapshot)) keep(snapshot);
    }
  }, [stored, enabled]);
}
