import type { StreamMessage, TopicEvent, TopicInput } from '../shared/api';
import { VmscopeError } from '../shared/errors';
import type { CliContext } from './context';

type ScanTopic = 'process.search' | 'process.strings';

/**
 * Runs a memory scan to its end, handing each event to `onData`; Ctrl-C cancels it. A stream that
 * ends in an error (or because the process exited) throws it, so the command exits 1 with one line.
 */
export async function runScan<T extends ScanTopic>(
  ctx: CliContext,
  topic: T,
  input: TopicInput<T>,
  onData: (event: TopicEvent<T>) => void,
): Promise<void> {
  let finish: (end: Extract<StreamMessage, { kind: 'end' }> | null) => void = () => {};
  const ended = new Promise<Extract<StreamMessage, { kind: 'end' }> | null>(
    (resolve) => (finish = resolve),
  );
  const subscription = await ctx.client.subscribe(topic, input, (message) => {
    if (message.kind === 'data') onData(message.data);
    else finish(message);
  });
  const interrupt = (): void => finish(null);
  process.once('SIGINT', interrupt);
  const end = await ended;
  process.off('SIGINT', interrupt);
  await subscription.close();
  if (end === null || end.reason === 'closed') return;
  const error = end.error ?? { code: 'process-exited', message: 'The process exited.' };
  throw new VmscopeError(error.code as VmscopeError['code'], error.message);
}

/** Says on stderr when the process read is vmscope's own. */
export function noteOwnProcess(pid: number): void {
  process.stderr.write(
    `vmscope: process ${pid} is vmscope itself: its own buffers are in what it reads.\n`,
  );
}
