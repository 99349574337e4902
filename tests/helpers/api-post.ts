// One POST to a running `leadlens serve`'s /api/METHOD, answered as status, content type and the raw body bytes.
import http from 'node:http';

export function postApi(
  port: number,
  method: string,
  params: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: `/api/${method}`, method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(params));
  });
}
