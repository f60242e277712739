/**
 * The simulated memory's bytes. The model keeps no data, only where each physical page was first
 * written (PhysicalPage.writtenAt, writtenPages.ts): a page is zero until a write reaches it
 * (demand-zero, as on Windows), and from then on it holds a recognisable line repeated, naming the address of the first write: `vmscope-sim page written
 * at 0x…`. A written page is keyed by its physical page, so a shared section page shows the same
 * bytes in every view of it, and a decommitted page (a new physical page on its next commit) reads
 * zero again. Reading changes nothing in the model (no fault, no working-set change).
 */
import { formatAddress } from '../../shared/address';
import type { HoleReason, MemoryChunk, MemoryHole } from '../../shared/memoryContents';
import { PAGE_FLAGS as P } from '../../shared/winConstants';
import { PAGE_SIZE, addressOfPage, pageOf } from './layout';
import { WRITTEN_LINE_BYTES as LINE, writtenLine } from './writtenPages';
import { COMMITTED } from './pageRuns';
import type { SimProcess } from './process';
import { isGuard } from './protection';

/** The bytes of a page first written at `address`. */
function writtenPage(address: bigint): Uint8Array {
  const bytes = new Uint8Array(PAGE_SIZE);
  const line = new TextEncoder().encode(writtenLine(address));
  for (let at = 0; at < PAGE_SIZE; at += LINE) bytes.set(line, at);
  return bytes;
}

/** Why a page cannot be read, or null when it can. */
function holeReason(process: SimProcess, page: number): HoleReason | null {
  const a = process.space.findPage(page);
  if (!a) return 'free';
  const run = a.runs.at(page - a.basePage);
  if (run.state !== COMMITTED) return 'reserved';
  if (isGuard(run.protect)) return 'guard';
  if ((run.protect & 0xff) === P.PAGE_NOACCESS) return 'no-access';
  return null;
}

/** `size` bytes of a simulated process from `address`, as ReadProcessMemory would see them. */
export function readSimulatedMemory(
  process: SimProcess,
  address: bigint,
  size: number,
): MemoryChunk {
  const bytes = new Uint8Array(size);
  const holes: MemoryHole[] = [];
  const end = address + BigInt(size);
  for (let page = pageOf(address); addressOfPage(page) < end; page++) {
    const pageStart = addressOfPage(page);
    const from = pageStart > address ? pageStart : address;
    const to = pageStart + BigInt(PAGE_SIZE) < end ? pageStart + BigInt(PAGE_SIZE) : end;
    const offset = Number(from - address);
    const length = Number(to - from);
    const reason = holeReason(process, page);
    if (reason) {
      const last = holes.at(-1);
      if (last && last.reason === reason && last.offset + last.size === offset) last.size += length;
      else holes.push({ offset, size: length, reason });
      continue;
    }
    // A page this process never touched reads zero (a view's page written only through another
    // process's view included: asking the section for it would create it).
    const phys = process.space.findPage(page)!.pages.get(page)?.phys;
    if (phys?.writtenAt != null) {
      const contents = writtenPage(phys.writtenAt);
      const at = Number(from - pageStart);
      bytes.set(contents.subarray(at, at + length), offset);
    }
  }
  return { address: formatAddress(address), bytes, holes };
}
