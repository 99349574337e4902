// How `serve` answers a successful API call: JSON `{ result }`, or for the methods that carry samples
// (BINARY_RESULT_METHODS) the result's bytes as application/octet-stream. Errors stay JSON either way.
import type http from 'node:http';
import { hasBinaryResult, type ApiMethod } from '../../src-shared/api.ts';
import { encodeBinaryResult } from '../../src-shared/binary-result.ts';

export function sendApiResult(res: http.ServerResponse, method: ApiMethod, result: unknown): void {
  if (hasBinaryResult(method)) {
    const body = Buffer.from(encodeBinaryResult(result));
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(body.byteLength),
      'Cache-Control': 'no-store',
    });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ result }));
}
