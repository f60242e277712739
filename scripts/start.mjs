// `npm start`: the desktop app where Electron's binary is installed; otherwise one line saying
// so, and the browser host instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
if (!existsSync('out/main/index.js') || !existsSync('out/node/cli.js')) {
  const build = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The binary's path, read as electron's own index.js does but without its download attempt:
// since Electron 4x, require('electron') downloads (and prints a stack) when the binary is missing.
function electronPath() {
  const pkg = 'node_modules/electron';
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist'),
    readFileSync(pathFile, 'utf8').trim(),
  );
  return existsSync(binary) ? binary : null;
}

let electron = electronPath();
if (!electron && existsSync('node_modules/electron/install.js') && !process.env.CI) {
  // npm ci skips Electron's download (package.json allowScripts); fetch it now where a network exists.
  spawnSync(process.execPath, ['node_modules/electron/install.js'], {
    stdio: 'ignore',
    timeout: 120_000,
  });
  electron = electronPath();
}

const run = (command, args) => {
  const child = spawn(command, args, { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
};

if (electron) {
  run(electron, ['.']);
} else {
  console.log(
    'vmscope: the Electron binary is not installed (its download failed or was skipped); starting the browser host instead.',
  );
  run(process.execPath, ['bin/vmscope.mjs', 'serve', ...process.argv.slice(2)]);
}
