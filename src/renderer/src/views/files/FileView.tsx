import { findSnapshot, previousOf, useStoredSnapshots } from '../../snapshotStore';
import { SnapshotView } from '../inspect/SnapshotView';

/** A snapshot opened from a file: every inspector view, offline, marked with where it came from. */
export function FileView({
  id,
  onOpenAnother,
  onCompare,
}: {
  id: number;
  onOpenAnother: () => void;
  onCompare: (a: number, b: number) => void;
}) {
  useStoredSnapshots();
  const entry = findSnapshot(id);
  if (!entry) {
    return (
      <div className="error-banner" role="alert" data-code="not-found">
        <strong>That snapshot is no longer open</strong>
        <span>Opened files live only as long as the window: open the file again.</span>
        <button type="button" onClick={onOpenAnother}>
          Open a snapshot file…
        </button>
      </div>
    );
  }
  const s = entry.snapshot;
  const previous = previousOf(entry);
  return (
    <section className="inspect" aria-label={`Snapshot file ${entry.fileName ?? ''}`}>
      <div className="inspect-toolbar file-origin">
        <span className="tag">file</span>
        <strong className="proc-title">{entry.fileName}</strong>
        <span className="dim">
          {s.process.name} ({s.process.pid}) · {s.source} on {s.host.hostname} ({s.host.platform}/
          {s.host.arch}) · taken {new Date(s.takenAt).toLocaleString()}
        </span>
      </div>
      <SnapshotView
        snapshot={s}
        onCompare={previous ? () => onCompare(previous.id, entry.id) : undefined}
        contentsFile={s.origin ? entry.servedFile : undefined}
      />
    </section>
  );
}
