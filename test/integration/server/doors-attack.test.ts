/**
 * Both doors of the host under attack: every method of the contract (listed from common/contract, so a new one
 * is covered without editing this file) through the local server's HTTP API and through the Electron door's
 * `answerIpcCall` (what ipcMain's 'pulse:call' runs; Electron itself cannot run here). Each hostile request must
 * get a 4xx with a message: never a 500, a crash or a hang, and the server keeps answering. Then the auth matrix
 * (token, cookie, Origin, Host) over every route, path traversal, and body limits (413).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, type Method } from '../../../common/contract/index.js';
import { answerIpcCall, isOwnPage } from '../../../main/doors/electron/ipc-door.js';
import { CONTRIBUTIONS } from '../../../main/features/index.js';
import { Host } from '../../../main/platform/host/host.js';
import { MAX_CALL_BYTES } from '../../../main/platform/host/payload-limits.js';
import { startServer, type RunningServer } from '../../../main/doors/server/http-server.js';
import { plausible, plausibleStrings, wrongPayloads, type Payload } from '../../support/contract-payloads.js';
import { tempDir } from '../../support/temp.js';

const METHODS = Object.keys(api) as Method[];
const OWN_PAGE = 'pulse://app/index.html';
const FIFTY_MB = 50 * 1024 * 1024;
const UPLOAD_LIMIT = 1024 * 1024;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Raw HTTP so the test controls every header (fetch would fix Host and Origin). Resolves with the answer even
 * when the server closes the connection while the body is still being sent (a refused upload); a request that
 * gets no answer within 20 s fails the test as a hang.
 */
function send(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string | number>; body?: string | Buffer; chunked?: Buffer; chunks?: number },
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    const timer = setTimeout(() => reject(new Error(`No answer within 20 s: ${opts.method ?? 'GET'} ${opts.path.slice(0, 100)}`)), 20_000);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent: opts.chunked || (opts.body && opts.body.length > 1e6) ? false : agent,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', () => undefined);
      },
    );
    // Once the answer is read the client may drop the connection while its body is still being written: that
    // write error on the socket is expected, and must not surface as an unhandled error.
    req.on('socket', (socket) => socket.on('error', () => undefined));
    req.on('error', (err) => {
      if (!answered) {
        clearTimeout(timer);
        reject(err);
      }
    });
    if (opts.chunked) {
      // Transfer-Encoding: chunked, no Content-Length: the server only finds out by counting.
      const n = opts.chunks ?? 50;
      const size = Math.ceil(opts.chunked.length / n);
      let i = 0;
      const next = (): void => {
        if (answered || req.destroyed) return;
        if (i >= n) return void req.end();
        const ok = req.write(opts.chunked!.subarray(i * size, (i + 1) * size));
        i++;
        if (ok) setImmediate(next);
        else req.once('drain', next);
      };
      next();
    } else req.end(opts.body);
  });
}

/** A 4xx whose body is the error envelope with a message a person can read. */
function expectRefused(a: Answer, what: string): void {
  expect(a.status, `${what}: ${a.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(a.status, `${what}: ${a.body.slice(0, 300)}`).toBeLessThan(500);
  const env = JSON.parse(a.body) as { ok: boolean; error: { message: string; code: string } };
  expect(env.ok, what).toBe(false);
  expect(env.error.message.length, what).toBeGreaterThan(5);
}

describe('the doors under attack', () => {
  let root: string;
  let host: Host;
  let server: RunningServer;
  let cleanup: () => void;
  let staticDir: string;
  let origin: string;
  let bearer: Record<string, string>;
  let cookie: string;
  const previousNoDemo = process.env.PULSE_NO_DEMO;

  beforeAll(async () => {
    // A workspace switched to by a plausible payload must not start the demo job.
    process.env.PULSE_NO_DEMO = '1';
    const t = tempDir();
    cleanup = t.cleanup;
    root = t.dir;
    staticDir = path.join(root, 'static');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>PULSE</title>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET');
    host = Host.open(path.join(root, 'ws'), 'server', CONTRIBUTIONS);
    server = await startServer(host, { port: 0, staticDir, maxUploadBytes: UPLOAD_LIMIT });
    origin = `http://127.0.0.1:${server.port}`;
    bearer = { authorization: `Bearer ${server.token}` };
    cookie = `pulse_token=${server.token}`;
  });
  afterAll(async () => {
    agent.destroy();
    await server?.close();
    await host?.close();
    cleanup?.();
    if (previousNoDemo === undefined) delete process.env.PULSE_NO_DEMO;
    else process.env.PULSE_NO_DEMO = previousNoDemo;
  });

  const call = (method: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    send(server.port, { method: 'POST', path: `/api/call/${method}`, headers: { ...bearer, 'content-type': 'application/json', ...headers }, body });

  const MALFORMED: { label: string; body: string | Buffer; headers?: Record<string, string> }[] = [
    { label: 'truncated JSON', body: '{"a":' },
    { label: 'not JSON', body: 'hello' },
    { label: 'a BOM, then broken JSON', body: '\ufeff{"' },
    { label: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
    { label: 'lone surrogate escape', body: '{"x":"\\ud800"}' },
    { label: 'duplicate keys', body: '{"id":1,"id":"2"}' },
    { label: 'number overflow', body: '{"id":1e999}' },
    { label: 'deep nesting', body: '['.repeat(100_000) + ']'.repeat(100_000) },
    { label: 'deep nesting, unclosed', body: '{"a":'.repeat(200_000) },
    { label: 'JSON null', body: 'null' },
    { label: 'a form post', body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { label: 'text/plain (a CSRF form)', body: '{}', headers: { 'content-type': 'text/plain' } },
    { label: 'multipart', body: '--x\r\n\r\n--x--', headers: { 'content-type': 'multipart/form-data; boundary=x' } },
  ];

  function payloadsFor(method: Method): Payload[] {
    const schema = api[method].input;
    const base = plausible(schema, plausibleStrings(path.join(root, 'missing', 'door-test.txt')));
    return wrongPayloads(schema, base && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {});
  }

  it('derives every method from the contract and has wrongly typed payloads for each', () => {
    expect(METHODS.length).toBeGreaterThan(60);
    for (const m of METHODS) expect(payloadsFor(m).length, m).toBeGreaterThan(3);
  });

  it.each(METHODS)('%s: malformed and wrongly typed payloads get a 4xx with a message, through HTTP and IPC', async (method) => {
    for (const m of MALFORMED) {
      const a = await call(method, m.body, m.headers);
      if (m.label === 'JSON null' && a.status === 200) continue; // never: null is not an object
      expectRefused(a, `${method} ${m.label}`);
    }
    for (const p of payloadsFor(method)) {
      expectRefused(await call(method, JSON.stringify(p.body)), `${method} ${p.label}`);
      const ipc = await answerIpcCall(host, OWN_PAGE, method, p.body);
      expect(ipc.ok, `IPC ${method} ${p.label}`).toBe(false);
      if (!ipc.ok) {
        expect(ipc.status, `IPC ${method} ${p.label}: ${ipc.error.message}`).toBeGreaterThanOrEqual(400);
        expect(ipc.status, `IPC ${method} ${p.label}: ${ipc.error.message}`).toBeLessThan(500);
        expect(ipc.error.message.length).toBeGreaterThan(5);
      }
    }
  });

  it('every method: a 50 MB body is refused with 413 and a message, whether its size is declared or not', async () => {
    const big = Buffer.alloc(FIFTY_MB, 'a');
    for (const method of METHODS) {
      const declared = await send(server.port, { method: 'POST', path: `/api/call/${method}`, headers: { ...bearer, 'content-length': FIFTY_MB }, body: big });
      expectRefused(declared, `${method} 50 MB declared`);
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body).error.message).toMatch(/too large.*limit is 16 MiB/);
    }
    // Chunked (no Content-Length): the server counts and stops at the limit. A few methods suffice: the
    // counting is the same code for all, and each case streams 16 MiB through the parser.
    for (const method of [METHODS[0]!, 'review.decide', 'space.embed']) {
      const chunked = await send(server.port, { method: 'POST', path: `/api/call/${method}`, headers: { ...bearer }, chunked: big });
      expect(chunked.status, `${method} chunked`).toBe(413);
    }
    // A body just under the limit is read and validated (400), not refused for its size.
    const justUnder = JSON.stringify({ texts: ['a'.repeat(MAX_CALL_BYTES - 100)] });
    expect((await call('space.embed', justUnder)).status).toBe(400);
    expect((await call('app.ping', '{}')).status).toBe(200);
    // A UTF-8 byte order mark before the JSON is tolerated on purpose (RFC 8259 allows ignoring it).
    expect((await call('app.ping', '\ufeff{}')).status).toBe(200);
  });

  it('IPC: a 50 MB payload, non-JSON values, cycles, a foreign sender and a bad method name are refused', async () => {
    const refused = async (sender: string | undefined, method: unknown, input: unknown, status: number) => {
      const a = await answerIpcCall(host, sender, method, input);
      expect(a.ok).toBe(false);
      if (!a.ok) {
        expect(a.status).toBe(status);
        expect(a.error.message.length).toBeGreaterThan(5);
      }
    };
    await refused(OWN_PAGE, 'templates.save', { name: 'big', body: 'x'.repeat(FIFTY_MB) }, 413);
    await refused(OWN_PAGE, 'space.embed', { id: 1, tower: 'behaviour', texts: new Array(2_000_000).fill('abcdefghij') }, 413);
    const cyclic: Record<string, unknown> = { id: 1 };
    cyclic.self = cyclic;
    await refused(OWN_PAGE, 'jobs.get', cyclic, 400);
    const fan: unknown[] = [];
    fan.push(fan, fan);
    await refused(OWN_PAGE, 'jobs.get', { id: fan }, 400);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await refused(OWN_PAGE, 'jobs.get', { id: deep }, 400);
    for (const v of [new Map([['id', 1]]), new Date(), new Uint8Array(4), { id: 1n }, { id: NaN }, { id: () => 1 }, [new Set()]])
      await refused(OWN_PAGE, 'jobs.get', v, 400);
    for (const sender of [
      undefined,
      '',
      'https://evil.example/',
      'pulse://app.evil/index.html',
      'pulse://evil@app/',
      'file:///index.html',
      'http://127.0.0.1:1/',
    ])
      await refused(sender, 'app.info', {}, 403);
    for (const m of [undefined, 42, { toString: () => 'app.info' }, 'x'.repeat(1000), 'fs.readFile', '__proto__', 'constructor', 'toString'])
      await refused(OWN_PAGE, m, {}, 404);
    expect(isOwnPage('pulse://app/index.html')).toBe(true);
    expect(await answerIpcCall(host, OWN_PAGE, 'app.ping', {})).toEqual({ ok: true, result: { ok: true } });
  });

  it('payloads of the right shape that name missing things get 2xx or 4xx, never a 500 (HTTP and IPC)', async () => {
    const strings = plausibleStrings(path.join(root, 'missing', 'door-test.txt'));
    const existingDir = path.join(root, 'a-folder');
    fs.mkdirSync(existingDir, { recursive: true });
    const garbage = path.join(root, 'garbage.bin');
    fs.writeFileSync(garbage, Buffer.from([0, 1, 2, 255, 254, 10, 13, 0, 0x7b]));
    const variants = [strings, [existingDir, ...strings.slice(1)], [garbage, ...strings.slice(1)]];
    const problems: string[] = [];
    // workspace.switch last: it moves the host to another (fresh) workspace.
    const order = [...METHODS.filter((m) => m !== 'workspace.switch'), 'workspace.switch' as Method];
    for (const method of order) {
      for (const v of variants) {
        const body = plausible(api[method].input, v);
        if (!api[method].input.safeParse(body).success) continue;
        const a = await call(method, JSON.stringify(body), { origin });
        if (a.status >= 500 || a.status === 0) problems.push(`HTTP ${method} ${JSON.stringify(body).slice(0, 160)} -> ${a.status} ${a.body.slice(0, 300)}`);
        else if (a.status >= 400) expectRefused(a, `${method} ${JSON.stringify(body)}`);
        const ipc = await answerIpcCall(host, OWN_PAGE, method, body);
        if (!ipc.ok && ipc.status >= 500)
          problems.push(`IPC ${method} ${JSON.stringify(body).slice(0, 160)} -> ${ipc.status} ${ipc.error.message.slice(0, 300)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the auth matrix over every route: wrong or missing token, foreign Origin or Host (with cookie or token) are refused', async () => {
    const routes = [
      ...METHODS.map((m) => ({ path: `/api/call/${m}`, method: 'POST' })),
      { path: '/api/upload?name=x.txt', method: 'POST' },
      { path: '/index.html', method: 'GET' },
      { path: '/assets/app.js', method: 'GET' },
    ];
    const own = { origin };
    const cases: { label: string; headers: Record<string, string>; status: number }[] = [
      { label: 'no token', headers: own, status: 401 },
      { label: 'wrong bearer', headers: { ...own, authorization: `Bearer ${server.token}x` }, status: 401 },
      { label: 'empty bearer', headers: { ...own, authorization: 'Bearer ' }, status: 401 },
      { label: 'token as Basic', headers: { ...own, authorization: `Basic ${server.token}` }, status: 401 },
      { label: 'wrong cookie', headers: { ...own, cookie: 'pulse_token=nope' }, status: 401 },
      { label: 'token in the query of an API call', headers: own, status: 401 },
      { label: 'foreign Origin with the cookie', headers: { cookie, origin: 'http://evil.example' }, status: 403 },
      { label: 'foreign Origin with the token', headers: { ...bearer, origin: 'http://evil.example' }, status: 403 },
      { label: 'another port of 127.0.0.1 with the cookie', headers: { cookie, origin: `http://127.0.0.1:${server.port + 1}` }, status: 403 },
      { label: 'https origin with the cookie', headers: { cookie, origin: `https://127.0.0.1:${server.port}` }, status: 403 },
      { label: 'Origin null with the cookie', headers: { cookie, origin: 'null' }, status: 403 },
      { label: 'same-site fetch metadata with the cookie', headers: { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' }, status: 403 },
      { label: 'cross-site fetch metadata with the token', headers: { ...bearer, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }, status: 403 },
      { label: 'foreign Host with the cookie', headers: { cookie, origin, host: 'evil.example' }, status: 403 },
      { label: 'foreign Host with the token', headers: { ...bearer, host: `evil.example:${server.port}` }, status: 403 },
      { label: 'rebinding Host (right port, wrong name)', headers: { ...bearer, host: `attacker.127.0.0.1.nip.io:${server.port}` }, status: 403 },
    ];
    for (const r of routes) {
      for (const c of cases) {
        const p = c.label.startsWith('token in the query') ? `${r.path}${r.path.includes('?') ? '&' : '?'}token=${server.token}` : r.path;
        const a = await send(server.port, {
          method: r.method,
          path: p,
          headers: { 'content-type': 'application/json', ...c.headers },
          body: r.method === 'POST' ? '{}' : undefined,
        });
        expect(a.status, `${r.method} ${r.path} ${c.label}`).toBe(c.status);
        expect(a.body, `${r.path} ${c.label}`).not.toContain('TOP-SECRET');
      }
    }
    // What the workbench page itself sends is allowed: the cookie with its own Origin (or localhost's).
    const page = await send(server.port, {
      method: 'POST',
      path: '/api/call/app.ping',
      headers: { cookie, origin, 'sec-fetch-site': 'same-origin' },
      body: '{}',
    });
    expect(page.status).toBe(200);
    const local = await send(server.port, {
      method: 'POST',
      path: '/api/call/app.ping',
      headers: { cookie, host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` },
      body: '{}',
    });
    expect(local.status).toBe(200);
    // With the cookie alone a call must carry the page's Origin (browsers always send it on POST).
    expect((await send(server.port, { method: 'POST', path: '/api/call/app.ping', headers: { cookie }, body: '{}' })).status).toBe(403);
    // Opening the workbench from a link (a top-level navigation) stays possible.
    const nav = await send(server.port, { path: `/?token=${server.token}`, headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
    expect(nav.status).toBe(200);
    // The event stream: the token alone is not enough without the page's Origin, and a foreign one is refused.
    for (const headers of [
      { authorization: `Bearer ${server.token}`, origin: 'http://evil.example' },
      { cookie, origin: 'null' },
      { cookie, origin, host: 'evil.example' },
    ]) {
      const refused = await new Promise<boolean>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers });
        ws.on('open', () => {
          ws.close();
          resolve(false);
        });
        ws.on('error', () => resolve(true));
      });
      expect(refused, JSON.stringify(headers)).toBe(true);
    }
  });

  it('path traversal is refused: plain, percent-encoded, double-encoded, backslashes, NUL, malformed escapes', async () => {
    const attempts = [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..%252fsecret.txt',
      '/..\\secret.txt',
      '/..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      '/index.html%00.js',
      '/%00',
      '/%E0%A4%A',
      '/%',
      `/${'..%2f'.repeat(40)}etc/passwd`,
      '//etc/passwd',
      '/api/call/..%2f..%2fsecret.txt',
      '/api/call/%E0%A4%A',
      '/api/call/app.info%00',
      '/api/call/app.info/../../secret.txt',
      '/api/upload/../../secret.txt',
    ];
    for (const p of attempts) {
      for (const method of ['GET', 'POST']) {
        const a = await send(server.port, { method, path: p, headers: { ...bearer }, body: method === 'POST' ? '{}' : undefined });
        expect(a.status, `${method} ${p}: ${a.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(a.status, `${method} ${p}`).toBeLessThan(500);
        expect(a.body, p).not.toContain('TOP-SECRET');
        expect(a.body, p).not.toContain('root:');
      }
    }
    // Upload names cannot leave the uploads folder either.
    for (const name of ['../../secret.txt', '..%2F..%2Fx', '..\\..\\x', '%2e%2e', '.', '..', '/etc/passwd', 'a/../../b', '\u0000x']) {
      const a = await send(server.port, { method: 'POST', path: `/api/upload?name=${encodeURIComponent(name)}`, headers: bearer, body: 'data' });
      if (a.status === 200) {
        const saved = JSON.parse(a.body).result.path as string;
        expect(path.dirname(saved), name).toBe(path.join(host.workspace.dir, 'uploads'));
      } else expectRefused(a, `upload ${name}`);
    }
    expect(fs.readFileSync(path.join(root, 'secret.txt'), 'utf8')).toBe('TOP-SECRET');
  });

  it('uploads: over the limit is refused with 413 (declared or counted) and leaves no file behind', async () => {
    const uploads = path.join(host.workspace.dir, 'uploads');
    const before = fs.existsSync(uploads) ? fs.readdirSync(uploads).sort() : [];
    const big = Buffer.alloc(FIFTY_MB, 'b');
    const declared = await send(server.port, {
      method: 'POST',
      path: '/api/upload?name=big.txt',
      headers: { ...bearer, 'content-length': FIFTY_MB },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.message).toMatch(/upload is too large/);
    const counted = await send(server.port, { method: 'POST', path: '/api/upload?name=big.txt', headers: bearer, chunked: big });
    expect(counted.status).toBe(413);
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads).sort() : []).toEqual(before);
    // Just under the limit lands whole.
    const ok = await send(server.port, { method: 'POST', path: '/api/upload?name=ok.txt', headers: bearer, body: Buffer.alloc(UPLOAD_LIMIT, 'c') });
    expect(ok.status).toBe(200);
    expect(fs.statSync(path.join(uploads, 'ok.txt')).size).toBe(UPLOAD_LIMIT);
    // A declared size past what the server drains is answered at once (and the connection closed).
    const huge = await send(server.port, {
      method: 'POST',
      path: '/api/upload?name=huge.txt',
      headers: { ...bearer, 'content-length': 64 * 1024 ** 3 },
      body: 'x',
    });
    expect(huge.status).toBe(413);
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads).sort() : []).toEqual([...before, 'ok.txt'].sort());
    // GET on the upload route is not an upload.
    expect((await send(server.port, { path: '/api/upload?name=x', headers: bearer })).status).toBe(405);
  });

  it('after all of it the server still answers quickly', async () => {
    const t0 = performance.now();
    const a = await call('app.ping', '{}');
    expect(a.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
