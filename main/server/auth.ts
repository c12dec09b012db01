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
