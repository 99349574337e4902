// The app's own origin, app://leadlens, served from dist/renderer by a protocol handler instead of file:// (which
// would give every local file the page's origin). Only files inside the renderer folder are ever answered.
import fs from 'node:fs';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'leadlens';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** A page URL of the app: our scheme and host, nothing else (no other host, no credentials, no port). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * The file under `rendererDir` a request URL names, after decoding and resolving symlinks; undefined when the URL is
 * not the app's, cannot be decoded, or lands outside the folder (`..`, encoded `%2e%2e%2f`, a symlink out).
 */
export function appFilePath(rendererDir: string, url: string): string | undefined {
  if (!isAppUrl(url)) return undefined;
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  if (rel.includes('\0')) return undefined;
  const root = fs.realpathSync(rendererDir);
  const wanted = path.resolve(root, rel === '/' ? 'index.html' : rel.replace(/^\/+/, ''));
  let real: string;
  try {
    real = fs.realpathSync(wanted);
  } catch {
    return undefined;
  }
  if (!real.startsWith(root + path.sep) || !fs.statSync(real).isFile()) return undefined;
  return real;
}
