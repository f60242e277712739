/**
 * The live sandbox engine: a child process (liveChild.ts) makes the real calls. A step costs one
 * request and one view of the child's allocations and counters; its regions (as the inspector
 * reads them: /proc/PID/smaps, or VirtualQueryEx) are read only for the whole state. A real
 * process cannot take back its calls, so a checkpoint is a step count and a restore replaces
 * the child with a fresh one that replays the steps before it: the cheapest honest undo.
 */
import type { MemoryChunk } from '../../../shared/memoryContents';
import type { Region } from '../../../shared/model';
import type { ScriptStep } from '../../../shared/sandboxScript';
import { loadOnce } from '../../loadOnce';
import { requireNativePlatform } from '../../platform';
import {
  type Checkpoint,
  type EngineStep,
  type EngineView,
  type ReplayedStep,
  type SandboxEngine,
  removedBases,
} from '../engine';
import { type ChildCommand, LiveChild } from './liveChild';
import type { LiveCaps } from './protocol';

/** The source that reads the child's regions as the inspector does; created on first use. */
const childSource = loadOnce(() => requireNativePlatform('The live sandbox').createSource());

export class LiveEngine implements SandboxEngine {
  readonly kind = 'live' as const;
  private readonly child: LiveChild;
  private steps = 0;
  /** The allocations' bases after the last step, to tell which went away. */
  private bases: string[] = [];

  constructor(caps: LiveCaps | undefined, command: ChildCommand | undefined, stepMs?: number) {
    // Fails at once where there is no live backend, before a child is started.
    requireNativePlatform('The live sandbox');
    this.child = new LiveChild(caps, command, stepMs);
  }

  start(): Promise<void> {
    return this.child.start();
  }

  pid(): number | null {
    return this.child.pid();
  }

  /** The live engine always reports every allocation (there are few: the caps see to it), so `delta` changes nothing. */
  async step(step: ScriptStep): Promise<EngineStep> {
    const run = await this.child.run(step);
    this.steps++;
    const { allocations, counters } = await this.child.view();
    const removed = removedBases(this.bases, allocations);
    this.bases = allocations.map((a) => a.base);
    // Linux's child leaves GetProcessMemoryInfo's counters to the service, which reads /proc.
    const result =
      step.op === 'GetProcessMemoryInfo' && run.result.info === null
        ? { ...run.result, info: { ...counters } }
        : run.result;
    return {
      result,
      calls: run.calls,
      restarted: run.restarted,
      changed: allocations,
      removed,
      counters,
    };
  }

  /** The child's allocations page by page, and its own regions that lie in them. */
  async view(): Promise<EngineView> {
    const { allocations, counters } = await this.child.view();
    this.bases = allocations.map((a) => a.base);
    const pid = this.child.pid();
    if (pid === null || allocations.length === 0) return { allocations, counters, regions: [] };
    const ranges = allocations.map(
      (a) => [BigInt(a.base), BigInt(a.base) + BigInt(a.size)] as const,
    );
    const { regions } = await (await childSource()).snapshot(pid, { includeFree: false });
    // Overlap, not containment: the kernel may merge a PROT_NONE tail with a neighbouring PROT_NONE mapping.
    const inSandbox = (r: Region): boolean =>
      ranges.some(([from, to]) => BigInt(r.base) < to && BigInt(r.base) + BigInt(r.size) > from);
    return { allocations, counters, regions: regions.filter(inSandbox) };
  }

  read(address: bigint, size: number): Promise<MemoryChunk> {
    return this.child.read(address, size);
  }

  checkpoint(): Checkpoint {
    return { steps: this.steps };
  }

  async restore(checkpoint: Checkpoint): Promise<void> {
    this.steps = Math.min(this.steps, checkpoint.steps);
    await this.child.rewind(this.steps);
  }

  takeReplayed(): ReplayedStep[] {
    return this.child.takeReplayed();
  }

  dispose(): void {
    this.child.dispose();
  }
}
