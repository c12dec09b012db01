#!/usr/bin/env node
// `npm start`: the Electron window when Electron's runtime is installed; otherwise one line saying so, and the
// same workbench served to a browser on 127.0.0.1 (the URL, with its token, is printed).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const bin = require('electron'); // the package exports the binary's path, and throws if it was never downloaded
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const passThrough = process.argv.slice(2);
const electron = electronBinary();
const electronMain = path.join(root, 'build', 'main', 'doors', 'electron', 'main.js');
if (electron && fs.existsSync(electronMain)) {
  const child = spawn(electron, [electronMain, ...passThrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log("Electron's runtime is not installed on this machine, so the workbench opens in your browser instead:");
  const child = spawn(process.execPath, [path.join(root, 'bin', 'pulse.js'), 'serve', ...passThrough], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
