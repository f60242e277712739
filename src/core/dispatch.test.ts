import { describe, expect, it } from 'vitest';
import { methods, subscriptions } from '../shared/api';
import { dispatchCall, dispatchSubscribe } from './dispatch';
import { createService } from './service';

const service = createService();

describe('the contract rejects malformed input with a typed error', () => {
  const bad: [string, unknown][] = [
    ['a string', 'pid=1'],
    ['a number', 42],
    ['an array', []],
    ['an unknown field', { surprise: true }],
  ];
  for (const method of Object.keys(methods)) {
    for (const [what, input] of bad) {
      it(`${method} rejects ${what}`, async () => {
        const result = await dispatchCall(service, method, input);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('invalid-input');
          expect(result.error.message).toContain(method);
        }
      });
    }
  }
  for (const topic of Object.keys(subscriptions)) {
    it(`${topic} rejects an unknown field`, async () => {
      const result = await dispatchSubscribe(
        service,
        topic,
        { pid: 1, surprise: true },
        () => undefined,
      );
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('invalid-input');
    });
  }

  it('names the bad field and why', async () => {
    const result = await dispatchCall(service, 'process.counters', { pid: -3 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    if (!result.ok)
      expect(result.error.message).toMatch(/pid: .*>0|pid: .*positive|pid: Too small/i);
  });

  it('rejects a pid that is not a whole number', async () => {
    for (const pid of [1.5, '12', NaN, 2 ** 40, null]) {
      const result = await dispatchCall(service, 'process.counters', { pid });
      expect(result.ok, `pid ${String(pid)}`).toBe(false);
    }
  });

  it('rejects an unknown source name', async () => {
    const result = await dispatchCall(service, 'processes.list', { source: 'macos' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('answers an unknown method with unknown-method, including prototype names', async () => {
    for (const name of ['nope', 'toString', '__proto__', 42, null]) {
      const result = await dispatchCall(service, name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
  });

  it('answers a valid call with its value', async () => {
    const result = await dispatchCall(service, 'system.info', {});
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.value).toMatchObject({ platform: process.platform, pageSize: 4096 });
  });
});
