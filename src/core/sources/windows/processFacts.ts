import type { Win32 } from './bindings';
import { readMemory } from './memoryReads';
import type { ProcessHandle } from './processHandle';
import { IMAGE_FILE_MACHINE_UNKNOWN, ProcessBasicInformation } from '../../win32/constants';
import {
  decodePebAddress,
  decodeWideString,
  fileTimeIso,
  IMAGE_DOS_HEADER_SIZE,
  IMAGE_NT_FILE_HEADER_END,
  imageIsLargeAddressAware,
  PROCESS_BASIC_INFORMATION_SIZE,
} from './win32Structs';

/** The executable's full Win32 path (QueryFullProcessImageNameW); null where it is not given. */
export function imagePath(api: Win32, process: ProcessHandle): string | null {
  const chars = 4096;
  const buf = Buffer.alloc(chars * 2);
  const size = new Uint32Array([chars]);
  return api.QueryFullProcessImageNameW(process.handle, 0, buf, size)
    ? decodeWideString(buf, size[0])
    : null;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('\\') + 1);
}

/** True for a 32-bit process under WOW64 (IsWow64Process2 where it exists, else IsWow64Process). */
export function isWow64(api: Win32, process: ProcessHandle): boolean {
  if (api.IsWow64Process2) {
    const machine = new Uint16Array(1);
    const native = new Uint16Array(1);
    if (api.IsWow64Process2(process.handle, machine, native))
      return machine[0] !== IMAGE_FILE_MACHINE_UNKNOWN;
  }
  const wow64 = new Uint32Array(1);
  return api.IsWow64Process(process.handle, wow64) !== 0 && wow64[0] !== 0;
}

export function startTime(api: Win32, process: ProcessHandle): string | null {
  const times = Buffer.alloc(32);
  const ok = api.GetProcessTimes(
    process.handle,
    times.subarray(0, 8),
    times.subarray(8, 16),
    times.subarray(16, 24),
    times.subarray(24, 32),
  );
  return ok ? fileTimeIso(times.readBigUInt64LE(0)) : null;
}

/** The PEB's address (NtQueryInformationProcess(ProcessBasicInformation)). */
export function pebAddress(api: Win32, process: ProcessHandle): bigint | null {
  const buf = Buffer.alloc(PROCESS_BASIC_INFORMATION_SIZE);
  const status = api.NtQueryInformationProcess(
    process.handle,
    ProcessBasicInformation,
    buf,
    buf.length,
    null,
  );
  return status < 0 ? null : decodePebAddress(buf);
}

/** PEB.ImageBaseAddress (the 64-bit PEB has it for a WOW64 process too). */
const IMAGE_BASE_ADDRESS = 0x10;
/** The most a 32-bit process may address on 64-bit Windows: 4 GiB with LARGEADDRESSAWARE, else 2 GiB. */
const WOW64_LARGE_LIMIT = 0xfffeffffn;
const WOW64_LIMIT = 0x7ffeffffn;

/**
 * The highest address a WOW64 process can use, as GetSystemInfo in that process would say it:
 * from its executable's IMAGE_FILE_LARGE_ADDRESS_AWARE flag, read from the image in its memory.
 * Where the image cannot be read the 4 GiB limit is assumed (the walk ends where the memory does).
 */
export function wow64AddressLimit(api: Win32, process: ProcessHandle): bigint {
  const peb = pebAddress(api, process);
  const base =
    peb === null
      ? null
      : readMemory(api, process, peb + BigInt(IMAGE_BASE_ADDRESS), 8)?.readBigUInt64LE(0);
  const dos = base ? readMemory(api, process, base, IMAGE_DOS_HEADER_SIZE) : null;
  const headers = dos
    ? readMemory(
        api,
        process,
        (base as bigint) + BigInt(dos.readUInt32LE(0x3c)),
        IMAGE_NT_FILE_HEADER_END,
      )
    : null;
  const laa = (headers && imageIsLargeAddressAware(headers)) ?? true;
  return laa ? WOW64_LARGE_LIMIT : WOW64_LIMIT;
}

/** PEB.ProcessParameters, and RTL_USER_PROCESS_PARAMETERS.CommandLine (a UNICODE_STRING). */
const PROCESS_PARAMETERS = 0x20;
const COMMAND_LINE = 0x70;

/**
 * The command line the process was started with, read from its PEB; null where its memory may
 * not be read or a read fails (the process is starting or exiting).
 */
export function commandLine(api: Win32, process: ProcessHandle): string | null {
  if (!process.canReadMemory) return null;
  const peb = pebAddress(api, process);
  const pointer =
    peb === null ? null : readMemory(api, process, peb + BigInt(PROCESS_PARAMETERS), 8);
  const parameters = pointer?.readBigUInt64LE(0) ?? 0n;
  if (parameters === 0n) return null;
  const unicode = readMemory(api, process, parameters + BigInt(COMMAND_LINE), 16);
  const bytes = unicode?.readUInt16LE(0) ?? 0;
  const text =
    unicode && bytes > 0 ? readMemory(api, process, unicode.readBigUInt64LE(8), bytes) : null;
  return text ? text.toString('utf16le') : null;
}
