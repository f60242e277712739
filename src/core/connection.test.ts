import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../shared/api';
import { createConnection } from './connection';
import type { ServiceHost } from './serviceHost';

/** A service host whose streams we can see open and close. */
function fakeHost() {
  const open = new Map<string, (m: StreamMessage) => void>();
  let next = 0;
  const host: ServiceHost = {
    call: async () => ({ ok: true, value: null }),
    subscribe: async (_topic, _input, listener) => {
      const id = `s${++next}`;
      open.set(id, listener);
      listener({ kind: 'data', data: 'first' }); // speaks before subscribe() returns
      return { ok: true, value: id };
    },
    unsubscribe: async (id) => void open.delete(id),
    close: async () => undefined,
  };
  return { host, open };
}

describe('a connection', () => {
  it('delivers messages that arrive before the subscription id is known', async () => {
    const { host } = fakeHost();
    const got: [string, StreamMessage][] = [];
    const connection = createConnection(host, (id, m) => got.push([id, m]));
    const result = await connection.subscribe('counters.watch', {});
    expect(result).toEqual({ ok: true, value: 's1' });
    expect(got).toEqual([['s1', { kind: 'data', data: 'first' }]]);
  });

  it('ends every stream it owns when disposed, and only those', async () => {
    const { host, open } = fakeHost();
    const a = createConnection(host, () => undefined);
    const b = createConnection(host, () => undefined);
    await a.subscribe('t', {});
    await a.subscribe('t', {});
    await b.subscribe('t', {});
    expect(open.size).toBe(3);
    await a.dispose();
    expect([...open.keys()]).toEqual(['s3']);
  });

  it('will not close a stream another connection owns', async () => {
    const { host, open } = fakeHost();
    const a = createConnection(host, () => undefined);
    const b = createConnection(host, () => undefined);
    await a.subscribe('t', {});
    await b.unsubscribe('s1');
    expect(open.has('s1')).toBe(true);
  });
});
