/**
 * The `simulated` source: the processes of a SimulatedMachine, in the same ProcessInfo, Snapshot
 * and Counters shapes as the real sources. Every call first catches the machine's clock up with
 * wall time, so charts move while someone is looking and nothing runs when no one is.
 */
import { VmscopeError } from '../../../shared/errors';
import type { ProcessInfo, Snapshot } from '../../../shared/model';
import { systemLayout } from '../../sim/layout';
import { machineView } from '../../sim/machineView';
import { readSimulatedMemory } from '../../sim/pageContents';
import { snapshotFromColumns } from '../../../shared/snapshotColumns';
import { processCounters, processRegionColumns } from '../../sim/report';
import { snapshotEnvelope } from '../snapshotEnvelope';
import type { MachineCapability, Source } from '../source';
import { SimulatedMachine, type SimulatedProcess } from './simulatedMachine';
import { readSimulatedPages } from './simulatedPages';

export const SIMULATED_HOSTNAME = 'VMSCOPE-SIM';

/** Physical memory as RAMMap shows it, and the clock: what only a simulated machine can show whole. */
function machineCapability(machine: SimulatedMachine): MachineCapability {
  return {
    view: () => {
      machine.sync();
      return machineView(
        machine.machine,
        machine.processes().map((p) => p.process),
        new Date().toISOString(),
      );
    },
    clock: (action, ms = 1000) => {
      if (action === 'pause') machine.pause();
      else if (action === 'resume') machine.resume();
      else if (action === 'step') machine.step(ms);
      else machine.sync();
      return { timeMs: machine.time, paused: machine.paused };
    },
  };
}

function processInfo(p: SimulatedProcess): ProcessInfo {
  const counters = processCounters(p.process);
  return {
    pid: p.member.pid,
    parentPid: p.member.parentPid,
    name: p.member.name,
    path: p.member.path,
    user: p.member.user,
    workingSetSize: counters.workingSetSize,
    privateBytes: counters.privateUsage,
    startTime: p.startTime,
    commandLine: p.member.commandLine,
    kernelThread: false,
  };
}

export function createSimulatedSource(machine = new SimulatedMachine()): Source {
  const running = (pid: number): SimulatedProcess => {
    machine.sync();
    const p = machine.find(pid);
    if (!p)
      throw new VmscopeError(
        'process-exited',
        `There is no simulated process ${pid}: it has exited, or the id is wrong.`,
      );
    return p;
  };
  return {
    id: 'simulated',
    layout: systemLayout,
    machine: machineCapability(machine),
    listProcesses: async () => {
      machine.sync();
      return machine.processes().map(processInfo);
    },
    counters: async (pid) => processCounters(running(pid).process),
    pages: async (span) => readSimulatedPages(running(span.pid).process, span),
    readMemory: async (pid, address, size) =>
      readSimulatedMemory(running(pid).process, address, size),
    snapshot: async (pid, options): Promise<Snapshot> => {
      const started = performance.now();
      const p = running(pid);
      const columns = processRegionColumns(p.process, {
        includeFree: options?.includeFree ?? true,
      });
      const envelope = {
        ...snapshotEnvelope({
          source: 'simulated',
          // The simulated computer is a Windows x64 machine of its own.
          host: { hostname: SIMULATED_HOSTNAME, platform: 'win32', arch: 'x64' },
          system: systemLayout(),
          process: {
            pid,
            name: p.member.name,
            path: p.member.path,
            commandLine: p.member.commandLine,
          },
          counters: processCounters(p.process),
        }),
        durationMs: performance.now() - started,
      };
      // The regions stay columns until someone reads them (snapshotColumns.ts), as the Linux
      // source's do: encoding or writing a million of them makes no Region object that lives.
      return snapshotFromColumns(envelope, columns);
    },
  };
}
