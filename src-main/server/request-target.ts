// The request target of an HTTP request, parsed before anything else looks at it: a malformed one is a 400,
// never an exception (an absolute URL with port 99999 or a broken %-escape used to kill the process).

export interface RequestTarget {
  /** The decoded path, e.g. '/api/records.list'. */
  path: string;
  query: URLSearchParams;
}

/** Longest request target accepted; Node's header limit (16 KiB) bounds it anyway. */
const MAX_TARGET = 8192;

/**
 * Parses an origin-form target ('/path?query'). Anything else (absolute-form 'http://host/', authority-form,
 * '*', protocol-relative '//host') is refused: this server is no proxy and has one origin.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | { error: string } {
  if (!raw || raw[0] !== '/' || raw.startsWith('//')) return { error: 'request target must be a path starting with /' };
  if (raw.length > MAX_TARGET) return { error: `request target longer than ${MAX_TARGET} characters` };
  let url: URL;
  try {
    url = new URL(raw, 'http://localhost');
  } catch {
    return { error: 'request target is not a valid path' };
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { error: 'request path has a broken percent-encoding' };
  }
  if (path.includes('\0')) return { error: 'request path contains a NUL byte' };
  return { path, query: url.searchParams };
}
