/**
 * The `simulated` source: the processes of a SimulatedMachine, in the same ProcessInfo, Snapshot
 * and Counters shapes as the real sources. Every call first catches the machine's clock up with
 * wall time, so charts move while someone is looking and nothing runs when no one is.
 */
import { VmscopeError } from '../../../shared/errors';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type ProcessInfo, type Snapshot } from '../../../shared/model';
import type { MachineClock, MachineView } from '../../../shared/machineView';
import { systemLayout } from '../../sim/layout';
import { machineView } from '../../sim/machineView';
import { processCounters, processRegions } from '../../sim/report';
import type { Source } from '../source';
import { SimulatedMachine, type SimulatedProcess } from './simulatedMachine';

export const SIMULATED_HOSTNAME = 'VMSCOPE-SIM';

export interface SimulatedSource extends Source {
  readonly machine: SimulatedMachine;
  /** Physical memory as RAMMap shows it. */
  view(): MachineView;
}

function simulated(source: Source): SimulatedSource {
  if (!('machine' in source) || !(source.machine instanceof SimulatedMachine)) {
    throw new VmscopeError('source-unavailable', 'Only the simulated source has a machine to show; use --source simulated.');
  }
  return source as SimulatedSource;
}

/** The machine view of a source, which must be the simulated one (only it has a machine to show). */
export function machineViewOf(source: Source): MachineView {
  return simulated(source).view();
}

export type ClockAction = 'read' | 'pause' | 'resume' | 'step';

/** Read, pause, resume or step the simulated machine's clock (a step runs `ms`, default 1 s, now). */
export function machineClock(source: Source, action: ClockAction, ms = 1000): MachineClock {
  const { machine } = simulated(source);
  if (action === 'pause') machine.pause();
  else if (action === 'resume') machine.resume();
  else if (action === 'step') machine.step(ms);
  else machine.sync();
  return { timeMs: machine.time, paused: machine.paused };
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

export function createSimulatedSource(machine = new SimulatedMachine()): SimulatedSource {
  const running = (pid: number): SimulatedProcess => {
    machine.sync();
    const p = machine.find(pid);
    if (!p) throw new VmscopeError('process-exited', `There is no simulated process ${pid}: it has exited, or the id is wrong.`);
    return p;
  };
  return {
    id: 'simulated',
    machine,
    layout: systemLayout,
    view: () => {
      machine.sync();
      return machineView(machine.machine, machine.processes().map((p) => p.process), new Date().toISOString());
    },
    listProcesses: async () => {
      machine.sync();
      return machine.processes().map(processInfo);
    },
    counters: async (pid) => processCounters(running(pid).process),
    snapshot: async (pid, options): Promise<Snapshot> => {
      const started = performance.now();
      const p = running(pid);
      const regions = processRegions(p.process, { includeFree: options?.includeFree ?? true });
      return {
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        takenAt: new Date().toISOString(),
        source: 'simulated',
        // The simulated computer is a Windows x64 machine of its own.
        host: { hostname: SIMULATED_HOSTNAME, platform: 'win32', arch: 'x64' },
        system: systemLayout(),
        process: { pid, name: p.member.name, path: p.member.path, commandLine: p.member.commandLine },
        counters: processCounters(p.process),
        regions,
        durationMs: performance.now() - started,
      };
    },
  };
}
