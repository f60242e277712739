import { describe, expect, it } from 'vitest';
import { createClient } from '../shared/bridge';
import { regionColumnsOf } from '../shared/snapshotColumns';
import { createLocalServiceHost } from './serviceHost';

describe('the in-process service host', () => {
  it('answers a snapshot in its wire form, or as made for a client in the same thread', async () => {
    const wire = createLocalServiceHost();
    const encoded = await wire.call('process.snapshot', { pid: process.pid });
    expect(encoded).toMatchObject({ ok: true, value: { $codec: 'snapshot' } });

    const direct = createLocalServiceHost(undefined, { encode: false });
    const raw = await direct.call('process.snapshot', { pid: process.pid });
    expect(raw.ok && (raw.value as { format?: string }).format).toBe('vmscope-snapshot');

    // Either way the client gets the same kind of snapshot, its regions still columns.
    const decoded = await createClient(wire).call('process.snapshot', { pid: process.pid });
    const unencoded = await createClient(direct, { unencoded: true }).call('process.snapshot', {
      pid: process.pid,
    });
    for (const s of [decoded, unencoded]) {
      expect(s.process.pid).toBe(process.pid);
      expect(regionColumnsOf(s)?.count).toBeGreaterThan(10);
    }
    // Errors are values either way.
    await expect(
      createClient(direct, { unencoded: true }).call('process.snapshot', { pid: -1 }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
