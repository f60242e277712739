/**
 * MEMORY_BASIC_INFORMATION, VirtualQuery's answer for one region, with bigint addresses. The
 * simulator produces it, the Windows source decodes it from the real call, and both turn it into
 * Regions (regions.ts) and sandbox JSON (mbiJson.ts).
 */
export interface MemoryBasicInfo {
  baseAddress: bigint;
  allocationBase: bigint;
  allocationProtect: number;
  regionSize: bigint;
  state: number;
  protect: number;
  type: number;
}
