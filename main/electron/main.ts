/**
 * Electron door: one window over the same host. Runs only where Electron's runtime is installed; on
 * machines without it `npm start` serves the same workbench to a browser instead (scripts/start.mjs).
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, net, protocol, session } from 'electron';
import { pathToFileURL } from 'node:url';
import { toErrorPayload } from '../app/errors.js';
import { defaultWorkspaceDir, packageRoot } from '../app/paths.js';
import { Host } from '../host/host.js';
import { CONTENT_SECURITY_POLICY } from '../server/security-headers.js';
import { installSafeStorage } from './safe-storage.js';

const SCHEME = 'pulse';
const ORIGIN = `${SCHEME}://app`;
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
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(ORIGIN)) e.preventDefault();
  });
  void win.loadURL(`${ORIGIN}/index.html`);
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  installSafeStorage();
  // Serve the built renderer from pulse://app with the same CSP as the local server.
  protocol.handle(SCHEME, async (request) => {
    const rel = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(res.body, { status: res.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));

  host = Host.open(defaultWorkspaceDir(), 'electron');
  ipcMain.handle('pulse:call', async (event, method: unknown, input: unknown) => {
    // Only our own page may call the host; the payload is validated by host.call against the contract.
    if (!event.senderFrame || !event.senderFrame.url.startsWith(ORIGIN)) return { ok: false, error: toErrorPayload(new Error('Forbidden sender')) };
    if (typeof method !== 'string') return { ok: false, error: toErrorPayload(new Error('Method must be a string')) };
    try {
      return { ok: true, result: (await host!.call(method, input)) ?? null };
    } catch (err) {
      return { ok: false, error: toErrorPayload(err) };
    }
  });
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
