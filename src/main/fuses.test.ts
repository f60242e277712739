import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_FUSES, flipAppFuses, packedBinary, type PackContext } from './fuses';

const dir = mkdtempSync(join(tmpdir(), 'vmscope-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in for Electron's binary: the fuse sentinel, wire version 1 and the nine fuses of
 * Electron's defaults ('1' RunAsNode, '0' ... as Electron ships them), between filler bytes.
 * @electron/fuses finds and rewrites the wire exactly as it does in the real executable.
 */
function fakeElectron(name: string): string {
  const wire = '101001101';
  const bytes = Buffer.concat([
    Buffer.alloc(4096, 0x90),
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
    Buffer.alloc(4096, 0x90),
  ]);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const linux = (appOutDir: string): PackContext => ({
  appOutDir,
  electronPlatformName: 'linux',
  arch: 1,
  packager: { appInfo: { productFilename: 'vmscope' }, executableName: 'vmscope' },
});

describe("the packaged app's Electron fuses", () => {
  it('decides every fuse, so a new one in a later Electron stops packaging', () => {
    expect(APP_FUSES.strictlyRequireAllFuses).toBe(true);
    const decided = Object.keys(FuseV1Options).filter((k) => /^\d+$/.test(k));
    for (const index of decided)
      expect(APP_FUSES[Number(index) as FuseV1Options], FuseV1Options[Number(index)]).toBeTypeOf(
        'boolean',
      );
  });

  it('are flipped in the packed binary by the afterPack hook', async () => {
    fakeElectron('vmscope');
    await flipAppFuses(linux(dir));
    const wire = await getCurrentFuseWire(join(dir, 'vmscope'));
    const state = (fuse: FuseV1Options): number | undefined => wire[fuse] as number | undefined;
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
    // Kept on for the live sandbox child (docs/electron-security.md).
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.ENABLE);
  });

  it('find the binary electron-builder packed on each platform', () => {
    const base = { ...linux('/out'), packager: { appInfo: { productFilename: 'vmscope' } } };
    expect(packedBinary({ ...base, electronPlatformName: 'win32' })).toBe(
      join('/out', 'vmscope.exe'),
    );
    expect(packedBinary({ ...base, electronPlatformName: 'darwin' })).toBe(
      join('/out', 'vmscope.app'),
    );
    expect(packedBinary({ ...base, electronPlatformName: 'linux' })).toBe(join('/out', 'vmscope'));
  });
});
