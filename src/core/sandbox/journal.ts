/**
 * What it takes to rebuild sandbox sessions in a fresh service worker after the old one died.
 * The worker reports each change as it happens (never the whole history per step, which would make
 * a session quadratic), the supervisor folds the changes into records, and a new worker restores
 * every session from its record: same id, same engine and machine, its steps run again.
 */
import type { SessionEngine } from '../../shared/sandboxSession';
import type { MachineSettings } from '../../shared/sandboxScript';

export interface SessionRecord {
  id: string;
  engine: SessionEngine;
  machine: MachineSettings | undefined;
  /** The steps as they were sent (script JSON), oldest first. */
  steps: Record<string, unknown>[];
}

export type JournalChange =
  | { change: 'open'; id: string; engine: SessionEngine; machine: MachineSettings | undefined }
  | { change: 'step'; id: string; step: Record<string, unknown> }
  /** The history was replaced (load, reset): the new machine and every step. */
  | {
      change: 'replace';
      id: string;
      machine: MachineSettings | undefined;
      steps: Record<string, unknown>[];
    }
  /** The history was cut to its first `length` steps (undo). */
  | { change: 'truncate'; id: string; length: number }
  | { change: 'close'; id: string };

/** Folds one change into the records, in place. A change for an unknown session is ignored. */
export function applyJournalChange(
  records: Map<string, SessionRecord>,
  change: JournalChange,
): void {
  if (change.change === 'open') {
    records.set(change.id, {
      id: change.id,
      engine: change.engine,
      machine: change.machine,
      steps: [],
    });
    return;
  }
  const record = records.get(change.id);
  if (!record) return;
  switch (change.change) {
    case 'step':
      record.steps.push(change.step);
      break;
    case 'replace':
      record.machine = change.machine;
      record.steps = [...change.steps];
      break;
    case 'truncate':
      record.steps.length = Math.min(record.steps.length, Math.max(0, change.length));
      break;
    case 'close':
      records.delete(change.id);
      break;
  }
}
