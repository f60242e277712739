/**
 * Electron fuses of the packaged app, flipped in the packaged binary before it is signed
 * (electron-builder.config.ts runs flipAppFuses as its afterPack hook). Every fuse is set
 * explicitly (strictlyRequireAllFuses), so a new fuse in a later Electron fails packaging until
 * someone decides on it. Why each is set this way: docs/electron-security.md.
 */
import { join } from 'node:path';
import { type FuseV1Config, FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';

export const APP_FUSES: FuseV1Config = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // On, and needed: the live sandbox child is forked from the service's worker thread with
  // Electron's own binary as Node (ELECTRON_RUN_AS_NODE). utilityProcess, which would not need
  // this fuse, can only be started from the main thread.
  [FuseV1Options.RunAsNode]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer comes from app://, so file:// pages need none of their old privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
};

/** What electron-builder's afterPack hook is given, as far as this hook reads it. */
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

/** electron-builder's Arch enum value for arm64. */
const ARCH_ARM64 = 3;

/** The file whose fuses are flipped: the .app bundle, the .exe, or the Linux executable. */
export function packedBinary(context: PackContext): string {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName ?? name);
  }
}

/** The afterPack hook: flips APP_FUSES in the packed binary (and re-signs ad hoc on Apple silicon). */
export async function flipAppFuses(context: PackContext): Promise<void> {
  const darwinArm = context.electronPlatformName === 'darwin' && context.arch === ARCH_ARM64;
  await flipFuses(packedBinary(context), { ...APP_FUSES, resetAdHocDarwinSignature: darwinArm });
}
