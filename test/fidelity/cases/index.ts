/** The whole ported table, in the order the cross-check runs it. */
import type { FidelityCase } from '../table';
import { FILE_MAPPING } from './fileMapping';
import { HEAP } from './heap';
import { KERNEL32_VIRTUAL } from './kernel32Virtual';
import { NT_VIRTUAL } from './ntVirtual';
import { STARTUP } from './startup';
import { WORKING_SET_EX } from './workingSetEx';

export const FIDELITY_TABLE: FidelityCase[] = [
  ...KERNEL32_VIRTUAL,
  ...NT_VIRTUAL,
  ...HEAP,
  ...STARTUP,
  ...FILE_MAPPING,
  ...WORKING_SET_EX,
];
