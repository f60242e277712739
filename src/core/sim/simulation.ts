/** A fresh process from a script's `machine` settings, on a new machine made from them or on `onMachine`. */
import { MACHINE_DEFAULTS, type MachineSettings } from '../../shared/sandboxScript';
import { Machine } from './machine';
import { SimProcess } from './process';

export interface Simulation {
  machine: Machine;
  process: SimProcess;
}

export function createSimulation(settings: MachineSettings = {}, onMachine?: Machine): Simulation {
  const s = { ...MACHINE_DEFAULTS, ...settings };
  const machine =
    onMachine ?? new Machine({ physicalMemory: s.physicalMemory, pagefileSize: s.pagefileSize });
  const process = new SimProcess(machine, {
    pid: 4242,
    name: 'sandbox.exe',
    workingSetMinimum: Math.min(s.workingSetMinimum, s.workingSetMaximum),
    workingSetMaximum: s.workingSetMaximum,
  });
  return { machine, process };
}
