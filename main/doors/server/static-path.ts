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

/**
 * Files of the workbench kept outside the renderer build, by URL path, relative to the package root. The icon is
 * linked from index.html as favicon.svg; /favicon.ico is what browsers and other clients ask for unprompted.
 */
const RESOURCE_FILES: Readonly<Record<string, string>> = {
  '/favicon.svg': 'resources/icon.svg',
  '/favicon.ico': 'resources/icon.svg',
};

/** The file a workbench URL path names: one of RESOURCE_FILES under `packageRoot`, else a file of the renderer build. */
export function resolveWorkbenchPath(rendererDir: string, packageRoot: string, urlPathname: string): string | null {
  const resource = Object.prototype.hasOwnProperty.call(RESOURCE_FILES, urlPathname) ? RESOURCE_FILES[urlPathname] : undefined;
  return resource ? path.join(packageRoot, resource) : resolveStaticPath(rendererDir, urlPathname);
}
