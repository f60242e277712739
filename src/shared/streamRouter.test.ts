import { describe, expect, it } from 'vitest';
import type { StreamMessage } from './api';
import { createStreamRouter } from './streamRouter';

const data = (n: number): StreamMessage => ({ kind: 'data', data: n });

describe('the client-side stream router', () => {
  it('holds messages that arrive before the listener, then hands them over in order', () => {
    const router = createStreamRouter();
    const got: StreamMessage[] = [];
    router.deliver('s1', data(1));
    router.deliver('s1', data(2));
    router.attach('s1', (m) => got.push(m));
    router.deliver('s1', data(3));
    expect(got).toEqual([data(1), data(2), data(3)]);
  });

  it('stops routing to a listener after its end, even an end that was held', () => {
    const router = createStreamRouter();
    const got: StreamMessage[] = [];
    router.deliver('s1', { kind: 'end', reason: 'exited' });
    router.attach('s1', (m) => got.push(m));
    router.deliver('s1', data(9));
    expect(got).toEqual([{ kind: 'end', reason: 'exited' }]);
  });

  it('ends every attached stream when the connection goes away, and forgets held messages', () => {
    const router = createStreamRouter();
    const got: string[] = [];
    router.attach('a', (m) => got.push(`a:${m.kind}`));
    router.attach('b', (m) => got.push(`b:${m.kind}`));
    router.deliver('c', data(1));
    router.endAll({ kind: 'end', reason: 'error' });
    router.attach('c', (m) => got.push(`c:${m.kind}`));
    expect(got).toEqual(['a:end', 'b:end']);
  });
});
