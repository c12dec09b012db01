import os from 'node:os';
import path from 'node:path';

/** The platform's application-data folder, the one Electron's app.getPath('appData') returns. */
export function appDataDir(): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support');
    case 'win32':
      return process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
    default:
      return process.env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  }
}

/** Default workspace for every door: PULSE_WORKSPACE, else <appData>/pulse-workbench/workspace. */
export function defaultWorkspaceDir(): string {
  return process.env.PULSE_WORKSPACE ?? path.join(appDataDir(), 'pulse-workbench', 'workspace');
}

/** Repository root (folder holding package.json) from a module inside main/ or build/main/. */
export function packageRoot(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  // main/platform -> root, or build/main/platform -> root
  const up2 = path.resolve(here, '..', '..');
  return path.basename(up2) === 'build' ? path.dirname(up2) : up2;
}
