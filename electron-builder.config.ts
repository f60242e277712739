/**
 * Packaging of the desktop app with electron-builder (not a dependency: packaging downloads
 * Electron's release archive, which this machine cannot reach). Run on a machine with internet:
 *   npm run build && npx --yes electron-builder@26 --config electron-builder.config.ts
 * The fuses are flipped by our own afterPack hook (src/main/fuses.ts), before signing.
 */
import { flipAppFuses } from './src/main/fuses';

export default {
  appId: 'org.vmscope.app',
  productName: 'vmscope',
  directories: { output: 'dist', buildResources: 'build' },
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json'],
  asar: true,
  // koffi's native module cannot be loaded from inside the archive.
  asarUnpack: ['node_modules/koffi/**'],
  afterPack: flipAppFuses,
  linux: { target: ['AppImage'], category: 'Development' },
  win: { target: ['nsis'] },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
};
