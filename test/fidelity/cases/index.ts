/** The whole ported table, in the order the cross-check runs it. */
import type { FidelityCase } from '../table';
import { KERNEL32_VIRTUAL } from './kernel32Virtual';

export const FIDELITY_TABLE: FidelityCase[] = [...KERNEL32_VIRTUAL];
