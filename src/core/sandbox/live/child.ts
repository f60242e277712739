/**
 * The live sandbox child: an ordinary process that makes the real memory calls for one session,
 * through the platform's backend (Windows: VirtualAlloc and friends; Linux: mmap and friends).
 * It installs no handler: a real access violation kills it, and the service reports it.
 */
import { openSync, writeSync } from 'node:fs';
import type { AccessKind } from '../../../shared/winConstants';
import { DEFAULT_CAPS, type FromChild, type LiveCaps, type ToChild, touchRecord } from './protocol';
import type { LiveMemory } from './liveMemory';
import { requireNativePlatform } from '../../platform';
import { toVmError } from '../../../shared/errors';

function liveMemory(
  caps: LiveCaps,
  announce: (address: number | bigint, access: AccessKind) => void,
): Promise<LiveMemory> {
  return requireNativePlatform('The live sandbox').liveMemory(caps, announce);
}

export function runLiveChild(): void {
  if (!process.send)
    throw new Error(
      'the live sandbox child must be started by the vmscope service (IPC channel missing)',
    );
  // The backend's modules load once, asynchronously; messages are answered in their order, each
  // after the memory it needs is ready (the service waits for `ready` before its first step).
  let loading = liveMemory(DEFAULT_CAPS, () => undefined);
  const send = (message: FromChild): void => void process.send!(message);
  const fail = (err: unknown): void => {
    process.stderr.write(`vmscope sandbox child: ${toVmError(err).message}\n`);
    process.exit(1);
  };
  const answer = (memory: LiveMemory, message: ToChild): void => {
    if (message.kind === 'init') {
      send({ id: message.id, kind: 'ready' });
    } else if (message.kind === 'step') {
      send({ id: message.id, kind: 'step', ...memory.run(message.step), bound: memory.bound() });
    } else if (message.kind === 'clearGuard') {
      send({ id: message.id, kind: 'cleared', calls: memory.clearGuard(message.step) });
    } else if (message.kind === 'read') {
      requireNativePlatform('The live sandbox')
        .createSource()
        .then((source) => source.readMemory!(process.pid, BigInt(message.address), message.size))
        .then(
          (chunk) => send({ id: message.id, kind: 'read', chunk }),
          (err: unknown) => send({ id: message.id, kind: 'readFailed', error: toVmError(err) }),
        );
    } else {
      send({
        id: message.id,
        kind: 'view',
        allocations: memory.allocations(),
        counters: memory.counters(),
      });
    }
  };
  process.on('message', (message: ToChild) => {
    if (message.kind === 'init') {
      const fd = openSync(message.touchFile, 'w');
      loading = liveMemory(
        message.caps,
        (address, access) => void writeSync(fd, touchRecord(address, access), 0),
      );
    }
    loading.then((memory) => answer(memory, message), fail);
  });
  // The service went away: so does the sandbox.
  process.on('disconnect', () => process.exit(0));
}
