import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CONTRIBUTIONS } from '../../../main/features/index.js';
import { Host } from '../../../main/platform/host/host.js';
import { startServer, type RunningServer } from '../../../main/doors/server/http-server.js';
import { tempDir } from '../../support/temp.js';

/** Raw HTTP so the test controls every header (fetch would fix Host and Origin). */
function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('local server door', () => {
  let host: Host;
  let server: RunningServer;
  let cleanup: () => void;
  let staticDir: string;

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    staticDir = path.join(t.dir, 'static');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>PULSE</title>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(t.dir, 'secret.txt'), 'secret');
    host = Host.open(path.join(t.dir, 'ws'), 'server', CONTRIBUTIONS);
    server = await startServer(host, { port: 0, staticDir });
  });
  afterAll(async () => {
    await server.close();
    await host.close();
    cleanup();
  });

  it('listens on loopback and prints a URL with a per-start token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('answers 401 to every request without the token, the page included', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js']) expect((await request(server.port, { path: p })).status).toBe(401);
    expect((await request(server.port, { method: 'POST', path: '/api/call/app.info', body: '{}' })).status).toBe(401);
    expect((await request(server.port, { path: '/?token=wrong' })).status).toBe(401);
  });

  it('trades the token URL for an HttpOnly SameSite=Strict cookie that authorises later requests', async () => {
    const first = await request(server.port, { path: `/?token=${server.token}` });
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>PULSE</title>');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(first.headers['content-security-policy']).toContain("script-src 'self'");
    const c = cookie.split(';')[0]!;
    expect((await request(server.port, { path: '/assets/app.js', headers: { cookie: c } })).status).toBe(200);
    // A browser always sends Origin on POST; the server requires it with the cookie (doors-attack.test.ts).
    const origin = `http://127.0.0.1:${server.port}`;
    const api = await request(server.port, { method: 'POST', path: '/api/call/app.info', headers: { cookie: c, origin }, body: '{}' });
    expect(JSON.parse(api.body)).toMatchObject({ ok: true, result: { name: 'PULSE Workbench', door: 'server' } });
  });

  it('accepts the bearer token for API calls and validates every payload', async () => {
    const auth = { authorization: `Bearer ${server.token}` };
    const bad = await request(server.port, { method: 'POST', path: '/api/call/jobs.get', headers: auth, body: '{"id":"1; DROP TABLE jobs"}' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('invalid_input');
    const unknown = await request(server.port, { method: 'POST', path: '/api/call/fs.readFile', headers: auth, body: '{}' });
    expect(JSON.parse(unknown.body).error.code).toBe('unknown_method');
    const extra = await request(server.port, { method: 'POST', path: '/api/call/jobs.list', headers: auth, body: '{"sneaky":true}' });
    expect(extra.status).toBe(400);
    const notJson = await request(server.port, { method: 'POST', path: '/api/call/jobs.list', headers: auth, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('rejects a foreign Host header (DNS rebinding) even with the token', async () => {
    const r = await request(server.port, { path: '/assets/app.js', headers: { host: 'evil.example:80', authorization: `Bearer ${server.token}` } });
    expect(r.status).toBe(403);
  });

  it('never serves files outside the built workbench', async () => {
    const r = await request(server.port, { path: '/..%2fsecret.txt', headers: { authorization: `Bearer ${server.token}` } });
    expect(r.status).toBe(400);
    expect(r.body).not.toContain('secret');
  });

  it('stores uploads under the workspace with a safe name', async () => {
    const r = await request(server.port, {
      method: 'POST',
      path: '/api/upload?name=..%2F..%2Fevil%20name.txt',
      headers: { authorization: `Bearer ${server.token}` },
      body: 'hello',
    });
    const p = JSON.parse(r.body).result.path as string;
    expect(p).toBe(path.join(host.workspace.dir, 'uploads', 'evil_name.txt'));
    expect(fs.readFileSync(p, 'utf8')).toBe('hello');
  });

  it('checks WebSocket upgrades by cookie, Origin and Host, then streams host events', async () => {
    const url = `ws://127.0.0.1:${server.port}/api/events`;
    const origin = `http://127.0.0.1:${server.port}`;
    const cookie = `pulse_token=${server.token}`;
    const refused = async (headers: Record<string, string>) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('open', () => {
          ws.close();
          resolve(false);
        });
        ws.on('error', () => resolve(true));
      });
    expect(await refused({ origin })).toBe(true);
    expect(await refused({ cookie, origin: 'http://evil.example' })).toBe(true);
    expect(await refused({ cookie })).toBe(true);
    const ws = new WebSocket(url, { headers: { cookie, origin } });
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<unknown>((resolve) => ws.on('message', (m) => resolve(JSON.parse(String(m)))));
    host.bus.log('info', 'test', 'hello from the host');
    expect(await got).toMatchObject({ topic: 'log', line: { source: 'test', message: 'hello from the host' } });
    ws.close();
  });
});
