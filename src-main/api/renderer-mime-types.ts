import path from 'node:path';

// The content types of the built renderer's files, for both ways of serving it (serve's HTTP, Electron's app://).
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

export const rendererMimeType = (file: string): string => MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
