/** A machine with one fresh process on it, from a script's `machine` settings. */
import { MACHINE_DEFAULTS, type MachineSettings } from '../../shared/sandboxScript';
import { Machine } from './machine';
import { SimProcess } from './process';

export interface Simulation {
  machine: Machine;
  process: SimProcess;
}

export function createSimulation(settings: MachineSettings = {}, pid = 4242, name = 'sandbox.exe'): Simulation {
  const s = { ...MACHINE_DEFAULTS, ...settings };
  const machine = new Machine({ physicalMemory: s.physicalMemory, pagefileSize: s.pagefileSize });
  const process = new SimProcess(machine, {
    pid,
    name,
    workingSetMinimum: Math.min(s.workingSetMinimum, s.workingSetMaximum),
    workingSetMaximum: s.workingSetMaximum,
  });
  return { machine, process };
}
