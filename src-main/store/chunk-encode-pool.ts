// Encodes level-0 signal chunks on worker threads, one per core: a day-long Holter is hundreds of millions of samples
// and the codec's predictor search is the bulk of storing it. Chunks go round-robin (they are all the same size).
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../start-worker.ts';
import type { ChunkSamples } from './signal-codec.ts';

export interface ChunkEncodeRequest {
  id: number;
  wide: boolean;
  /** The chunk's samples copied to the start of this buffer, transferred to the worker and back with the reply. */
  samples: ArrayBuffer;
  count: number;
}

/** `samples`: the request's buffer, handed back for the next chunk. */
export type ChunkEncodeReply = { id: number; blob: Uint8Array; samples: ArrayBuffer } | { id: number; error: string; samples: ArrayBuffer };

/** Sample buffers kept for reuse: as many as chunks are in flight is enough. */
const SPARE_BUFFERS = 32;

interface Waiting {
  resolve: (blob: Uint8Array) => void;
  reject: (e: Error) => void;
}

export class ChunkEncodePool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;
  /**
   * Buffers the workers gave back. A 24 h Holter is 1 GB of samples: copying each chunk into a fresh buffer made the
   * kernel map (and zero) that much new memory again, page by page; reused buffers are already mapped.
   */
  private readonly spare: ArrayBuffer[] = [];

  constructor(readonly size = Math.max(1, os.availableParallelism())) {
    for (let i = 0; i < size; i++) {
      const w = startWorker('chunk-encode-worker', import.meta.url);
      w.on('message', (m: ChunkEncodeReply) => {
        if (this.spare.length < SPARE_BUFFERS) this.spare.push(m.samples);
        const entry = this.waiting.get(m.id);
        if (!entry) return;
        this.waiting.delete(m.id);
        if ('error' in m) entry.reject(new Error(`could not encode a signal chunk: ${m.error}`));
        else entry.resolve(m.blob);
      });
      w.on('error', (e) => this.fail(new Error(`signal encoding worker crashed: ${e.message.split('\n')[0]}`)));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`signal encoding worker exited with code ${code}`));
      });
      this.workers.push(w);
    }
  }

  /** Every waiting chunk fails with the reason, and so does every later one. */
  private fail(e: Error): void {
    this.failure ??= e;
    for (const entry of this.waiting.values()) entry.reject(this.failure);
    this.waiting.clear();
  }

  /** The encoded chunk (signal-codec.ts encodeChunk), computed on a worker; `samples` is copied, not consumed. */
  encode(samples: ChunkSamples): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('signal encoding pool is closed'));
    const id = this.nextId++;
    const wide = samples instanceof Int32Array;
    const k = this.spare.findIndex((b) => b.byteLength >= samples.byteLength);
    const buffer = k >= 0 ? this.spare.splice(k, 1)[0] : new ArrayBuffer(samples.byteLength);
    (wide ? new Int32Array(buffer, 0, samples.length) : new Int16Array(buffer, 0, samples.length)).set(samples);
    const request: ChunkEncodeRequest = { id, wide, samples: buffer, count: samples.length };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage(request, [request.samples]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fail(new Error('signal encoding pool is closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
