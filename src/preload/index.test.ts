import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bridge } from '../shared/bridge';
import { IPC } from '../shared/ipcChannels';

/** Electron as the preload sees it: invoke answers by channel, the bridge is caught on exposure. */
const electron = vi.hoisted(() => {
  const state = {
    bridge: null as unknown,
    invoke: (_channel: string, ..._args: unknown[]): Promise<unknown> => Promise.resolve(undefined),
  };
  return {
    state,
    contextBridge: { exposeInMainWorld: (_key: string, api: unknown) => (state.bridge = api) },
    ipcRenderer: {
      on: () => undefined,
      invoke: (channel: string, ...args: unknown[]) => state.invoke(channel, ...args),
    },
  };
});
vi.mock('electron', () => electron);

let bridge: Bridge;
beforeAll(async () => {
  await import('./index');
  bridge = electron.state.bridge as Bridge;
});

describe('the preload bridge over its RPC channel', () => {
  it('answers each call with what main answered, matched even when answers come out of order', async () => {
    const answers: ((value: unknown) => void)[] = [];
    electron.state.invoke = (channel, method) => {
      expect(channel).toBe(IPC.call);
      return new Promise((resolve) => answers.push(() => resolve({ ok: true, value: method })));
    };
    const first = bridge.call('system.info', {});
    const second = bridge.call('files.opened', {});
    answers[1]!(undefined);
    answers[0]!(undefined);
    expect(await first).toEqual({ ok: true, value: 'system.info' });
    expect(await second).toEqual({ ok: true, value: 'files.opened' });
  });

  it('turns a failed invoke (an input IPC cannot clone) into an error value, not a rejection', async () => {
    electron.state.invoke = () => Promise.reject(new Error('An object could not be cloned.'));
    expect(await bridge.call('system.info', { f: 'x' })).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'The request cannot be sent to vmscope: An object could not be cloned.',
      },
    });
  });

  it('subscribes through the subscribe channel', async () => {
    electron.state.invoke = (channel) =>
      Promise.resolve(
        channel === IPC.subscribe
          ? { ok: false, error: { code: 'not-found', message: 'no such topic' } }
          : null,
      );
    expect(await bridge.subscribe('nope', {}, () => undefined)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});
