/** VirtualQuery's answer as the sandbox JSON prints it, the same for the simulated and the live Windows engine. */
import { formatAddress } from '../../shared/address';
import { memName, protectName } from '../../shared/winConstants';
import type { MemoryBasicInfo } from './memoryBasicInfo';

/** MEMORY_BASIC_INFORMATION with Windows' field names, flag names and hex addresses. */
export function mbiJson(mbi: MemoryBasicInfo): Record<string, unknown> {
  return {
    BaseAddress: formatAddress(mbi.baseAddress),
    AllocationBase: formatAddress(mbi.allocationBase),
    AllocationProtect: protectName(mbi.allocationProtect),
    RegionSize: Number(mbi.regionSize),
    State: memName(mbi.state),
    Protect: protectName(mbi.protect),
    Type: memName(mbi.type),
  };
}
