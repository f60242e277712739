/** The header every snapshot carries, built in one place for every source. */
import { hostname } from 'node:os';
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type Snapshot,
  type SnapshotCounters,
  type SnapshotHost,
  type SnapshotProcess,
  type SourceId,
  type SystemLayout,
} from '../../shared/model';

export interface EnvelopeParts {
  source: SourceId;
  system: SystemLayout;
  process: SnapshotProcess;
  counters: SnapshotCounters;
  /** Default: now. A source that reads for a while passes the time it started reading. */
  takenAt?: string;
  /** Default: this machine. The simulator is a computer of its own. */
  host?: SnapshotHost;
}

/** Everything of a snapshot but its regions: format tag and version, when, where, of what. */
export function snapshotEnvelope(parts: EnvelopeParts): Omit<Snapshot, 'regions'> {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    takenAt: parts.takenAt ?? new Date().toISOString(),
    source: parts.source,
    host: parts.host ?? { hostname: hostname(), platform: process.platform, arch: process.arch },
    system: parts.system,
    process: parts.process,
    counters: parts.counters,
  };
}
