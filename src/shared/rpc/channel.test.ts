import { afterEach, describe, expect, it, vi } from 'vitest';
import { RpcChannel, frameId } from './channel';
import type { RpcTransport } from './transport';

interface Req {
  id: number;
  ask: string;
}

/** A transport whose far end the test plays: it sees what was sent and answers as it likes. */
function wire(options: { refuse?: boolean } = {}) {
  const sent: Req[] = [];
  let receive: (frame: unknown) => void = () => undefined;
  let closed = 0;
  const transport: RpcTransport<Req> = {
    send(frame) {
      if (options.refuse) throw new Error('cannot clone a function');
      sent.push(frame);
    },
    onFrame: (r) => (receive = r),
    close: () => void closed++,
  };
  return { transport, sent, answer: (frame: unknown) => receive(frame), closes: () => closed };
}

const replyOf = (frame: unknown) => {
  const id = frameId(frame);
  return id === undefined ? undefined : { id, reply: (frame as { value: string }).value };
};

afterEach(() => void vi.useRealTimers());

describe('RpcChannel', () => {
  it('gives each request its own id and matches replies that arrive out of order', async () => {
    const w = wire();
    const channel = new RpcChannel<Req, string>(w.transport, { replyOf });
    const a = channel.request((id) => ({ id, ask: 'a' }));
    const b = channel.request((id) => ({ id, ask: 'b' }));
    expect(new Set(w.sent.map((f) => f.id)).size).toBe(2);
    const [first, second] = w.sent;
    w.answer({ id: second!.id, value: 'to b' });
    w.answer({ id: first!.id, value: 'to a' });
    expect(await a).toEqual({ ok: true, value: 'to a' });
    expect(await b).toEqual({ ok: true, value: 'to b' });
    expect(channel.size).toBe(0);
  });

  it('fails a request with limit-exceeded when its timeout passes, and drops the late reply', async () => {
    vi.useFakeTimers();
    const w = wire();
    const channel = new RpcChannel<Req, string>(w.transport, { replyOf, peer: 'the child' });
    const pending = channel.request((id) => ({ id, ask: 'slow' }), { timeoutMs: 500 });
    vi.advanceTimersByTime(500);
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'limit-exceeded', message: 'the child did not answer within 500 ms.' },
    });
    expect(() => w.answer({ id: w.sent[0]!.id, value: 'late' })).not.toThrow();
    expect(channel.size).toBe(0);
  });

  it('fails a request when its signal aborts, before or after it is sent', async () => {
    const w = wire();
    const channel = new RpcChannel<Req, string>(w.transport, { replyOf });
    const controller = new AbortController();
    const pending = channel.request((id) => ({ id, ask: 'x' }), { signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { message: 'The caller went away.' } });
    expect(
      await channel.request((id) => ({ id, ask: 'y' }), { signal: controller.signal }),
    ).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(w.sent).toHaveLength(1);
  });

  it('close() fails every pending request with its error, closes the transport once, and refuses new ones', async () => {
    const w = wire();
    const channel = new RpcChannel<Req, string>(w.transport, { replyOf });
    const pending = [1, 2, 3].map(() => channel.request((id) => ({ id, ask: 'q' })));
    const error = { code: 'process-exited', message: 'It died.' } as const;
    channel.close(error);
    channel.close({ code: 'internal', message: 'again' });
    for (const p of pending) expect(await p).toEqual({ ok: false, error });
    expect(w.closes()).toBe(1);
    expect(await channel.request((id) => ({ id, ask: 'after' }))).toEqual({ ok: false, error });
    expect(channel.notify({ id: 0, ask: 'note' })).toBe(false);
    expect(w.sent).toHaveLength(3);
  });

  it('refuses requests beyond maxPending with limit-exceeded', async () => {
    const w = wire();
    const channel = new RpcChannel<Req, string>(w.transport, { replyOf, maxPending: 2 });
    void channel.request((id) => ({ id, ask: '1' }));
    void channel.request((id) => ({ id, ask: '2' }));
    expect(await channel.request((id) => ({ id, ask: '3' }))).toMatchObject({
      ok: false,
      error: { code: 'limit-exceeded' },
    });
    expect(w.sent).toHaveLength(2);
  });

  it('a frame the transport cannot send fails only that request, with invalid-input', async () => {
    const channel = new RpcChannel<Req, string>(wire({ refuse: true }).transport, {
      replyOf,
      peer: 'the service',
    });
    expect(await channel.request((id) => ({ id, ask: 'fn' }))).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'The request cannot be sent to the service: cannot clone a function',
      },
    });
    expect(channel.size).toBe(0);
  });

  it('never throws on malformed frames, and hands frames that are not replies to `other`', async () => {
    const w = wire();
    const others: unknown[] = [];
    const listenerErrors: unknown[] = [];
    const channel = new RpcChannel<Req, string>(w.transport, {
      replyOf,
      other: (frame) => {
        others.push(frame);
        if (frame === 'boom') throw new Error('a broken receiver');
      },
      onListenerError: (err) => listenerErrors.push(err),
    });
    const pending = channel.request((id) => ({ id, ask: 'q' }));
    const hostile: unknown[] = [
      null,
      undefined,
      42,
      'boom',
      [],
      { id: '1' },
      { id: 1.5 },
      { id: Number.NaN },
      { id: 999 },
      Object.create(null),
    ];
    for (const frame of hostile) expect(() => w.answer(frame)).not.toThrow();
    const throwing = new RpcChannel<Req, string>(wire().transport, {
      replyOf: () => {
        throw new Error('a broken matcher');
      },
    });
    expect(() => (throwing as unknown as { receive(f: unknown): void }).receive({})).not.toThrow();
    expect(others).toContain('boom');
    // Our own listener's fault is reported, not swallowed; the channel goes on.
    expect(listenerErrors).toEqual([new Error('a broken receiver')]);
    expect(channel.size).toBe(1);
    w.answer({ id: w.sent[0]!.id, value: 'fine' });
    expect(await pending).toEqual({ ok: true, value: 'fine' });
  });
});
