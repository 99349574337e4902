// Worker thread of chunk-encode-pool.ts: encodes the level-0 chunks it is sent and returns each by id.
import { parentPort } from 'node:worker_threads';
import type { ChunkEncodeReply, ChunkEncodeRequest } from './chunk-encode-pool.ts';
import { encodeChunk } from './signal-codec.ts';

const port = parentPort!;
port.on('message', (m: ChunkEncodeRequest) => {
  let reply: ChunkEncodeReply;
  try {
    const blob = encodeChunk(m.wide ? new Int32Array(m.samples, 0, m.count) : new Int16Array(m.samples, 0, m.count));
    reply = { id: m.id, blob, samples: m.samples };
    port.postMessage(reply, [blob.buffer as ArrayBuffer, m.samples]);
  } catch (e) {
    reply = { id: m.id, error: (e as Error).message, samples: m.samples };
    port.postMessage(reply, [m.samples]);
  }
});
