import { VmscopeError } from '../../../shared/errors';
import type { Snapshot, SystemLayout } from '../../../shared/model';
import { attachExtrasText, extrasTextWanted } from '../../../shared/extrasText';
import { snapshotFromColumns } from '../../../shared/snapshotColumns';
import { snapshotEnvelope } from '../snapshotEnvelope';
import type { SnapshotOptions } from '../source';
import { counterStatusOf, countersFromProc } from './counters';
import { elfFilesAmong } from './elfMagic';
import { LinuxExtrasText } from './linuxExtrasText';
import { executableFiles, fileKeys, nonExecutableFiles } from './mappingKinds';
import { type ProcessFacts, readProcessFactsSync } from './processList';
import { assertNotExited, isKernelThread } from './procStat';
import { regionColumnsFromSmaps } from './regionsFromSmaps';
import { SmapsReader } from './smapsReader';
import { SmapsScanner } from './smapsScanner';
import { threadStackPointers } from './threadStacks';

/**
 * Mappings written as text (linuxExtrasText.ts) between two looks at the read-ahead thread: a
 * chunk it has read is scanned first, so the thread never waits for a free slot.
 */
const TEXT_STEP = 64;

/**
 * A snapshot of one process: /proc/PID/smaps read once (streamed into the scanner), then the
 * process's stat and status. Reading those after smaps is what tells a complete read from one cut
 * short: the kernel ends smaps early, without an error, when the process exits during the read,
 * and a pid whose stat is gone (or a zombie) by then has exited.
 */
export async function takeLinuxSnapshot(
  pid: number,
  layout: SystemLayout,
  options: SnapshotOptions = {},
): Promise<Snapshot> {
  const started = performance.now();
  const reader = SmapsReader.open(pid);
  return finishLinuxSnapshot(pid, reader, new SmapsScanner(), layout, options, started);
}

/** The rest of a snapshot once smaps is open (and perhaps partly read: tests stop a process mid-read). */
export async function finishLinuxSnapshot(
  pid: number,
  reader: SmapsReader,
  scanner: SmapsScanner,
  layout: SystemLayout,
  options: SnapshotOptions,
  started = performance.now(),
): Promise<Snapshot> {
  const takenAt = new Date().toISOString();
  // Where the snapshot will be written as JSON, region.linux is written as text while the kernel
  // prints smaps, in the time this thread would wait for it (extrasText.ts).
  const text = extrasTextWanted() ? new LinuxExtrasText() : undefined;
  try {
    reader.scan(scanner, Number.POSITIVE_INFINITY, {
      whileWaiting: text && (() => text.step(scanner, TEXT_STEP)),
    });
  } finally {
    reader.close();
  }
  return snapshotOfScan(pid, reader.bytes === 0, scanner, layout, options, started, takenAt, text);
}

/**
 * The snapshot of a whole read of smaps (`empty`: it gave no bytes): the process's stat and
 * status, then its regions. Shared by the one-shot snapshot and the streamed one
 * (linuxSnapshotStream.ts), so both end with the same snapshot.
 */
export async function snapshotOfScan(
  pid: number,
  empty: boolean,
  scanner: SmapsScanner,
  layout: SystemLayout,
  options: SnapshotOptions,
  started: number,
  takenAt: string,
  /** region.linux written as text so far, where the snapshot will be written as JSON. */
  text?: LinuxExtrasText,
): Promise<Snapshot> {
  const facts = readProcessFactsSync(pid);
  const stackPointers = threadStackPointers(pid);
  checkReadable(pid, facts, empty);
  const base = linuxEnvelope(pid, facts, layout, takenAt);
  if (empty) {
    return {
      ...base,
      regions: [],
      details: 'A kernel thread: it has no user address space, so it has no regions.',
    };
  }
  const keys = fileKeys(scanner);
  const executable = executableFiles(scanner, keys);
  const elf = elfFilesAmong(pid, nonExecutableFiles(scanner, keys, executable));
  const columns = regionColumnsFromSmaps(scanner, {
    images: elf.size > 0 ? new Set([...executable, ...elf]) : executable,
    stackPointers,
    pid,
    includeFree: options.includeFree ?? true,
    userEnd: Number.parseInt(layout.maxAddress.slice(2), 16) + 1,
    keys,
  });
  if (text) attachExtrasText(columns, text.byRegion(scanner, columns));
  const skipped = scanner.overlapsSkipped;
  const details =
    skipped > 0
      ? `The process changed its mappings while they were read: ${skipped} mapping${skipped === 1 ? ' was' : 's were'} printed again overlapping the one before and left out.`
      : undefined;
  // The regions stay columns until someone reads them (snapshotColumns.ts).
  return snapshotFromColumns(
    { ...base, ...(details ? { details } : {}), durationMs: performance.now() - started },
    columns,
  );
}

/** A Linux snapshot's header, from the process's facts. */
export function linuxEnvelope(
  pid: number,
  facts: ProcessFacts,
  layout: SystemLayout,
  takenAt: string,
): Omit<Snapshot, 'regions'> {
  return snapshotEnvelope({
    takenAt,
    source: 'linux',
    system: layout,
    process: {
      pid,
      name: facts.info.name,
      path: facts.info.path,
      commandLine: facts.info.commandLine,
    },
    counters: countersFromProc(counterStatusOf(facts.status), facts.stat),
  });
}

/**
 * After the read: a process that is a zombie (or gone, which readProcessFacts reports) has exited,
 * whether before or during the read. An empty smaps of a live process means a kernel thread, which
 * has no user address space, or else a kernel that answers an unprivileged read with nothing
 * instead of EACCES.
 */
export function checkReadable(pid: number, facts: ProcessFacts, empty: boolean): void {
  assertNotExited(facts.stat);
  if (empty && !isKernelThread(facts.stat)) {
    throw new VmscopeError(
      'access-denied',
      `The kernel showed no mappings of process ${pid} (${facts.info.name}): it belongs to another user or is ` +
        `protected. Run vmscope as that user or as root (or with CAP_SYS_PTRACE).`,
    );
  }
}
