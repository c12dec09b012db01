/**
 * The Electron door's check and answer for `pulse:call`, kept free of Electron imports so that the door tests
 * run it (main.ts only passes the sender frame's URL along). Same rules as the local server: only our own page,
 * a method name, a plain JSON payload under the size limit, then `host.call`, which validates against the
 * contract; the answer is the HTTP API's envelope plus the status the server would have sent.
 */
import { errorStatus, toErrorPayload, UserError, type ErrorPayload } from '../../base/errors.js';
import type { Host } from '../../platform/host/host.js';
import { assertJsonPayload } from '../../platform/host/payload-limits.js';

export const APP_SCHEME = 'pulse';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export type IpcAnswer = { ok: true; result: unknown } | { ok: false; error: ErrorPayload; status: number };

/** True for URLs of the workbench's own page (pulse://app/...); a prefix test would also pass pulse://app.evil. */
export function isOwnPage(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

export async function answerIpcCall(host: Host, senderUrl: string | null | undefined, method: unknown, input: unknown): Promise<IpcAnswer> {
  try {
    if (!isOwnPage(senderUrl)) throw new UserError('Only the workbench page may call the host.', { code: 'forbidden' });
    if (typeof method !== 'string' || method.length > 100) throw new UserError('The method must be a name from the contract.', { code: 'unknown_method' });
    assertJsonPayload(input);
    return { ok: true, result: (await host.call(method, input)) ?? null };
  } catch (err) {
    const status = errorStatus(err);
    if (status >= 500) host.bus.log('error', 'electron', `pulse:call ${String(method).slice(0, 100)} failed: ${(err as Error).stack ?? String(err)}`);
    return { ok: false, error: toErrorPayload(err), status };
  }
}
