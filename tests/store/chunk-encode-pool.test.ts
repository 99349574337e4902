import { afterAll, describe, expect, it } from 'vitest';
import { ChunkEncodePool } from '../../src-main/store/chunk-encode-pool.ts';
import { decodeChunk, encodeChunk } from '../../src-main/store/signal-codec.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';

const pool = new ChunkEncodePool(2);
afterAll(() => pool.close());

describe('signal chunks encoded on worker threads', () => {
  it('gives the same bytes as encoding in this thread, for real int16 leads and int32 samples, in any completion order', async () => {
    const rec = await readWfdbRecord(dataPath('mitdb', '100.hea'));
    const chunks = rec.leads.flatMap((l) => {
      const d = l.digital;
      return [d.subarray(0, 65536), d.subarray(65536, 131072), d.subarray(d.length - 1001)];
    });
    const wide = Int32Array.from(chunks[0], (v, i) => v * 70000 + (i % 3));
    chunks.push(wide);
    const blobs = await Promise.all(chunks.map((c) => pool.encode(c)));
    blobs.forEach((b, i) => {
      expect(Buffer.from(b).equals(Buffer.from(encodeChunk(chunks[i])))).toBe(true);
      expect(Array.from(decodeChunk(b))).toEqual(Array.from(chunks[i]));
    });
    // The caller's samples are copied, not transferred away.
    expect(chunks[0].length).toBe(65536);
  });

  it('reuses the sample buffers workers hand back without leaking one chunk into the next', async () => {
    const rec = await readWfdbRecord(dataPath('mitdb', '101.hea'));
    const d = rec.leads[0].digital;
    // Long chunks first so their buffers come back, then shorter and int32 chunks written into those buffers.
    const rounds = [
      [d.subarray(0, 65536), d.subarray(65536, 131072)],
      [d.subarray(200_000, 200_700), Int32Array.from(d.subarray(300_000, 310_000), (v) => v * 90001), d.subarray(400_000, 400_100)],
    ];
    for (const chunks of rounds) {
      const blobs = await Promise.all(chunks.map((c) => pool.encode(c)));
      blobs.forEach((b, i) => expect(Buffer.from(b).equals(Buffer.from(encodeChunk(chunks[i])))).toBe(true));
    }
  });

  it('refuses work once closed, with the reason', async () => {
    const p = new ChunkEncodePool(1);
    await p.close();
    await expect(p.encode(new Int16Array(100))).rejects.toThrow(/closed/);
  });
});
