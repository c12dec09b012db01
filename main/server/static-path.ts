import path from 'node:path';

/**
 * Path rule for the built workbench (local server and Electron's pulse:// protocol): a URL path names a file
 * inside `root` or nothing. Refused before touching the disk: malformed percent-encoding, NUL, backslashes
 * (a separator elsewhere), `.`/`..` segments after decoding (encoded traversal such as %2e%2e%2f), a `%` that
 * survives decoding (double encoding), and anything that resolves outside `root`.
 */
export function resolveStaticPath(root: string, urlPathname: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (/[\0\\%]/.test(rel)) return null;
  const segments = rel.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return null;
  const file = path.resolve(root, segments.length ? segments.join('/') : 'index.html');
  return file.startsWith(path.resolve(root) + path.sep) ? file : null;
}
