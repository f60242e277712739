/**
 * A range's page states from /proc/PID/pagemap (one 64-bit entry per page): present, swapped,
 * exclusively mapped and soft-dirty for anyone who may read the process. With CAP_SYS_ADMIN the
 * entries also carry page frame numbers, and /proc/kpagecount and /proc/kpageflags then give
 * each page's share count and whether it is mlocked. The kernel keeps the page-table dirty bit
 * to itself, so `dirty` is unknown here (soft-dirty is the nearest thing it shows).
 */
import { read } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { ABSENT_PAGE, PageRunBuilder, type RegionPages } from '../../../shared/pageStates';
import { type PageSpan, spanPages } from '../pageSpan';
import { PROC, procError } from './procfs';

const PRESENT = 1n << 63n;
const SWAPPED = 1n << 62n;
const EXCLUSIVE = 1n << 56n;
const SOFT_DIRTY = 1n << 55n;
const PFN_MASK = (1n << 55n) - 1n;
/** kpageflags bit for an mlocked page (include/uapi/linux/kernel-page-flags.h: KPF_MLOCKED). */
const KPF_MLOCKED = 1n << 33n;
const ENTRY = 8;

/** A positional read at a bigint offset (FileHandle.read takes numbers only; pagemap offsets reach 2^55). */
function readAt(file: FileHandle, buf: Buffer, position: bigint): Promise<number> {
  return new Promise((resolve, reject) =>
    read(file.fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/** Page frame facts from the kernel's per-frame files; null where they cannot be read. */
interface FrameFacts {
  count: BigUint64Array;
  flags: BigUint64Array;
}

/** Reads one 8-byte entry per frame for the given frame numbers, one read per run of consecutive frames. */
async function readFrames(file: FileHandle, pfns: readonly bigint[]): Promise<BigUint64Array> {
  const out = new BigUint64Array(pfns.length);
  const order = pfns
    .map((_, i) => i)
    .sort((a, b) => (pfns[a]! < pfns[b]! ? -1 : pfns[a]! > pfns[b]! ? 1 : 0));
  for (let i = 0; i < order.length;) {
    let j = i + 1;
    while (j < order.length && pfns[order[j]!]! - pfns[order[j - 1]!]! <= 1n) j++;
    const first = pfns[order[i]!]!;
    const frames = Number(pfns[order[j - 1]!]! - first) + 1;
    const buf = Buffer.alloc(frames * ENTRY);
    await readAt(file, buf, first * BigInt(ENTRY));
    for (let k = i; k < j; k++)
      out[order[k]!] = buf.readBigUInt64LE(Number(pfns[order[k]!]! - first) * ENTRY);
    i = j;
  }
  return out;
}

async function frameFacts(pfns: readonly bigint[]): Promise<FrameFacts | null> {
  let count: FileHandle | undefined;
  let flags: FileHandle | undefined;
  try {
    count = await open(`${PROC}/kpagecount`, 'r');
    flags = await open(`${PROC}/kpageflags`, 'r');
    return { count: await readFrames(count, pfns), flags: await readFrames(flags, pfns) };
  } catch {
    return null;
  } finally {
    await count?.close();
    await flags?.close();
  }
}

let softDirtyKnown: Promise<boolean> | null = null;

/**
 * Whether this kernel keeps soft-dirty bits (CONFIG_MEM_SOFT_DIRTY): it then marks every new
 * mapping soft-dirty, which our own smaps shows as the `sd` VmFlag. Without it bit 55 is always 0.
 */
function kernelHasSoftDirty(): Promise<boolean> {
  softDirtyKnown ??= readFile(`${PROC}/self/smaps`, 'latin1').then(
    (text) => /^VmFlags:.* sd\b/m.test(text),
    () => false,
  );
  return softDirtyKnown;
}

async function readEntries(span: PageSpan): Promise<BigUint64Array> {
  const file = `${PROC}/${span.pid}/pagemap`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const buf = Buffer.alloc(span.pageCount * ENTRY);
    const bytesRead = await readAt(handle, buf, span.firstPage * BigInt(ENTRY));
    // Past the end of the user range the kernel reads nothing; such pages are simply absent.
    buf.fill(0, bytesRead);
    return new BigUint64Array(buf.buffer, buf.byteOffset, span.pageCount);
  } catch (err) {
    throw procError(err, span.pid, file);
  } finally {
    await handle?.close();
  }
}

export async function readLinuxPages(span: PageSpan): Promise<RegionPages> {
  const entries = await readEntries(span);
  const framed = (e: bigint): boolean => (e & PRESENT) !== 0n && (e & PFN_MASK) !== 0n;
  const pfns: bigint[] = [];
  for (const e of entries) if (framed(e)) pfns.push(e & PFN_MASK);
  // Without CAP_SYS_ADMIN every frame number reads as 0, and there is nothing to look up.
  const facts = pfns.length > 0 ? await frameFacts(pfns) : null;
  const hasSoftDirty = await kernelHasSoftDirty();
  const builder = new PageRunBuilder();
  let frame = 0;
  let hidden = false;
  for (const e of entries) {
    const softDirty = hasSoftDirty ? (e & SOFT_DIRTY) !== 0n : null;
    if ((e & PRESENT) === 0n) {
      builder.add({ ...ABSENT_PAGE, swapped: (e & SWAPPED) !== 0n, softDirty });
      continue;
    }
    const known = facts !== null && framed(e) ? frame++ : -1;
    if (known < 0) hidden = true;
    const shareCount = known >= 0 ? Number(facts!.count[known]) : null;
    builder.add({
      resident: true,
      swapped: false,
      shared: shareCount !== null ? shareCount > 1 : (e & EXCLUSIVE) === 0n,
      shareCount,
      locked: known >= 0 ? (facts!.flags[known]! & KPF_MLOCKED) !== 0n : null,
      dirty: null,
      softDirty,
    });
  }
  const unknown = [
    'dirty: Linux does not show the page-table dirty bit (soft-dirty is shown instead, where the kernel keeps it).',
  ];
  if (!hasSoftDirty)
    unknown.push('soft-dirty: this kernel is built without CONFIG_MEM_SOFT_DIRTY.');
  if (hidden) {
    unknown.push(
      'share counts and locked pages: page frame numbers are hidden without root (CAP_SYS_ADMIN); ' +
        'shared or private comes from the exclusive-mapping bit.',
    );
  }
  return spanPages(span, 'linux', builder.runs, unknown);
}
