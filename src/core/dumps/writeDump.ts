import { VmscopeError } from '../../shared/errors';

export const DUMP_FORMATS = ['core', 'minidump'] as const;
export type DumpFormat = (typeof DUMP_FORMATS)[number];

/** The format this platform writes: a core on Linux, a minidump on Windows. */
export function nativeDumpFormat(): DumpFormat | null {
  return process.platform === 'linux' ? 'core' : process.platform === 'win32' ? 'minidump' : null;
}

/**
 * Writes a dump of a running process to `out`: an ELF core on Linux (gcore), a minidump on Windows
 * (MiniDumpWriteDump). Each platform writes its own format only; the other is a usage error.
 */
export async function writeDump(
  pid: number,
  out: string,
  format?: DumpFormat,
): Promise<DumpFormat> {
  const native = nativeDumpFormat();
  const wanted = format ?? native;
  if (native === null || wanted !== native)
    throw new VmscopeError(
      'invalid-input',
      native === null
        ? `vmscope writes dumps on Linux (a core) and Windows (a minidump), not on ${process.platform}.`
        : `On ${process.platform} vmscope writes a ${native} file, not a ${wanted}: use --format ${native}.`,
    );
  if (wanted === 'core') (await import('./writeCore')).writeCore(pid, out);
  else (await import('./writeMinidump')).writeMinidump(pid, out);
  return wanted;
}
