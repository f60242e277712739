import { useCallback, useEffect, useState } from 'react';
import { type VmError, toVmError } from '../../shared/errors';

export type AsyncState<T> =
  | { status: 'loading'; value?: T }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: VmError; value?: T };

type Settled<T> = { token: string; value?: T; error?: VmError };

/**
 * Runs `load` whenever `key` changes or reload() is called; keeps the last good value while a
 * new load runs and ignores answers to loads that were superseded.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): [AsyncState<T>, () => void] {
  const [round, setRound] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>({ token: '' });
  const token = `${key}\u0000${round}`;

  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setSettled({ token, value }),
      (err: unknown) =>
        current && setSettled((s) => ({ token, value: s.value, error: toVmError(err) })),
    );
    return () => {
      current = false;
    };
    // `key` names everything load depends on; the token changes exactly when it or round does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  if (settled.token !== token) return [{ status: 'loading', value: settled.value }, reload];
  if (settled.error)
    return [{ status: 'error', error: settled.error, value: settled.value }, reload];
  return [{ status: 'ready', value: settled.value as T }, reload];
}
