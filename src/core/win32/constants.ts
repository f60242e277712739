/**
 * The Win32 numbers this source uses beyond the memory flags in shared/winConstants, from the
 * Windows SDK headers (winnt.h, winbase.h, tlhelp32.h) and ntdll's information classes.
 */

export const PROCESS_VM_READ = 0x0010;
export const PROCESS_QUERY_INFORMATION = 0x0400;
export const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
export const THREAD_QUERY_INFORMATION = 0x0040;
export const THREAD_QUERY_LIMITED_INFORMATION = 0x0800;

export const TOKEN_QUERY = 0x0008;
/** GetTokenInformation's TokenUser class. */
export const TokenUser = 1;

export const TH32CS_SNAPPROCESS = 0x2;
export const TH32CS_SNAPTHREAD = 0x4;

/** GetExitCodeProcess's answer while the process runs. */
export const STILL_ACTIVE = 259;

export const ERROR_ACCESS_DENIED = 5;
export const ERROR_INVALID_PARAMETER = 87;

/** NtQueryInformationProcess / NtQueryInformationThread classes. */
export const ProcessBasicInformation = 0;
export const ProcessVmCounters = 3;
export const ProcessWow64Information = 26;
export const ThreadBasicInformation = 0;

/** IsWow64Process2 reports this machine for a process that is not under WOW64. */
export const IMAGE_FILE_MACHINE_UNKNOWN = 0;

/** NtQuerySystemInformation's class listing every process with its threads. */
export const SystemProcessInformation = 5;
/** NTSTATUS 0xC0000004 as the int32 koffi returns: the buffer is too small. */
export const STATUS_INFO_LENGTH_MISMATCH = -0x3ffffffc;
