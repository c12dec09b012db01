/** An error a person can act on: what went wrong, where (file, line), and what to do. */
export class UserError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;
  readonly code: string;
  constructor(message: string, opts: { file?: string; line?: number; hint?: string; code?: string } = {}) {
    super(message);
    this.name = 'UserError';
    this.file = opts.file;
    this.line = opts.line;
    this.hint = opts.hint;
    this.code = opts.code ?? 'user_error';
  }
}

export interface ErrorPayload {
  message: string;
  file: string | null;
  line: number | null;
  hint: string | null;
  code: string;
}

export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof UserError) {
    return { message: err.message, file: err.file ?? null, line: err.line ?? null, hint: err.hint ?? null, code: err.code };
  }
  const e = err as { message?: string; code?: string } | undefined;
  return { message: e?.message ?? String(err), file: null, line: null, hint: null, code: e?.code ?? 'internal_error' };
}

export function fromErrorPayload(p: ErrorPayload): UserError {
  return new UserError(p.message, { file: p.file ?? undefined, line: p.line ?? undefined, hint: p.hint ?? undefined, code: p.code });
}
