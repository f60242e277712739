// `npm start`: the desktop app where Electron's binary is installed; otherwise one line saying
// so, and the browser host instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
if (!existsSync('out/main/index.js') || !existsSync('out/node/cli.js')) {
  const build = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function electronPath() {
  try {
    return require('electron');
  } catch {
    return null;
  }
}

let electron = electronPath();
if (!electron && existsSync('node_modules/electron/install.js') && !process.env.CI) {
  // npm ci skips Electron's download (package.json allowScripts); fetch it now where a network exists.
  spawnSync(process.execPath, ['node_modules/electron/install.js'], { stdio: 'ignore', timeout: 120_000 });
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
  console.log('vmscope: the Electron binary is not installed (its download failed or was skipped); starting the browser host instead.');
  run(process.execPath, ['bin/vmscope.mjs', 'serve', ...process.argv.slice(2)]);
}
