/**
 * The one place that picks the backends of the machine vmscope runs on: the source that reads its
 * processes, the held counters reader the live sandbox samples its child with, and the real memory
 * calls the live sandbox child makes. Everything else asks here and never tests process.platform.
 *
 * Each backend's modules load on its first use (a dynamic import, a chunk of its own in the
 * bundles): `vmscope snapshot` loads the Linux source, never the Windows one or the live
 * sandbox's memory calls.
 */
import type { AccessKind } from '../shared/winConstants';
import { VmscopeError } from '../shared/errors';
import type { LiveMemory } from './sandbox/live/liveMemory';
import type { LiveCaps } from './sandbox/live/protocol';
import type { CountersReader, Source } from './sources/source';

export type Announce = (address: number | bigint, access: AccessKind) => void;

export interface NativePlatform {
  /** The source that reads this machine's processes. */
  readonly sourceId: 'linux' | 'windows';
  createSource(): Promise<Source>;
  /** A held reader of another process's counters, where the OS lets us read them from outside. */
  openCountersReader?(pid: number): Promise<CountersReader>;
  /** The live sandbox child's backend: this OS's own memory calls. */
  liveMemory(caps: LiveCaps, announce: Announce): Promise<LiveMemory>;
}

const platforms: Partial<Record<NodeJS.Platform, NativePlatform>> = {
  linux: {
    sourceId: 'linux',
    createSource: async () => (await import('./sources/linux/linuxSource')).createLinuxSource(),
    openCountersReader: async (pid) =>
      (await import('./sources/linux/procCountersReader')).openProcCountersReader(pid),
    liveMemory: async (caps, announce) =>
      new (await import('./sandbox/live/linuxMemory')).LinuxLiveMemory(caps, announce),
  },
  win32: {
    sourceId: 'windows',
    createSource: async () =>
      (await import('./sources/windows/windowsSource')).createWindowsSource(),
    // The live child reports its own counters (GetProcessMemoryInfo on itself).
    liveMemory: async (caps, announce) =>
      new (await import('./sandbox/live/windowsMemory')).WindowsLiveMemory(caps, announce),
  },
};

/** This machine's backends; null on an OS vmscope has none for, where only the simulator works. */
export const nativePlatform: NativePlatform | null = platforms[process.platform] ?? null;

/** This machine's backends, or a clear error saying that `what` needs Linux or Windows. */
export function requireNativePlatform(what: string): NativePlatform {
  if (!nativePlatform) {
    throw new VmscopeError(
      'source-unavailable',
      `${what} runs on Linux and Windows (this is ${process.platform}); use the simulated engine.`,
    );
  }
  return nativePlatform;
}
