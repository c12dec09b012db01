/**
 * A static file server on 127.0.0.1 that speaks enough HTTP for download tests: ETag, Range / If-Range
 * (206, 416), redirects, optional throttling (to cancel mid-way) and dropped connections.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RangeServerFile {
  body: Buffer;
  etag?: string;
}

export interface RangeServerOptions {
  /** Bytes per write when throttled. Default 64 KiB. */
  chunkBytes?: number;
  /** Pause between writes (ms). Default 0 (no throttling). */
  delayMs?: number;
  /** Destroy the connection after sending this many body bytes (once per request), to simulate a drop. */
  dropAfterBytes?: number;
  /** Answer 200 with the full body even when a Range is asked for. */
  ignoreRange?: boolean;
}

export interface RequestLog {
  method: string;
  path: string;
  range: string | null;
  ifRange: string | null;
  status: number;
}

export interface RangeServer {
  url: string;
  files: Map<string, RangeServerFile>;
  options: RangeServerOptions;
  requests: RequestLog[];
  close(): Promise<void>;
}

export async function startRangeServer(files: Record<string, RangeServerFile>, options: RangeServerOptions = {}): Promise<RangeServer> {
  const map = new Map(Object.entries(files));
  const requests: RequestLog[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const log: RequestLog = {
      method: req.method ?? 'GET',
      path: url.pathname,
      range: req.headers.range ?? null,
      ifRange: (req.headers['if-range'] as string | undefined) ?? null,
      status: 0,
    };
    requests.push(log);
    const reply = (status: number, headers: Record<string, string | number> = {}, body?: Buffer): void => {
      log.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };
    if (url.pathname.startsWith('/redirect/')) {
      reply(302, { location: url.pathname.slice('/redirect'.length) });
      return;
    }
    const f = map.get(url.pathname);
    if (!f) {
      reply(404, { 'content-type': 'text/plain' }, Buffer.from('not found'));
      return;
    }
    const etag = f.etag ?? `"${f.body.length}-v1"`;
    let start = 0;
    let end = f.body.length - 1;
    let status = 200;
    const range = req.headers.range;
    const ifRange = req.headers['if-range'];
    if (range && !options.ignoreRange && (!ifRange || ifRange === etag)) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(range);
      if (!m) {
        reply(400);
        return;
      }
      start = Number(m[1]);
      if (m[2]) end = Math.min(Number(m[2]), end);
      if (start >= f.body.length) {
        reply(416, { 'content-range': `bytes */${f.body.length}` });
        return;
      }
      status = 206;
    }
    const slice = f.body.subarray(start, end + 1);
    const headers: Record<string, string | number> = {
      'content-type': 'application/octet-stream',
      'content-length': slice.length,
      'accept-ranges': 'bytes',
      etag,
    };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${f.body.length}`;
    log.status = status;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const chunk = options.chunkBytes ?? 64 * 1024;
    let sent = 0;
    const drop = options.dropAfterBytes;
    const pump = (): void => {
      if (res.destroyed) return;
      if (sent >= slice.length) {
        res.end();
        return;
      }
      let n = Math.min(chunk, slice.length - sent);
      if (drop !== undefined && sent + n > drop) n = Math.max(0, drop - sent);
      if (n > 0) res.write(slice.subarray(sent, sent + n));
      sent += n;
      if (drop !== undefined && sent >= drop && sent < slice.length) {
        // Let the bytes already written reach the client, then cut the connection.
        setTimeout(() => res.destroy(), 20);
        return;
      }
      if (options.delayMs) setTimeout(pump, options.delayMs);
      else setImmediate(pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files: map,
    options,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
