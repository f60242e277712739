/** The only IPC channels: the contract is generic, so these never grow. */
export const IPC = {
  call: 'vmscope:call',
  subscribe: 'vmscope:subscribe',
  unsubscribe: 'vmscope:unsubscribe',
  stream: 'vmscope:stream',
} as const;
