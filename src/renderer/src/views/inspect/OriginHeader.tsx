import type { Snapshot } from '../../../../shared/model';

const KIND_NAMES = { minidump: 'Windows minidump', core: 'Linux core file' } as const;

/**
 * Where a snapshot read from a dump or core file came from: the file, the process, when it was
 * written, the streams or notes it held, and what it lacks (so what the figures below cannot show).
 */
export function OriginHeader({ snapshot }: { snapshot: Snapshot }) {
  const { origin } = snapshot;
  if (!origin) return null;
  const { process } = snapshot;
  return (
    <section className="origin-header" data-testid="origin" aria-label="Dump origin">
      <div>
        <strong>{KIND_NAMES[origin.kind]}</strong>{' '}
        <code data-testid="origin-file">{origin.file}</code> · {process.name} (pid {process.pid}) ·
        written {new Date(snapshot.takenAt).toLocaleString()}
      </div>
      <div className="origin-captured">
        Captured:{' '}
        <span data-testid="origin-captured">{origin.captured.join(', ') || 'nothing'}</span>
      </div>
      {origin.missing.length > 0 && (
        <ul className="origin-missing" data-testid="origin-missing">
          {origin.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
