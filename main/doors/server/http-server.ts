import crypto from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { errorStatus, fromSystemError, toErrorPayload, UserError } from '../../base/errors.js';
import { packageRoot } from '../../platform/paths.js';
import type { Host } from '../../platform/host/host.js';
import { assertJsonDepth, MAX_CALL_BYTES, tooLarge } from '../../platform/host/payload-limits.js';
import { ServerAuth, newToken } from './auth.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { resolveWorkbenchPath } from './static-path.js';

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
  /** Largest upload in bytes (default 8 GiB); a larger one is refused with 413 and nothing is kept. */
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 ** 3;

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

/** A refusal the door decides itself, before any handler runs. */
function refusal(code: string, message: string, hint: string | null = null): UserError {
  return new UserError(message, { code, hint: hint ?? undefined });
}

/** Method names are dotted words (review.config.get), checked on the raw path: nothing is percent-decoded. */
const METHOD_NAME = /^[A-Za-z][\w.]{0,99}$/;

/**
 * The local server door: the built workbench and the host API on 127.0.0.1 only, behind a per-start token.
 * `GET /?token=T` sets an HttpOnly SameSite=Strict cookie; API calls may use `Authorization: Bearer T`.
 * Every request must name this server in Host, and any Origin it carries must be this server's (auth.ts).
 * Bodies: API calls at most MAX_CALL_BYTES of JSON, uploads at most maxUploadBytes; larger ones get 413.
 */
export async function startServer(host: Host, opts: ServeOptions): Promise<RunningServer> {
  const staticDir = path.resolve(opts.staticDir ?? defaultStaticDir());
  const token = opts.token ?? newToken();
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  let port = opts.port;
  const auth = new ServerAuth(token, () => port);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => sendError(host, req, res, err));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseUrl(req.url);
    if (!auth.hostOk(req)) throw refusal('bad_host', 'Wrong Host header: this server answers only to 127.0.0.1, localhost or [::1] with its port.');
    const foreign = auth.foreignReason(req);
    if (foreign) throw refusal('bad_origin', foreign, 'Open the workbench from the URL that `pulse serve` printed.');

    // The one URL that takes the token in the query: it trades it for a cookie.
    const queryToken = url.searchParams.get('token');
    if (url.pathname === '/' && queryToken !== null) {
      if (!auth.tokenOk(queryToken)) throw unauthorized();
      return serveFile(res, path.join(staticDir, 'index.html'), { 'Set-Cookie': auth.cookieHeader(), 'Cache-Control': 'no-store' });
    }
    if (!auth.requestOk(req)) throw unauthorized();

    if (url.pathname.startsWith('/api/call/')) {
      assertPost(req, res);
      const method = url.pathname.slice('/api/call/'.length);
      if (!METHOD_NAME.test(method))
        throw refusal('unknown_method', `"${method.slice(0, 100)}" is not a method name.`, 'The methods are listed in common/contract.');
      assertJsonType(req);
      const body = await readJson(req);
      const result = await host.call(method, body);
      return sendJson(res, 200, { ok: true, result: result ?? null });
    }
    if (url.pathname === '/api/upload') {
      assertPost(req, res);
      const name = safeUploadName(url.searchParams.get('name') ?? '');
      const declared = contentLength(req);
      if (declared !== null && declared > maxUpload) throw tooLarge('The upload', declared, maxUpload);
      const dir = path.join(host.workspace.dir, 'uploads');
      fs.mkdirSync(dir, { recursive: true });
      const target = path.join(dir, name);
      // A unique temporary name: two uploads of the same file never write into each other, and a refused or
      // broken upload leaves nothing behind.
      const tmp = path.join(dir, `.${name}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.uploading`);
      try {
        await receive(req, maxUpload, 'The upload', fs.createWriteStream(tmp, { flags: 'wx' }));
        fs.renameSync(tmp, target);
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw err;
      }
      return sendJson(res, 200, { ok: true, result: { path: target } });
    }
    if (url.pathname.startsWith('/api/')) throw refusal('not_found', `No such API route: ${url.pathname.slice(0, 200)}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      throw refusal('method', 'Method not allowed: the workbench files are read with GET.');
    }
    const file = resolveWorkbenchPath(staticDir, packageRoot(), url.pathname);
    if (!file) throw refusal('bad_path', 'This path is not allowed: it leaves the workbench folder or is malformed.');
    return serveFile(res, file, { 'Cache-Control': path.basename(file) === 'index.html' ? 'no-store' : 'max-age=3600' });
  }

  function assertPost(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw refusal('method', `Use POST for ${req.url?.split('?')[0]?.slice(0, 200)}.`);
    }
    if (!auth.writeOriginOk(req)) throw refusal('bad_origin', 'A call with the cookie must come from the workbench page (its Origin header is missing).');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    let ok = false;
    try {
      ok = parseUrl(req.url).pathname === '/api/events' && auth.requestOk(req) && auth.originOk(req);
    } catch {
      ok = false;
    }
    if (!ok) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachEvents(ws));
  });

  function attachEvents(ws: WebSocket): void {
    const subscription = host.bus.onDidEmit((e) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e));
    });
    ws.on('close', () => subscription.dispose());
    ws.on('error', () => subscription.dispose());
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

function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    throw refusal('bad_path', 'The request URL is malformed.');
  }
}

function contentLength(req: IncomingMessage): number | null {
  const v = req.headers['content-length'];
  return v === undefined ? null : Number(v);
}

/** API calls carry JSON; a form or text body is refused (415) rather than guessed at. No type means JSON. */
function assertJsonType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type === undefined) return;
  const mime = type.split(';')[0]!.trim().toLowerCase();
  if (mime !== 'application/json')
    throw refusal(
      'unsupported_media_type',
      `API calls take JSON, not ${mime.slice(0, 100) || 'an empty Content-Type'}.`,
      'Send Content-Type: application/json.',
    );
}

/**
 * Reads a request body into `sink` (a file, or memory for JSON), with backpressure, failing with a 413 UserError
 * once it passes `limit`. It stops reading there but leaves the request open: destroying it would reset the
 * connection under a client that is still sending, which then sees a broken pipe instead of the 413.
 */
function receive(req: IncomingMessage, limit: number, what: string, sink: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = 0;
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      if (err) {
        sink.destroy();
        reject(err);
      } else sink.end(() => resolve());
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > limit) return settle(tooLarge(what, null, limit));
      if (!sink.write(chunk)) {
        req.pause();
        sink.once('drain', () => req.resume());
      }
    };
    const onEnd = (): void => settle();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', settle);
    req.on('close', () => settle(new UserError('The client closed the connection before the body was complete.', { code: 'aborted' })));
    sink.on('error', settle);
  });
}

function unauthorized(): UserError {
  return refusal('unauthorized', 'This workbench needs its access token.', 'Open the URL printed by `pulse serve` (it carries ?token=...).');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = contentLength(req);
  if (declared !== null && declared > MAX_CALL_BYTES) throw tooLarge('The request', declared, MAX_CALL_BYTES);
  const chunks: Buffer[] = [];
  await receive(
    req,
    MAX_CALL_BYTES,
    'The request',
    new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  const body = Buffer.concat(chunks);
  if (body.length === 0) return {};
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw new UserError('The request body is not valid UTF-8.', { code: 'invalid_input', hint: 'Send JSON encoded as UTF-8.' });
  }
  assertJsonDepth(text);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`The request body is not valid JSON: ${(err as Error).message.slice(0, 200)}`, { code: 'invalid_input' });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(text);
}

/**
 * Errors become the JSON envelope: a UserError is a 4xx with its message (errorStatus), anything else a 500
 * that is also logged, since it is a bug. When the request body is still arriving (a refused 50 MB call), the
 * rest is read and dropped first, up to DRAIN_LIMIT: many clients (browsers among them) read no answer before
 * they have sent the whole body, and a connection closed under them shows a reset instead of the 413 and its
 * message. Past the limit, or when the client stalls, the answer goes out at once and the connection closes.
 */
function sendError(host: Host, req: IncomingMessage, res: ServerResponse, caught: unknown): void {
  const err = fromSystemError(caught);
  const status = errorStatus(err);
  if (status >= 500) host.bus.log('error', 'server', `${req.method} ${req.url?.slice(0, 200)} failed: ${(err as Error)?.stack ?? String(err)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const answer = (close: boolean): void => {
    if (res.headersSent || res.destroyed) return;
    sendJson(res, status, { ok: false, error: toErrorPayload(err) }, close ? { Connection: 'close' } : {});
  };
  if (req.complete || req.destroyed) return answer(false);
  const declared = contentLength(req);
  if (declared !== null && declared > DRAIN_LIMIT) return answer(true);
  let drained = 0;
  const stalled = setTimeout(() => answer(true), 10_000);
  stalled.unref();
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > DRAIN_LIMIT) {
      clearTimeout(stalled);
      req.pause();
      answer(true);
    }
  });
  req.on('end', () => {
    clearTimeout(stalled);
    answer(false);
  });
  req.on('close', () => clearTimeout(stalled));
  req.on('error', () => undefined);
  req.resume();
}

/** How much of a refused body is read and dropped before the answer (see sendError). */
const DRAIN_LIMIT = 128 * 1024 * 1024;

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
    // A read error after the headers went out can only cut the connection; it must never throw.
    pipeline(fs.createReadStream(file), res).catch(() => res.destroy());
  });
}
