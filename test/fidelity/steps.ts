/** Script steps by op, so the ported tables read like the C calls they port. */
type Addr = string | number | null;
type Flags = string | number;
type Step = Record<string, unknown>;

const withAs = (step: Step, as?: string): Step => (as ? { ...step, as } : step);

export const alloc = (
  address: Addr,
  size: number | string,
  type: Flags,
  protect: Flags,
  as?: string,
): Step => withAs({ op: 'VirtualAlloc', address, size, type, protect }, as);
export const free = (address: Addr, size: number | string, type: Flags): Step => ({
  op: 'VirtualFree',
  address,
  size,
  type,
});
export const protect = (address: Addr, size: number | string, protection: Flags): Step => ({
  op: 'VirtualProtect',
  address,
  size,
  protect: protection,
});
export const query = (address: Addr): Step => ({ op: 'VirtualQuery', address });
export const write = (address: Addr, size = 1): Step => ({ op: 'Write', address, size });
export const read = (address: Addr, size = 1): Step => ({ op: 'Read', address, size });
export const lock = (address: Addr, size: number): Step => ({ op: 'VirtualLock', address, size });
export const unlock = (address: Addr, size: number): Step => ({
  op: 'VirtualUnlock',
  address,
  size,
});
export const getWriteWatch = (
  flags: Flags,
  address: Addr,
  size: number | string,
  count = 64,
): Step => ({ op: 'GetWriteWatch', flags, address, size, count });
export const resetWriteWatch = (address: Addr, size: number | string): Step => ({
  op: 'ResetWriteWatch',
  address,
  size,
});
