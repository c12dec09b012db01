import type { ErrorPayload } from '../../common/contract';

/** An error reported by the host, with what a person needs to act on it (file, line, hint). */
export class HostError extends Error {
  readonly payload: ErrorPayload;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'HostError';
    this.payload = payload;
  }
  get code(): string {
    return this.payload.code;
  }
}

/** Any thrown value as an ErrorPayload, so the notification shows the same fields whatever failed. */
export function toPayload(err: unknown): ErrorPayload {
  if (err instanceof HostError) return err.payload;
  const message = err instanceof Error ? err.message : String(err);
  return { message, file: null, line: null, hint: null, code: 'client_error' };
}
