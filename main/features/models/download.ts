/**
 * Model downloads that survive interruptions: bytes go to `<file>.part`, a small sidecar `<file>.part.json`
 * remembers the URL and validator (ETag / Last-Modified), and a later call (same process or after a restart)
 * resumes with an HTTP Range request. At the end the size and, when given, the SHA-256 are checked before the
 * file is renamed into place.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';

export interface DownloadProgress {
  /** Bytes of the file on disk so far (including a resumed prefix). */
  bytes: number;
  /** Full size when the server says (Content-Length / Content-Range), else null. */
  total: number | null;
  /** Average over the last few seconds of this session. */
  bytesPerSecond: number;
  /** Where this session started (0 = fresh). */
  resumedFrom: number;
}

export interface DownloadOptions {
  /** https URL, or `hf:owner/repo/path/file.gguf` (optionally `hf:owner/repo@revision/file.gguf`). */
  source: string;
  targetDir: string;
  /** Defaults to the URL's last path segment. */
  fileName?: string;
  expectedBytes?: number;
  /** Hex SHA-256 of the whole file. */
  sha256?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Minimum time between progress events (the last one is always sent). Default 250 ms. */
  progressIntervalMs?: number;
  /** Automatic resumes after a dropped connection. Default 3. */
  retries?: number;
  /** Delay before an automatic resume. Default 1000 ms. */
  retryDelayMs?: number;
}

export interface DownloadResult {
  file: string;
  bytes: number;
  sha256: string;
  /** True when an earlier `.part` was continued. */
  resumed: boolean;
  /** True when the file was already complete and nothing was fetched. */
  alreadyPresent: boolean;
}

interface Sidecar {
  url: string;
  etag: string | null;
  lastModified: string | null;
  total: number | null;
  startedAt: string;
}

/** `hf:owner/repo/file.gguf` -> https://huggingface.co/owner/repo/resolve/main/file.gguf; URLs pass through. */
export function resolveModelSource(source: string): { url: string; fileName: string } {
  let url: string;
  if (source.startsWith('hf:')) {
    const m = /^hf:([^/\s]+)\/([^/@\s]+)(?:@([^/\s]+))?\/(.+\.gguf)$/i.exec(source);
    if (!m) {
      throw new UserError(`Not a Hugging Face model reference: ${source}`, {
        hint: 'Write it as hf:owner/repo/file.gguf (or hf:owner/repo@revision/folder/file.gguf).',
        code: 'bad_source',
      });
    }
    const [, owner, repo, rev, file] = m;
    url = `https://huggingface.co/${owner}/${repo}/resolve/${encodeURIComponent(rev ?? 'main')}/${file!.split('/').map(encodeURIComponent).join('/')}`;
  } else {
    let u: URL;
    try {
      u = new URL(source);
    } catch {
      throw new UserError(`Not a URL or hf: reference: ${source}`, { hint: 'Use https://... or hf:owner/repo/file.gguf.', code: 'bad_source' });
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      throw new UserError(`Unsupported protocol ${u.protocol} in ${source}`, { hint: 'Use an http(s) URL.', code: 'bad_source' });
    }
    url = u.toString();
  }
  const fileName = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  return { url, fileName };
}

export function partPaths(file: string): { part: string; sidecar: string } {
  return { part: `${file}.part`, sidecar: `${file}.part.json` };
}

function readSidecar(file: string): Sidecar | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Sidecar;
  } catch {
    return null;
  }
}

async function hashFile(file: string, hash: crypto.Hash, signal?: AbortSignal): Promise<void> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal })) hash.update(chunk as Buffer);
}

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (err as { name?: string })?.name === 'AbortError';
}

function cancelled(file: string): UserError {
  return new UserError('Download cancelled; the part downloaded so far is kept and the next download resumes it.', {
    file,
    code: 'download_cancelled',
  });
}

/** Downloads (or resumes) one file; resolves with the verified file. */
export async function downloadModel(opts: DownloadOptions): Promise<DownloadResult> {
  const { url, fileName: urlName } = resolveModelSource(opts.source);
  const fileName = opts.fileName ?? urlName;
  if (!fileName || fileName.includes('/') || fileName.includes('\\') || fileName === '..') {
    throw new UserError(`Cannot derive a safe file name from ${opts.source}`, { hint: 'Pass fileName explicitly.', code: 'bad_source' });
  }
  fs.mkdirSync(opts.targetDir, { recursive: true });
  const file = path.join(opts.targetDir, fileName);
  const { part, sidecar } = partPaths(file);
  const expectedSha = opts.sha256?.toLowerCase();

  if (fs.existsSync(file)) {
    const size = fs.statSync(file).size;
    if (opts.expectedBytes === undefined || opts.expectedBytes === size) {
      const h = crypto.createHash('sha256');
      await hashFile(file, h, opts.signal);
      const sha = h.digest('hex');
      if (!expectedSha || expectedSha === sha) return { file, bytes: size, sha256: sha, resumed: false, alreadyPresent: true };
    }
    throw new UserError(`${fileName} already exists in ${opts.targetDir} and differs from the expected file.`, {
      file,
      hint: 'Remove or rename it, then download again.',
      code: 'download_exists',
    });
  }

  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (new URL(url).hostname.endsWith('huggingface.co') && process.env.HF_TOKEN && !headers.authorization) {
    headers.authorization = `Bearer ${process.env.HF_TOKEN}`;
  }
  const retries = opts.retries ?? 3;
  let resumedAny = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await downloadOnce(url, file, part, sidecar, headers, opts);
      resumedAny ||= r.resumed;
      return { file, bytes: r.bytes, sha256: r.sha256, resumed: resumedAny, alreadyPresent: false };
    } catch (err) {
      if (isAbort(err, opts.signal)) throw cancelled(file);
      const retryable = !(err instanceof UserError) || err.code === 'download_network';
      if (!retryable || attempt >= retries) throw err;
      resumedAny = true;
      await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 1000));
      if (opts.signal?.aborted) throw cancelled(file);
    }
  }
}

async function downloadOnce(
  url: string,
  file: string,
  part: string,
  sidecarFile: string,
  baseHeaders: Record<string, string>,
  opts: DownloadOptions,
): Promise<{ bytes: number; sha256: string; resumed: boolean }> {
  const previous = readSidecar(sidecarFile);
  let have = fs.existsSync(part) && previous?.url === url ? fs.statSync(part).size : 0;
  if (have === 0) {
    fs.rmSync(part, { force: true });
    fs.rmSync(sidecarFile, { force: true });
  }
  const headers: Record<string, string> = { ...baseHeaders };
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    // If-Range needs a strong validator: a weak ETag never matches, so use Last-Modified then.
    const validator = previous?.etag && !previous.etag.startsWith('W/') ? previous.etag : previous?.lastModified;
    if (validator) headers['if-range'] = validator;
  }

  let res: Response;
  try {
    res = await fetch(url, { headers, signal: opts.signal, redirect: 'follow' });
  } catch (err) {
    if (isAbort(err, opts.signal)) throw err;
    throw new UserError(`Could not reach ${new URL(url).host}: ${(err as Error).message}`, {
      hint: 'Check the network connection; the download resumes where it stopped.',
      code: 'download_network',
    });
  }

  if (res.status === 416 && have > 0) {
    // Range beyond the end: the part may already be complete.
    const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN);
    await res.body?.cancel();
    if (total === have) return finish(file, part, sidecarFile, have, have, opts, true);
    fs.rmSync(part, { force: true });
    fs.rmSync(sidecarFile, { force: true });
    return downloadOnce(url, file, part, sidecarFile, baseHeaders, opts);
  }
  if (!res.ok) {
    await res.body?.cancel();
    const hint =
      res.status === 401 || res.status === 403
        ? 'The file needs access rights: accept the model licence on its page and set HF_TOKEN (or pass an authorization header).'
        : res.status === 404
          ? 'Check the repository and file name (case matters).'
          : 'Try again later.';
    throw new UserError(`Download failed: HTTP ${res.status} ${res.statusText} for ${url}`, {
      hint,
      code: res.status >= 500 ? 'download_network' : 'download_http',
    });
  }

  const resumed = res.status === 206 && have > 0;
  if (!resumed && have > 0) {
    // Server ignored the range (or the file changed, If-Range): start over.
    have = 0;
    fs.rmSync(part, { force: true });
  }
  const lengthHeader = res.headers.get('content-length');
  const rangeTotal = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
  const total = rangeTotal ? Number(rangeTotal) : lengthHeader ? have + Number(lengthHeader) : (opts.expectedBytes ?? null);
  if (opts.expectedBytes !== undefined && total !== null && total !== opts.expectedBytes) {
    await res.body?.cancel();
    throw new UserError(`The server offers ${total} bytes but ${opts.expectedBytes} were expected.`, {
      file,
      hint: 'The file on the server changed or the catalog entry is out of date; check the size or omit it.',
      code: 'download_size_mismatch',
    });
  }
  const sidecar: Sidecar = {
    url,
    etag: res.headers.get('etag'),
    lastModified: res.headers.get('last-modified'),
    total,
    startedAt: previous?.startedAt && resumed ? previous.startedAt : new Date().toISOString(),
  };
  fs.writeFileSync(sidecarFile, JSON.stringify(sidecar));

  const hash = crypto.createHash('sha256');
  if (have > 0) await hashFile(part, hash, opts.signal);

  const fh = await fs.promises.open(part, have > 0 ? 'a' : 'w');
  let bytes = have;
  const interval = opts.progressIntervalMs ?? 250;
  let lastEmit = 0;
  const window: Array<[number, number]> = [[performance.now(), bytes]];
  const emit = (force: boolean): void => {
    const now = performance.now();
    if (!opts.onProgress || (!force && now - lastEmit < interval)) return;
    lastEmit = now;
    window.push([now, bytes]);
    while (window.length > 2 && now - window[0]![0] > 5000) window.shift();
    const [t0, b0] = window[0]!;
    opts.onProgress({ bytes, total, bytesPerSecond: now > t0 ? ((bytes - b0) * 1000) / (now - t0) : 0, resumedFrom: have });
  };
  try {
    if (!res.body) throw new Error('empty response body');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await fh.write(chunk);
      hash.update(chunk);
      bytes += chunk.byteLength;
      emit(false);
    }
  } catch (err) {
    if (isAbort(err, opts.signal)) throw err;
    throw new UserError(`The connection dropped after ${bytes} bytes: ${(err as Error).message}`, {
      file,
      hint: 'Download again to resume from there.',
      code: 'download_network',
    });
  } finally {
    await fh.close();
  }
  emit(true);
  if (total !== null && bytes < total) {
    throw new UserError(`The connection ended after ${bytes} of ${total} bytes.`, { file, hint: 'Download again to resume.', code: 'download_network' });
  }
  return finish(file, part, sidecarFile, bytes, total, opts, resumed, hash);
}

async function finish(
  file: string,
  part: string,
  sidecarFile: string,
  bytes: number,
  total: number | null,
  opts: DownloadOptions,
  resumed: boolean,
  hash?: crypto.Hash,
): Promise<{ bytes: number; sha256: string; resumed: boolean }> {
  if ((total !== null && bytes !== total) || (opts.expectedBytes !== undefined && bytes !== opts.expectedBytes)) {
    fs.rmSync(part, { force: true });
    fs.rmSync(sidecarFile, { force: true });
    throw new UserError(`Downloaded ${bytes} bytes but expected ${opts.expectedBytes ?? total}.`, {
      file,
      hint: 'The partial file was removed; download again.',
      code: 'download_size_mismatch',
    });
  }
  let h = hash;
  if (!h) {
    h = crypto.createHash('sha256');
    await hashFile(part, h, opts.signal);
  }
  const sha256 = h.digest('hex');
  if (opts.sha256 && opts.sha256.toLowerCase() !== sha256) {
    fs.rmSync(part, { force: true });
    fs.rmSync(sidecarFile, { force: true });
    throw new UserError(`Checksum mismatch: got SHA-256 ${sha256}, expected ${opts.sha256.toLowerCase()}.`, {
      file,
      hint: 'The download was corrupted or the file on the server changed; the partial file was removed, download again.',
      code: 'download_checksum',
    });
  }
  fs.renameSync(part, file);
  fs.rmSync(sidecarFile, { force: true });
  return { bytes, sha256, resumed };
}

/** What a later download would resume from (for the UI): null when nothing is pending. */
export function pendingDownload(file: string): { bytes: number; total: number | null; url: string } | null {
  const { part, sidecar } = partPaths(file);
  const s = readSidecar(sidecar);
  if (!s || !fs.existsSync(part)) return null;
  return { bytes: fs.statSync(part).size, total: s.total, url: s.url };
}
