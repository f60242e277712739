/**
 * Reads another process's memory with ReadProcessMemory, region by region as VirtualQueryEx
 * describes them: free, reserved, guard and no-access pages are holes with that reason (reading
 * them would fail, and a guard page must not be touched), and a committed page that still fails
 * (decommitted meanwhile, or not readable for another reason) is an `unreadable` hole.
 */
import { formatAddress } from '../../../shared/address';
import { VmscopeError } from '../../../shared/errors';
import type { HoleReason, MemoryChunk, MemoryHole } from '../../../shared/memoryContents';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../../shared/winConstants';
import type { Win32 } from './bindings';
import { type ProcessHandle, failedCall, withProcess } from './processHandle';
import { MEMORY_BASIC_INFORMATION_SIZE, decodeMemoryBasicInformation } from './win32Structs';

const PAGE = 4096n;

function holeOf(state: number, protect: number): HoleReason | null {
  if (state === M.MEM_FREE) return 'free';
  if (state === M.MEM_RESERVE) return 'reserved';
  if (protect & P.PAGE_GUARD) return 'guard';
  if ((protect & 0xff) === P.PAGE_NOACCESS || protect === 0) return 'no-access';
  return null;
}

function addHole(holes: MemoryHole[], offset: number, size: number, reason: HoleReason): void {
  const last = holes.at(-1);
  if (last && last.reason === reason && last.offset + last.size === offset) last.size += size;
  else holes.push({ offset, size, reason });
}

/** Reads [at, at + length) into `bytes` at `offset`; on failure, page by page, failures as holes. */
function readRange(
  api: Win32,
  process: ProcessHandle,
  bytes: Buffer,
  offset: number,
  at: bigint,
  length: number,
  holes: MemoryHole[],
): void {
  const whole = bytes.subarray(offset, offset + length);
  if (api.ReadProcessMemory(process.handle, at, whole, length, null)) return;
  const end = at + BigInt(length);
  for (let page = at - (at % PAGE); page < end; page += PAGE) {
    const from = page > at ? page : at;
    const to = page + PAGE < end ? page + PAGE : end;
    const o = offset + Number(from - at);
    const n = Number(to - from);
    const part = bytes.subarray(o, o + n);
    if (!api.ReadProcessMemory(process.handle, from, part, n, null)) {
      part.fill(0);
      addHole(holes, o, n, 'unreadable');
    }
  }
}

export function readWindowsMemory(
  api: Win32,
  pid: number,
  address: bigint,
  size: number,
): MemoryChunk {
  return withProcess(api, pid, (process) => {
    if (!process.canReadMemory)
      throw new VmscopeError(
        'access-denied',
        `Not allowed to read the memory of process ${pid}: only limited query rights were granted ` +
          '(it is protected or belongs to another user). Run vmscope elevated (as Administrator).',
      );
    const bytes = Buffer.alloc(size);
    const holes: MemoryHole[] = [];
    const info = Buffer.alloc(MEMORY_BASIC_INFORMATION_SIZE);
    const end = address + BigInt(size);
    let cursor = address;
    while (cursor < end) {
      if (!Number(api.VirtualQueryEx(process.handle, cursor, info, info.length))) {
        // Past the user range (or the process is gone: failedCall tells which).
        const error = failedCall(api, process, 'read the memory of');
        if (error.code === 'process-exited') throw error;
        addHole(holes, Number(cursor - address), Number(end - cursor), 'free');
        break;
      }
      const mbi = decodeMemoryBasicInformation(info);
      const regionEnd = mbi.baseAddress + mbi.regionSize;
      const to = regionEnd < end ? regionEnd : end;
      const offset = Number(cursor - address);
      const length = Number(to - cursor);
      const reason = holeOf(mbi.state, mbi.protect);
      if (reason) addHole(holes, offset, length, reason);
      else readRange(api, process, bytes, offset, cursor, length, holes);
      cursor = to;
    }
    return {
      address: formatAddress(address),
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      holes,
    };
  });
}
