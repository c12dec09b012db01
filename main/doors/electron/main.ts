/**
 * Electron door: one window over the same host. Runs only where Electron's runtime is installed; on
 * machines without it `npm start` serves the same workbench to a browser instead (scripts/start.mjs).
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, net, protocol, session } from 'electron';
import { pathToFileURL } from 'node:url';
import { defaultWorkspaceDir, packageRoot } from '../../platform/paths.js';
import { CONTRIBUTIONS } from '../../features/index.js';
import { Host } from '../../platform/host/host.js';
import { CONTENT_SECURITY_POLICY } from '../server/security-headers.js';
import { resolveWorkbenchPath } from '../server/static-path.js';
import { answerIpcCall, APP_ORIGIN, APP_SCHEME as SCHEME, isOwnPage } from './ipc-door.js';
import { installSafeStorage } from './safe-storage.js';

const rendererDir = path.join(packageRoot(), 'build', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let host: Host | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'PULSE Workbench',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: path.join(packageRoot(), 'build', 'preload', 'electron-bridge.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // A middle click must not open links in a new window either (window.open is denied below).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!isOwnPage(url)) e.preventDefault();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  installSafeStorage();
  // Serve the built renderer from pulse://app with the same CSP as the local server.
  protocol.handle(SCHEME, async (request) => {
    const file = isOwnPage(request.url) ? resolveWorkbenchPath(rendererDir, packageRoot(), new URL(request.url).pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(res.body, { status: res.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));

  host = Host.open(defaultWorkspaceDir(), 'electron', CONTRIBUTIONS);
  // Only our own page may call the host; ipc-door.ts checks the sender, the size and the contract.
  ipcMain.handle('pulse:call', (event, method: unknown, input: unknown) => answerIpcCall(host!, event.senderFrame?.url, method, input));
  host.bus.onDidEmit((e) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send('pulse:event', e);
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  void host?.close().finally(() => app.quit());
});

void main();
