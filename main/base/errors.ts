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

/** Node's errors about a path the caller named: the caller can fix them, so they become UserErrors. */
const PATH_ERRORS: Record<string, { message: string; hint: string }> = {
  ENOENT: { message: 'No such file or folder', hint: 'Check the path; it is read on the machine the workbench runs on.' },
  ENOTDIR: { message: 'A part of the path is not a folder', hint: 'Check the path.' },
  EISDIR: { message: 'Expected a file but found a folder', hint: 'Name a file inside the folder.' },
  EACCES: { message: 'Permission denied', hint: 'Choose a path this user may read (or write).' },
  EPERM: { message: 'Operation not permitted', hint: 'Choose a path this user may read (or write).' },
  EEXIST: { message: 'The path already exists', hint: 'Choose a new path or remove the old one first.' },
  ENAMETOOLONG: { message: 'The path is too long', hint: 'Choose a shorter path.' },
  ELOOP: { message: 'Too many symbolic links in the path', hint: 'Check the path.' },
  EROFS: { message: 'The file system is read-only', hint: 'Choose a writable folder.' },
  ENOSPC: { message: 'No space left on the device', hint: 'Free some disk space and try again.' },
};

/** A UserError for a Node file-system error (ENOENT and the like); anything else is returned as is. */
export function fromSystemError(err: unknown): unknown {
  if (err instanceof UserError || typeof err !== 'object' || err === null) return err;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  const known = e.code ? PATH_ERRORS[e.code] : undefined;
  if (!known) return err;
  const where = e.dest ? `${e.path} -> ${e.dest}` : e.path;
  return new UserError(where ? `${known.message}: ${where}` : `${known.message} (${e.syscall ?? 'fs'}).`, {
    file: e.path,
    hint: known.hint,
    code: `fs_${e.code!.toLowerCase()}`,
  });
}

const STATUS_BY_CODE: Record<string, number> = {
  unauthorized: 401,
  bad_host: 403,
  bad_origin: 403,
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  fs_enoent: 404,
  method: 405,
  duplicate_name: 409,
  too_large: 413,
  unsupported_media_type: 415,
};

/**
 * The HTTP status of an error at a door: a UserError (the caller can act on it) is a 4xx, anything else is a
 * 500, which the door tests treat as a bug. The Electron door has no statuses but uses the same split.
 */
export function errorStatus(err: unknown): number {
  if (!(err instanceof UserError)) return 500;
  return STATUS_BY_CODE[err.code] ?? 400;
}
