import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { toErrorPayload, UserError } from '../app/errors.js';
import { packageRoot } from '../app/paths.js';
import type { Host } from '../host/host.js';
import { ServerAuth, newToken } from './auth.js';
import { SECURITY_HEADERS } from './security-headers.js';

const MAX_JSON_BODY = 16 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

export interface ServeOptions {
  port: number;
  /** Folder with the built workbench (index.html and assets). */
  staticDir?: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export function defaultStaticDir(): string {
  return path.join(packageRoot(), 'build', 'renderer');
}

/** Uploaded file names become safe file names inside the workspace's uploads/ folder. */
export function safeUploadName(name: string): string {
  const base = path
    .basename(name)
    .replace(/[^\w.-]+/g, '_')
    .replace(/^\.+/, '');
  if (!base) throw new UserError('The uploaded file needs a name.', { hint: 'Pass ?name=FILE' });
  return base.slice(0, 200);
}

/**
 * The local server door: the built workbench and the host API on 127.0.0.1 only, behind a per-start token.
 * `GET /?token=T` sets an HttpOnly SameSite=Strict cookie; API calls may use `Authorization: Bearer T`.
 */
export async function startServer(host: Host, opts: ServeOptions): Promise<RunningServer> {
  const staticDir = path.resolve(opts.staticDir ?? defaultStaticDir());
  const token = opts.token ?? newToken();
  let port = opts.port;
  const auth = new ServerAuth(token, () => port);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => sendError(res, err));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!auth.hostOk(req))
      return sendJson(res, 403, { ok: false, error: { message: 'Wrong Host header.', file: null, line: null, hint: null, code: 'bad_host' } });

    // The one URL that takes the token in the query: it trades it for a cookie.
    const queryToken = url.searchParams.get('token');
    if (url.pathname === '/' && queryToken !== null) {
      if (!auth.tokenOk(queryToken)) return unauthorized(res);
      return serveFile(res, path.join(staticDir, 'index.html'), { 'Set-Cookie': auth.cookieHeader(), 'Cache-Control': 'no-store' });
    }
    if (!auth.requestOk(req)) return unauthorized(res);

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { message: 'Use POST.', file: null, line: null, hint: null, code: 'method' } });
      const method = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      const body = await readJson(req);
      const result = await host.call(method, body);
      return sendJson(res, 200, { ok: true, result: result ?? null });
    }
    if (url.pathname === '/api/upload') {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { message: 'Use POST.', file: null, line: null, hint: null, code: 'method' } });
      const name = safeUploadName(url.searchParams.get('name') ?? '');
      const dir = path.join(host.workspace.dir, 'uploads');
      fs.mkdirSync(dir, { recursive: true });
      const target = path.join(dir, name);
      const tmp = `${target}.uploading`;
      await pipeline(req, fs.createWriteStream(tmp));
      fs.renameSync(tmp, target);
      return sendJson(res, 200, { ok: true, result: { path: target } });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { ok: false, error: { message: 'Method not allowed.', file: null, line: null, hint: null, code: 'method' } });
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(staticDir, rel);
    if (!file.startsWith(staticDir + path.sep))
      return sendJson(res, 404, { ok: false, error: { message: 'Not found', file: null, line: null, hint: null, code: 'not_found' } });
    return serveFile(res, file, { 'Cache-Control': rel === 'index.html' ? 'no-store' : 'max-age=3600' });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/api/events' || !auth.requestOk(req) || !auth.originOk(req)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachEvents(ws));
  });

  function attachEvents(ws: WebSocket): void {
    const dispose = host.bus.onDidEmit((e) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e));
    });
    ws.on('close', dispose);
    ws.on('error', dispose);
    ws.on('message', () => {
      /* events flow one way; calls go through HTTP */
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  host.bus.log('info', 'server', `Serving the workbench on http://127.0.0.1:${port}/`);
  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function unauthorized(res: ServerResponse): void {
  sendJson(res, 401, {
    ok: false,
    error: {
      message: 'This workbench needs its access token.',
      file: null,
      line: null,
      hint: 'Open the URL printed by `pulse serve` (it carries ?token=...).',
      code: 'unauthorized',
    },
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_JSON_BODY) throw new UserError('Request body too large.', { code: 'too_large' });
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new UserError('The request body is not valid JSON.', { code: 'invalid_input' });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  const payload = toErrorPayload(err);
  const status = err instanceof UserError ? (payload.code === 'not_found' ? 404 : 400) : 500;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { ok: false, error: payload });
}

function serveFile(res: ServerResponse, file: string, headers: Record<string, string>): void {
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      if (path.basename(file) === 'index.html') {
        res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
        res.end('The workbench is not built yet: run `npm run build`.');
        return;
      }
      return sendJson(res, 404, { ok: false, error: { message: 'Not found', file: null, line: null, hint: null, code: 'not_found' } });
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': st.size, ...headers });
    fs.createReadStream(file).pipe(res);
  });
}
