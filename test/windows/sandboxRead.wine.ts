/**
 * sandbox.read on the live Windows engine, for real under Wine: the child reads its own memory
 * through the Windows source (ReadProcessMemory), so its Write op's 0xab bytes come back, and its
 * reserved pages are holes.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LiveChild, type ChildCommand } from '../../src/core/sandbox/live/liveChild';
import { DEFAULT_CAPS } from '../../src/core/sandbox/live/protocol';
import { parseSandboxScript } from '../../src/shared/sandboxScript';
import { BUNDLED_CLI } from './testProcess';

const CHILD: ChildCommand = { module: BUNDLED_CLI, args: ['sandbox', 'child'], execArgv: [] };
const engine = new LiveChild(DEFAULT_CAPS, CHILD);
after(() => engine.dispose());

test('the live child reads back what its Write op stored, with reserved pages as holes', async () => {
  const parsed = parseSandboxScript({
    engine: 'live',
    steps: [
      {
        op: 'VirtualAlloc',
        size: 0x3000,
        type: 'MEM_RESERVE',
        protect: 'PAGE_NOACCESS',
        as: 'base',
      },
      {
        op: 'VirtualAlloc',
        address: 'base+0x1000',
        size: 0x1000,
        type: 'MEM_COMMIT',
        protect: 'PAGE_READWRITE',
      },
      { op: 'Write', address: 'base+0x1000', size: 4 },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  let bound: Record<string, string> = {};
  for (const step of parsed.script.steps) {
    const run = await engine.run(step);
    assert.equal(run.result.ok, true, JSON.stringify(run.result));
    bound = run.bound ?? bound;
  }
  const base = BigInt(bound['base']!);
  const chunk = await engine.read(base, 0x3000);
  assert.deepEqual(Array.from(chunk.bytes.subarray(0x1000, 0x1004)), [0xab, 0xab, 0xab, 0xab]);
  assert.deepEqual(chunk.holes, [
    { offset: 0, size: 0x1000, reason: 'reserved' },
    { offset: 0x2000, size: 0x1000, reason: 'reserved' },
  ]);
});
