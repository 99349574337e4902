// Converts the raw level-0 chunks of a workspace from before migration 8 to the signal codec, a bounded number of
// chunks per transaction. Resumable: each chunk says its encoding and a cursor (the last record fully converted)
// is committed with each batch, so a re-run continues where a cancelled or killed one stopped.
import type { Database } from 'better-sqlite3';
import { CHUNK_CODEC, CHUNK_RAW } from './record-store.ts';
import { decodeChunk, encodeChunk } from './signal-codec.ts';
import { prepared } from './prepared.ts';
import { writeTransaction } from './write-transaction.ts';

const CURSOR_KEY = 'signal_codec_cursor';

export interface ChunkConversionOptions {
  /** Chunks converted per transaction (default 64: about 8 MB of raw samples). */
  chunksPerTransaction?: number;
  /** Stops between transactions; what is committed stays converted. */
  signal?: AbortSignal;
  onProgress?(recordsDone: number, recordsTotal: number): void;
}

export interface ChunkConversionResult {
  chunksConverted: number;
  rawBytes: number;
  storedBytes: number;
  /** Records whose raw chunks are all converted (in this run). */
  recordsDone: number;
  /** Records still to convert (0 when complete). */
  recordsRemaining: number;
  cancelled: boolean;
  /** Chunks left raw, with the reason (a chunk that does not match its lead's sample type). */
  skipped: { recordId: number; lead: number; chunk: number; reason: string }[];
}

interface RawChunkRow {
  lead_index: number;
  chunk_index: number;
  samples: Buffer;
  sample_type: 'int16' | 'int32';
}

function samplesOf(row: RawChunkRow): Int16Array | Int32Array | undefined {
  const b = row.samples;
  const width = row.sample_type === 'int32' ? 4 : 2;
  if (b.byteLength % width !== 0) return undefined;
  const copy = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  return width === 4 ? new Int32Array(copy) : new Int16Array(copy);
}

/** Records not yet known to be converted (past the cursor), for progress and for deciding whether to run. */
export function recordsToConvert(db: Database): number {
  const cursor = Number(
    (prepared(db, 'SELECT value FROM setting WHERE key = ?').get(CURSOR_KEY) as { value: string } | undefined)?.value ?? 0,
  );
  return (prepared(db, 'SELECT COUNT(*) AS n FROM record WHERE id > ?').get(cursor) as { n: number }).n;
}

export async function convertSignalChunks(db: Database, opts: ChunkConversionOptions = {}): Promise<ChunkConversionResult> {
  const perTransaction = Math.max(1, opts.chunksPerTransaction ?? 64);
  const cursor = Number(
    (prepared(db, 'SELECT value FROM setting WHERE key = ?').get(CURSOR_KEY) as { value: string } | undefined)?.value ?? 0,
  );
  const ids = (prepared(db, 'SELECT id FROM record WHERE id > ? ORDER BY id').all(cursor) as { id: number }[]).map((r) => r.id);
  const result: ChunkConversionResult = {
    chunksConverted: 0,
    rawBytes: 0,
    storedBytes: 0,
    recordsDone: 0,
    recordsRemaining: ids.length,
    cancelled: false,
    skipped: [],
  };
  const rawChunks = prepared(
    db,
    `SELECT c.lead_index, c.chunk_index, c.samples, l.sample_type FROM signal_chunk c
    JOIN lead l ON l.record_id = c.record_id AND l.lead_index = c.lead_index
    WHERE c.record_id = ? AND c.level = 0 AND c.encoding = ${CHUNK_RAW} AND (c.lead_index, c.chunk_index) > (?, ?)
    ORDER BY c.lead_index, c.chunk_index LIMIT ?`,
  );
  const update = prepared(
    db,
    `UPDATE signal_chunk SET samples = ?, encoding = ${CHUNK_CODEC} WHERE record_id = ? AND lead_index = ? AND level = 0 AND chunk_index = ?`,
  );
  const setCursor = prepared(db, 'INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  let i = 0;
  // Position inside the current record: skipped chunks stay raw, so the next batch starts after them.
  let after: [number, number] = [-1, -1];
  while (i < ids.length) {
    if (opts.signal?.aborted) {
      result.cancelled = true;
      break;
    }
    // A busy retry runs the unit again from the same place: restore what a failed attempt advanced.
    const from = {
      i,
      after,
      converted: result.chunksConverted,
      rawBytes: result.rawBytes,
      storedBytes: result.storedBytes,
      done: result.recordsDone,
      remaining: result.recordsRemaining,
      skipped: result.skipped.length,
    };
    writeTransaction(db, () => {
      ({ i, after } = from);
      Object.assign(result, {
        chunksConverted: from.converted,
        rawBytes: from.rawBytes,
        storedBytes: from.storedBytes,
        recordsDone: from.done,
        recordsRemaining: from.remaining,
      });
      result.skipped.length = from.skipped;
      let budget = perTransaction;
      while (i < ids.length && budget > 0) {
        const id = ids[i];
        const rows = rawChunks.all(id, after[0], after[1], budget) as RawChunkRow[];
        for (const row of rows) {
          after = [row.lead_index, row.chunk_index];
          const samples = samplesOf(row);
          if (!samples) {
            result.skipped.push({
              recordId: id,
              lead: row.lead_index,
              chunk: row.chunk_index,
              reason: `${row.samples.byteLength} bytes is not a whole number of ${row.sample_type} samples`,
            });
            continue;
          }
          const blob = encodeChunk(samples);
          // Checked before the raw samples are replaced: a conversion must never lose a sample.
          const back = decodeChunk(blob);
          if (Buffer.compare(Buffer.from(back.buffer, back.byteOffset, back.byteLength), row.samples) !== 0) {
            throw new Error(
              `record ${id} lead ${row.lead_index} chunk ${row.chunk_index}: compressed chunk does not decode to its samples`,
            );
          }
          update.run(blob, id, row.lead_index, row.chunk_index);
          result.chunksConverted++;
          result.rawBytes += row.samples.byteLength;
          result.storedBytes += blob.byteLength;
        }
        budget -= rows.length;
        if (budget > 0) {
          // Fewer rows than asked for: this record has no raw level-0 chunk left.
          setCursor.run(CURSOR_KEY, String(id));
          result.recordsDone++;
          result.recordsRemaining--;
          after = [-1, -1];
          i++;
        }
      }
    });
    opts.onProgress?.(result.recordsDone, ids.length);
    // Yields between transactions so a cancel (and other work on this thread) gets in.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return result;
}
