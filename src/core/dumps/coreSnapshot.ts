import { formatAddress } from '../../shared/address';
import { unknownCounters } from './unknownCounters';
import type { Snapshot, SnapshotCounters, SystemLayout } from '../../shared/model';
import {
  StringTable,
  allocateRegionColumns,
  snapshotFromColumns,
} from '../../shared/snapshotColumns';
import { regionColumnsFromSmaps } from '../sources/linux/regionsFromSmaps';
import { executableFiles, fileKeys } from '../sources/linux/mappingKinds';
import { SmapsScanner } from '../sources/linux/smapsScanner';
import { snapshotEnvelope } from '../sources/snapshotEnvelope';
import type { SnapshotOptions } from '../sources/source';
import {
  type CoreMappings,
  coreMappings,
  indexAt,
  NO_SEGMENT,
  permsOf,
  UNKNOWN_FLAGS,
} from './coreMappings';
import type { DumpFile } from './dumpFile';
import type { ElfCore } from './elfCore';

/** The user range by machine: 47 bits on x86-64, 48 on AArch64 (as the live Linux source). */
const USER_END = { 'x86-64': 0x800000000000, aarch64: 0x1000000000000 } as const;
const AT_PHDR = 3;
const AT_PAGESZ = 6;
const ELF_MAGIC = 0x464c457f;
/** A core keeps no device numbers: every file gets this one, and a stand-in inode (coreMappings.ts). */
const CORE_DEVICE = '00:00';

export const CORE_WORKING_SET_UNKNOWN =
  'A core file records the bytes of memory, not which pages were resident: the working set is unknown.';

/**
 * One idle object of each class the region rules are built with, kept while this module is
 * loaded (a few hundred bytes). V8 keeps optimized code only while the hidden classes it was
 * compiled for live, and every scanner, string table and column set of an open is garbage once
 * its snapshot is built: after a full GC between two opens, the next one ran the rules over its
 * 60,000 mappings interpreted and compiled them all again, about twice the CPU of a warm open
 * (bench/dumps.bench.ts collects garbage before each run, as a long-lived service does between
 * opens). These keep those classes, and so the compiled rules, alive.
 */
export const KEPT_SHAPES: readonly object[] = [
  new SmapsScanner(1),
  new StringTable(),
  allocateRegionColumns(0, [], []),
];

/**
 * The stand-in inodes of files whose first page the core captured and which start with the ELF
 * magic: ELF objects mapped but never executable are images too (the live source reads the file).
 */
function addCapturedElfFiles(
  file: DumpFile,
  core: ElfCore,
  m: CoreMappings,
  keys: readonly (string | null)[],
  images: Set<string>,
): void {
  for (const i of firstPagesToCheck(core, m, keys, images)) {
    const head = file.readAvailable(core.segments.fileOffset[m.segment[i]!]!, 4);
    if (head.length === 4 && head.readUInt32LE(0) === ELF_MAGIC) images.add(keys[i]!);
  }
}

/**
 * The mappings holding the captured first page of a file not known as an image yet. Apart from
 * the reads, with no DumpFile in it: V8 drops optimized code that embeds an object's hidden class
 * once every object of it is collected, as an open's DumpFile is by a full GC before the next
 * open, and this loop over every mapping stays compiled.
 */
function firstPagesToCheck(
  core: ElfCore,
  m: CoreMappings,
  keys: readonly (string | null)[],
  images: Set<string>,
): number[] {
  // Files known as images already (an executable mapping) are not read again: a library's first
  // page is one 4-byte read each, thousands of them in a large core.
  const checked = new Uint8Array(m.names.length);
  const candidates: number[] = [];
  // As a local: an imported binding is read through a getter in some loaders (tsx).
  const none = NO_SEGMENT;
  for (let i = 0; i < m.count; i++) {
    const segment = m.segment[i]!;
    const p = m.path[i]!;
    if (m.inode[i] === 0 || m.offset[i] !== 0 || segment === none || checked[p]) continue;
    if (core.segments.fileSize[segment]! < 4) continue;
    checked[p] = 1;
    if (!images.has(keys[i]!)) candidates.push(i);
  }
  return candidates;
}

/** Mappings NT_FILE lists that no program header holds (gcore leaves them out). */
function unlistedCount(m: CoreMappings): number {
  const unknown = UNKNOWN_FLAGS;
  let count = 0;
  for (let i = 0; i < m.count; i++) if (m.flags[i] === unknown) count++;
  return count;
}

/** The bytes mapped below `userEnd`: the virtual size, as the live source counts it. */
function userBytes(m: CoreMappings, userEnd: number): number {
  let bytes = 0;
  for (let i = 0; i < m.count; i++) if (m.end[i]! <= userEnd) bytes += m.end[i]! - m.start[i]!;
  return bytes;
}

/** A snapshot of the process a core file was written from, built by the Linux source's rules. */
export function snapshotFromCore(
  file: DumpFile,
  core: ElfCore,
  options: SnapshotOptions = {},
): Snapshot {
  const started = performance.now();
  const mappings = coreMappings(core);
  const scanner = new SmapsScanner(mappings.count);
  const userEnd = USER_END[core.machine];
  const perms = permsOf(mappings);
  // Spelled out, not spread: a spread's object gets a hidden class of its own that a full GC
  // collects, and addColumns' compiled code with it (see KEPT_SHAPES).
  scanner.addColumns({
    count: mappings.count,
    start: mappings.start,
    end: mappings.end,
    perms,
    offset: mappings.offset,
    device: CORE_DEVICE,
    inode: mappings.inode,
    path: mappings.path,
    names: mappings.names,
  });
  const virtualSize = userBytes(mappings, userEnd);
  const pageSize = Number(core.auxv.get(AT_PAGESZ) ?? BigInt(core.filePageSize));
  const layout: SystemLayout = {
    pageSize,
    allocationGranularity: pageSize,
    minAddress: '0x0',
    maxAddress: formatAddress(BigInt(userEnd - 1)),
  };
  const pid = core.process?.pid ?? core.threads[0]?.tid ?? 0;
  const stackPointers = new Map<number, number>();
  for (const t of core.threads)
    if (t.stackPointer < BigInt(Number.MAX_SAFE_INTEGER))
      stackPointers.set(t.tid, Number(t.stackPointer));
  // The scanner holds the core's columns: the live source's keys and image rule apply as they are.
  const keys = fileKeys(scanner);
  const images = executableFiles(scanner, keys);
  addCapturedElfFiles(file, core, mappings, keys, images);
  const columns = regionColumnsFromSmaps(scanner, {
    images,
    keys,
    stackPointers,
    pid,
    includeFree: options.includeFree ?? true,
    userEnd,
  });
  const exe = indexAt(mappings, core.auxv.get(AT_PHDR));
  const exePath = exe >= 0 && mappings.path[exe]! >= 0 ? mappings.names[mappings.path[exe]!]! : '';
  const counters: SnapshotCounters = unknownCounters(virtualSize);
  const missing: string[] = [];
  const unlisted = unlistedCount(mappings);
  if (unlisted > 0)
    missing.push(
      `${unlisted} file mappings are listed in NT_FILE but have no program header (gcore leaves out what it did not dump): their protection is unknown and shown as read-only`,
    );
  if (core.missingBytes > 0)
    missing.push(
      `the file is cut off: ${core.missingBytes} bytes of captured memory are past its end`,
    );
  if (!core.notes.includes('NT_FILE')) missing.push('NT_FILE: no mapped file names');
  if (core.process === null) missing.push('NT_PRPSINFO: no command name or arguments');
  missing.push('the working set (which pages were resident) is not recorded in a core');
  // comm is cut to 15 characters; the executable's file name is the whole of it.
  const fileName = exePath.split('/').pop() ?? '';
  const command = core.process?.command ?? '';
  const name = fileName && fileName.startsWith(command) ? fileName : command || String(pid);
  const base = snapshotEnvelope({
    takenAt: (file.modified ?? new Date()).toISOString(),
    source: 'linux',
    system: layout,
    process: {
      pid,
      name,
      path: exePath.startsWith('/') ? exePath : null,
      commandLine: core.process?.arguments || null,
    },
    counters,
  });
  return snapshotFromColumns(
    {
      ...base,
      origin: { kind: 'core', file: file.name, captured: ['PT_LOAD', ...core.notes], missing },
      workingSetUnknown: CORE_WORKING_SET_UNKNOWN,
      durationMs: performance.now() - started,
    },
    columns,
  );
}
