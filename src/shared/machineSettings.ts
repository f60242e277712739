/** The simulated machine a sandbox script runs on (sandboxScript.ts, docs/sandbox-script.md). */
import { z } from 'zod';

const MiB = 1024 * 1024;

/** The simulated machine a script runs on; every field optional (defaults in MACHINE_DEFAULTS). */
export const machineSettingsSchema = z
  .object({
    physicalMemory: z
      .number()
      .int()
      .min(4 * MiB)
      .max(2 ** 40)
      .optional(),
    pagefileSize: z
      .number()
      .int()
      .min(0)
      .max(2 ** 42)
      .optional(),
    workingSetMinimum: z.number().int().positive().optional(),
    workingSetMaximum: z.number().int().positive().optional(),
  })
  .strict()
  .refine((m) => (m.workingSetMinimum ?? 0) <= (m.workingSetMaximum ?? Number.MAX_SAFE_INTEGER), {
    message: 'workingSetMinimum must not exceed workingSetMaximum',
    path: ['workingSetMinimum'],
  });
export type MachineSettings = z.output<typeof machineSettingsSchema>;

/** Defaults: a small machine so paging is visible; working-set limits are Windows' defaults (50 and 345 pages). */
export const MACHINE_DEFAULTS: Required<MachineSettings> = {
  physicalMemory: 256 * MiB,
  pagefileSize: 256 * MiB,
  workingSetMinimum: 50 * 4096,
  workingSetMaximum: 345 * 4096,
};
