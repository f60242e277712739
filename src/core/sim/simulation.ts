/**
 * The sandbox's simulation: a machine from a script's `machine` settings (or the simulated source's
 * machine) and one process on it, started as Windows starts one (startup.ts): images, PEB, TEB,
 * stack and heap already there.
 */
import { MACHINE_DEFAULTS, type MachineSettings } from '../../shared/sandboxScript';
import { Machine } from './machine';
import { SimProcess } from './process';
import { startProcess } from './startup';

export interface Simulation {
  machine: Machine;
  process: SimProcess;
}

/** The sandbox's process: its executable, id and main thread's id. */
export const SANDBOX_EXE = 'C:\\vmscope\\sandbox.exe';
export const SANDBOX_PID = 4242;
const SANDBOX_THREAD = 4246;

/** The sandbox's simulation: its process started as Windows starts one. */
export function createSimulation(settings: MachineSettings = {}, onMachine?: Machine): Simulation {
  const sim = emptySimulation(settings, onMachine);
  startProcess(sim.process, { exePath: SANDBOX_EXE, threadId: SANDBOX_THREAD });
  return sim;
}

/** The same with nothing in the process's address space: the model's unit tests check its rules on it. */
export function emptySimulation(settings: MachineSettings = {}, onMachine?: Machine): Simulation {
  const s = { ...MACHINE_DEFAULTS, ...settings };
  const machine =
    onMachine ?? new Machine({ physicalMemory: s.physicalMemory, pagefileSize: s.pagefileSize });
  const process = new SimProcess(machine, {
    pid: SANDBOX_PID,
    name: 'sandbox.exe',
    workingSetMinimum: Math.min(s.workingSetMinimum, s.workingSetMaximum),
    workingSetMaximum: s.workingSetMaximum,
  });
  return { machine, process };
}
