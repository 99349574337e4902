// The one Content-Security-Policy of the renderer, for both shells: `leadlens serve` and the Electron window.

/**
 * Only our own scripts (wasm for tfjs), styles, images and connections. `connectOrigin` is the exact origin the page
 * talks to beyond its own: the serve's event socket (ws://127.0.0.1:PORT) — none for Electron, whose API goes
 * over IPC, so a page there can open no connection to any host at all.
 */
export function contentSecurityPolicy(connectOrigin?: string): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'wasm-unsafe-eval'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `connect-src 'self'${connectOrigin ? ` ${connectOrigin}` : ''}`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `frame-ancestors 'none'`,
    `form-action 'none'`,
  ].join('; ');
}
