import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildMinidump } from '../test/support/dumpBuilders';

/** Dump files the dump specs open: a real core by gcore, and a minidump with a known text. */

const run = promisify(execFile);

/** gcore (Debian's gdb) of a live process; the core's path (gcore adds `.PID` to `prefix`). */
export async function gcore(pid: number, prefix: string): Promise<string> {
  await run('gcore', ['-o', prefix, String(pid)], { timeout: 60_000 });
  return `${prefix}.${pid}`;
}

/** Where the text minidump's one captured range starts; its text is 0x30 bytes in. */
export const MINIDUMP_BASE = 0x7ff000n;

/** A minidump of pid 4711 with app.exe and 8 KiB captured at MINIDUMP_BASE, holding `text`. */
export function textMinidump(text: string): Buffer {
  const bytes = Buffer.alloc(0x2000, 0);
  bytes.write(text, 0x30, 'latin1');
  return buildMinidump({
    pid: 4711,
    modules: [{ base: 0x140000000n, size: 0x20000, path: 'C:\\App\\app.exe' }],
    memory: [{ address: MINIDUMP_BASE, bytes }],
  });
}
