import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the snapshot library lives: VMSCOPE_DATA_DIR/snapshots when set (tests, portable use),
 * else the platform's per-user data folder: %APPDATA%\vmscope on Windows, ~/Library/Application
 * Support/vmscope on macOS, $XDG_DATA_HOME/vmscope (default ~/.local/share/vmscope) elsewhere.
 */
export function libraryFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): string {
  return join(dataFolder(env, platform, home), 'snapshots');
}

function dataFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.VMSCOPE_DATA_DIR) return env.VMSCOPE_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'vmscope');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'vmscope');
  // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), 'vmscope');
}
