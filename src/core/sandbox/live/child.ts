/**
 * The live sandbox child: an ordinary process that makes the real memory calls for one session.
 * It installs no signal handler: a real access violation kills it, and the service reports it.
 */
import { openSync, writeSync } from 'node:fs';
import { DEFAULT_CAPS, type FromChild, type ToChild, touchRecord } from './protocol';
import { LinuxLiveMemory } from './linuxMemory';

export function runLiveChild(): void {
  if (!process.send) throw new Error('the live sandbox child must be started by the vmscope service (IPC channel missing)');
  let memory = new LinuxLiveMemory(DEFAULT_CAPS, () => undefined);
  const send = (message: FromChild): void => void process.send!(message);
  process.on('message', (message: ToChild) => {
    if (message.kind === 'init') {
      const fd = openSync(message.touchFile, 'w');
      memory = new LinuxLiveMemory(message.caps, (address, access) => void writeSync(fd, touchRecord(address, access), 0));
      send({ id: message.id, kind: 'ready' });
    } else if (message.kind === 'step') {
      send({ id: message.id, kind: 'step', ...memory.run(message.step) });
    } else {
      send({ id: message.id, kind: 'view', allocations: memory.allocations() });
    }
  });
  // The service went away: so does the sandbox.
  process.on('disconnect', () => process.exit(0));
}
