// Encodes level-0 signal chunks on worker threads, one per core: a day-long Holter is hundreds of millions of samples
// and the codec's predictor search is the bulk of storing it. Chunks go round-robin (they are all the same size).
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../start-worker.ts';
import type { ChunkSamples } from './signal-codec.ts';

export interface ChunkEncodeRequest {
  id: number;
  wide: boolean;
  /** A copy of the chunk's samples, transferred to the worker. */
  samples: ArrayBuffer;
}

export type ChunkEncodeReply = { id: number; blob: Uint8Array } | { id: number; error: string };

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

  constructor(readonly size = Math.max(1, os.availableParallelism())) {
    for (let i = 0; i < size; i++) {
      const w = startWorker('chunk-encode-worker', import.meta.url);
      w.on('message', (m: ChunkEncodeReply) => {
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
    const copy = samples.slice();
    const request: ChunkEncodeRequest = { id, wide: copy instanceof Int32Array, samples: copy.buffer as ArrayBuffer };
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
