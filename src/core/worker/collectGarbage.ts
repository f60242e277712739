import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * A full garbage collection of this thread's heap; false where this Node cannot be asked for one.
 *
 * The memory of a typed array lives outside the V8 heap and goes back only when a collection
 * finds the array dead; V8 starts one by the heap's own growth, which columns of typed arrays
 * hardly cause. Node offers no call for it without `--expose-gc`, a V8 flag a worker cannot be
 * given (execArgv refuses V8 flags), so the flag is set at run time and `gc` taken from a fresh
 * context, the only one made after the flag that has it. The flag is process-wide: any later vm
 * context also has a `gc` global, which nothing in vmscope makes or reads.
 */
export function collectGarbage(): boolean {
  if (collect === undefined) {
    const own = (globalThis as { gc?: unknown }).gc;
    try {
      if (typeof own !== 'function') setFlagsFromString('--expose-gc');
      const found: unknown = typeof own === 'function' ? own : runInNewContext('gc');
      collect = typeof found === 'function' ? (found as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
  return collect !== null;
}
