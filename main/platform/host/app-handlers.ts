import os from 'node:os';
import type { Settings } from '../../../common/contract/index.js';
import { doctorReport } from '../doctor.js';
import { appVersion, type Handlers, type Host } from './host.js';

const DEFAULT_SETTINGS: Settings = {
  theme: 'dark',
  threads: Math.max(1, Math.min(os.cpus().length, 8)),
  annotator: os.userInfo().username || 'annotator',
};

export function readSettings(host: Host): Settings {
  return { ...DEFAULT_SETTINGS, ...host.workspace.getSetting<Partial<Settings>>('settings', {}) };
}

export const appHandlers: Handlers<
  'app.info' | 'app.ping' | 'app.doctor' | 'settings.get' | 'settings.update' | 'logs.tail' | 'workspace.switch' | 'workspace.backup'
> = {
  'app.info': (_i, host) => ({ name: 'PULSE Workbench', version: appVersion(), door: host.door, workspace: host.workspace.dir, platform: process.platform }),
  'app.ping': () => ({ ok: true as const }),
  'app.doctor': () => doctorReport(),
  'settings.get': (_i, host) => readSettings(host),
  'settings.update': (input, host) => {
    const next = { ...readSettings(host), ...input };
    host.workspace.setSetting('settings', next);
    return next;
  },
  'logs.tail': (input, host) => ({ lines: host.bus.recentLogs(input.limit) }),
  'workspace.switch': async (input, host) => {
    await host.switchWorkspace(input.dir);
    return { workspace: host.workspace.dir };
  },
  'workspace.backup': (input, host) => host.workspace.backup(input.file),
};
