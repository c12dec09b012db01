import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE_NAME = 'pulse_token';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE_NAME) return v.join('=');
  }
  return null;
}

export function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

/** Loopback server guard: the token (cookie or bearer) and a Host header naming this server (DNS rebinding). */
export class ServerAuth {
  constructor(
    readonly token: string,
    private port: () => number,
  ) {}

  allowedHosts(): string[] {
    const p = this.port();
    return [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`];
  }

  hostOk(req: IncomingMessage): boolean {
    return this.allowedHosts().includes(req.headers.host ?? '');
  }

  originOk(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return false;
    return this.allowedHosts().some((h) => origin === `http://${h}`);
  }

  /**
   * Why a request that a page of another origin made is refused, or null. SameSite cookies do not separate
   * ports (a page on any other port of 127.0.0.1 is same-site and its requests carry the cookie), so the
   * Origin header decides: when a browser sends one it must be ours, with the cookie or the token alike.
   * Fetch metadata covers subresource requests that carry no Origin (Sec-Fetch-Site: same-site/cross-site);
   * top-level navigations stay allowed, since opening the workbench from a link is how it starts.
   */
  foreignReason(req: IncomingMessage): string | null {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originOk(req)) return `Requests from ${origin.slice(0, 200)} are not allowed.`;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none' && req.headers['sec-fetch-mode'] !== 'navigate')
      return `Requests from another site (Sec-Fetch-Site: ${site.slice(0, 50)}) are not allowed.`;
    return null;
  }

  /** Calls that change state: with the cookie alone (a browser) the Origin must be present, as browsers always send it on POST. */
  writeOriginOk(req: IncomingMessage): boolean {
    return this.tokenOk(bearerToken(req)) || this.originOk(req);
  }

  tokenOk(candidate: string | null): boolean {
    return candidate !== null && safeEqual(candidate, this.token);
  }

  requestOk(req: IncomingMessage): boolean {
    return this.hostOk(req) && (this.tokenOk(cookieToken(req)) || this.tokenOk(bearerToken(req)));
  }

  cookieHeader(): string {
    return `${COOKIE_NAME}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
