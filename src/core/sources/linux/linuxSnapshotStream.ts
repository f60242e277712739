import type { Snapshot, SystemLayout } from '../../../shared/model';
import { snapshotFromColumns } from '../../../shared/snapshotColumns';
import type { SnapshotOptions } from '../source';
import { linuxEnvelope, snapshotOfScan } from './linuxSnapshot';
import { executableFiles, fileKeys } from './mappingKinds';
import { readProcessFacts } from './processList';
import { regionColumnsFromSmaps } from './regionsFromSmaps';
import { SmapsReader } from './smapsReader';
import { SmapsScanner } from './smapsScanner';

/**
 * Chunks of smaps (readAhead.ts CHUNK_BYTES, 128 KiB: about 140 mappings) read before the first
 * provisional snapshot: more than a screen of rows, in a few milliseconds.
 */
const FIRST_CHUNKS = 1;

/**
 * A snapshot while it is read (process.snapshotStream): the head of smaps is scanned and given
 * to `onPart` as a provisional snapshot, so the page can draw while the kernel prints the rest;
 * then the rest is read (through the read-ahead thread, as takeLinuxSnapshot does) and the
 * snapshot finished by the same code as the one-shot snapshot (snapshotOfScan), so the two end
 * alike. Null when `signal` stopped it between the two reads; smaps is closed either way.
 */
export async function streamLinuxSnapshot(
  pid: number,
  layout: SystemLayout,
  options: SnapshotOptions,
  onPart: (partial: Snapshot) => void,
  signal: AbortSignal,
): Promise<Snapshot | null> {
  const started = performance.now();
  const reader = SmapsReader.open(pid);
  const scanner = new SmapsScanner();
  const takenAt = new Date().toISOString();
  try {
    if (!reader.scan(scanner, FIRST_CHUNKS) && scanner.count > 0) {
      onPart(await provisionalSnapshot(pid, scanner, layout, options, takenAt));
      // Let the part leave this thread before the rest of the read holds it.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) return null;
      reader.scan(scanner);
    }
  } finally {
    reader.close();
  }
  if (signal.aborted) return null;
  return snapshotOfScan(pid, reader.bytes === 0, scanner, layout, options, started, takenAt);
}

/**
 * The mappings scanned so far as a snapshot. Provisional: a file is an image when a mapping read
 * so far executes it (its ELF header is not read), and no thread stack is named yet.
 */
async function provisionalSnapshot(
  pid: number,
  scanner: SmapsScanner,
  layout: SystemLayout,
  options: SnapshotOptions,
  takenAt: string,
): Promise<Snapshot> {
  const facts = await readProcessFacts(pid);
  const keys = fileKeys(scanner);
  const columns = regionColumnsFromSmaps(scanner, {
    images: executableFiles(scanner, keys),
    keys,
    stackPointers: new Map(),
    pid,
    includeFree: options.includeFree ?? true,
    userEnd: Number.parseInt(layout.maxAddress.slice(2), 16) + 1,
  });
  return snapshotFromColumns(linuxEnvelope(pid, facts, layout, takenAt), columns);
}
