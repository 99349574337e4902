// DNS-rebinding guard: which Host (and Origin) headers the server answers. Loopback names always; other names only
// when the user lists them with --allow-host. The check is never switched off, whatever address the server binds.

export const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopbackAddress(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1' || host === 'localhost';
}

/** A name given to --allow-host: a DNS name or an IP address (IPv6 in brackets or bare), no port, no scheme. */
export function normaliseHostName(name: string): string | undefined {
  const n = name.trim().toLowerCase();
  if (/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*$/.test(n)) return n;
  const v6 = /^\[?([0-9a-f:.]+)\]?$/.exec(n);
  if (v6 && v6[1].includes(':')) return `[${v6[1]}]`;
  return undefined;
}

export interface HostPolicy {
  /** The Host header names one of the allowed names with this server's port. */
  hostOk(host: string | undefined): boolean;
  /** No Origin (a non-browser client) or the origin of a page this server served. */
  originOk(origin: string | undefined): boolean;
}

export function hostPolicy(port: number, allowHosts: readonly string[] = []): HostPolicy {
  const names = new Set([...LOOPBACK_NAMES, ...allowHosts]);
  const hosts = new Set([...names].map((n) => `${n}:${port}`));
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  return {
    hostOk: (host) => host !== undefined && hosts.has(host.toLowerCase()),
    originOk: (origin) => origin === undefined || origins.has(origin.toLowerCase()),
  };
}
