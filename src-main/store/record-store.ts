import type { Database } from 'better-sqlite3';
import type { DeviceReading, EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { deviceReadingView } from '../formats/representative-beats.ts';
import type { ReviewState } from '../../src-shared/review-vocabulary.ts';
import type { RecordDetail, RecordSummary, SignalWindow } from '../../src-shared/api.ts';
import { signalContentHash } from './content-hash.ts';
import { bucketSize, buildPyramid } from './signal-pyramid.ts';
import { effectiveLabels } from './label-store.ts';
import { prepared } from './prepared.ts';
import { writeTransaction } from './write-transaction.ts';
import { chunkInfo, decodeChunkInto, encodeChunk } from './signal-codec.ts';
import { ChunkEncodePool } from './chunk-encode-pool.ts';

/** Values per stored chunk (raw samples, or min/max values in pyramid levels). */
export const CHUNK_VALUES = 1 << 16;

export interface RecordSourceInfo {
  path: string;
  format: string;
}

export interface StoredRecordResult {
  recordId: number;
  duplicate: boolean;
}

/** signal_chunk.encoding: raw little-endian samples (pyramid levels, and level 0 of workspaces not yet converted). */
export const CHUNK_RAW = 0;
/** signal_chunk.encoding: signal-codec.ts (level 0 since migration 8). */
export const CHUNK_CODEC = 1;

/** Records with more samples than this (all leads) have their chunks staged in bounded transactions (stageRecordSignal). */
export const STAGED_SIGNAL_SAMPLES = 1 << 23;
/** Chunks per transaction while staging: small enough to keep the WAL small, large enough that commits are rare. */
const STAGED_CHUNKS_PER_TRANSACTION = 96;

function toBlob(a: Int16Array | Int32Array, start: number, end: number): Buffer {
  return Buffer.from(a.buffer, a.byteOffset + start * a.BYTES_PER_ELEMENT, (end - start) * a.BYTES_PER_ELEMENT);
}

type PutChunk = (lead: number, level: number, chunk: number, blob: Uint8Array, encoding: number) => void;

/** Every chunk of a lead: level 0 compressed, the min/max pyramid raw (it is small and read as is). */
function writeLeadChunks(put: PutChunk, lead: number, digital: Int16Array | Int32Array): void {
  for (let c = 0, start = 0; start < digital.length; c++, start += CHUNK_VALUES) {
    put(lead, 0, c, encodeChunk(digital.subarray(start, Math.min(digital.length, start + CHUNK_VALUES))), CHUNK_CODEC);
  }
  writePyramidChunks(put, lead, digital);
}

function writePyramidChunks(put: PutChunk, lead: number, digital: Int16Array | Int32Array): void {
  buildPyramid(digital).forEach((values, k) => {
    for (let c = 0, start = 0; start < values.length; c++, start += CHUNK_VALUES) {
      put(lead, k + 1, c, toBlob(values, start, Math.min(values.length, start + CHUNK_VALUES)), CHUNK_RAW);
    }
  });
}

const INSERT_CHUNK = 'INSERT INTO signal_chunk (record_id, lead_index, level, chunk_index, samples, encoding) VALUES (?, ?, ?, ?, ?, ?)';

/** The next record id, past both stored records and ids reserved by records being staged. */
function nextRecordId(db: Database): number {
  const row = prepared(
    db,
    'SELECT MAX(COALESCE((SELECT MAX(id) FROM record), 0), COALESCE((SELECT MAX(record_id) FROM record_staging), 0)) + 1 AS id',
  ).get() as { id: number };
  return row.id;
}

/** A large record's signal written ahead of its record row (see stageRecordSignal). */
export interface StagedSignal {
  recordId: number;
  contentHash: string;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes the chunks and reservation of a staged signal whose record was not stored (failed, or superseded). */
export function discardStagedSignal(db: Database, recordId: number): void {
  writeTransaction(db, () => {
    if (!prepared(db, 'SELECT 1 FROM record_staging WHERE record_id = ?').get(recordId)) return;
    prepared(db, 'DELETE FROM signal_chunk WHERE record_id = ?').run(recordId);
    prepared(db, 'DELETE FROM record_staging WHERE record_id = ?').run(recordId);
  });
}

/** Removes what stores interrupted by a crash or kill left behind (their process is gone). Returns how many. */
export function cleanUpStagedSignals(db: Database): number {
  const rows = prepared(db, 'SELECT record_id, pid FROM record_staging').all() as { record_id: number; pid: number }[];
  let n = 0;
  for (const r of rows) {
    if (r.pid !== process.pid && processAlive(r.pid)) continue;
    if (r.pid === process.pid) continue; // ours: discarded by the code that staged it
    discardStagedSignal(db, r.record_id);
    n++;
  }
  return n;
}

/** Level-0 chunks being encoded ahead of their insert, per worker: enough to keep every worker busy, few enough to bound memory. */
const ENCODING_AHEAD_PER_WORKER = 4;

/**
 * Writes a large record's chunks before the record itself, in transactions of a bounded number of chunks each
 * followed by a passive checkpoint, so a 24 h Holter neither grows the WAL to its own size nor is written
 * through it in one piece. Level-0 chunks are encoded on worker threads (`pool`, or one started for this call) while
 * this thread builds the pyramid and writes. Nothing is visible to readers until storeRecord(..., staged) commits the
 * record row; until then the id is reserved in record_staging. Undefined when the content is already stored (a
 * duplicate). Must be called outside a transaction. The caller stores the record with the result, or discards it.
 */
export function stageRecordSignal(
  db: Database,
  record: EcgRecord,
  contentHash = signalContentHash(record),
  pool?: ChunkEncodePool,
): Promise<StagedSignal | undefined> {
  // Thrown here rather than as a rejection: calling it inside a transaction is a programming error.
  if (db.inTransaction) throw new Error('stageRecordSignal must run outside a transaction');
  return stageChunks(db, record, contentHash, pool);
}

async function stageChunks(
  db: Database,
  record: EcgRecord,
  contentHash: string,
  pool?: ChunkEncodePool,
): Promise<StagedSignal | undefined> {
  cleanUpStagedSignals(db);
  const recordId = writeTransaction(db, () => {
    if (prepared(db, 'SELECT 1 FROM record WHERE content_hash = ?').get(contentHash)) return undefined;
    const id = nextRecordId(db);
    prepared(db, 'INSERT INTO record_staging (record_id, content_hash, pid, started_at) VALUES (?, ?, ?, ?)').run(
      id,
      contentHash,
      process.pid,
      new Date().toISOString(),
    );
    return id;
  });
  if (recordId === undefined) return undefined;
  const encoders = pool ?? new ChunkEncodePool();
  try {
    const insChunk = prepared(db, INSERT_CHUNK);
    let batch: [number, number, number, Uint8Array, number][] = [];
    const put: PutChunk = (lead, level, chunk, blob, encoding) => {
      batch.push([lead, level, chunk, blob, encoding]);
      if (batch.length < STAGED_CHUNKS_PER_TRANSACTION) return;
      const rows = batch;
      batch = [];
      commitStagedChunks(db, () => {
        for (const r of rows) insChunk.run(recordId, ...r);
      });
    };
    const ahead: { lead: number; chunk: number; blob: Promise<Uint8Array> }[] = [];
    const settleOne = async (): Promise<void> => {
      const next = ahead.shift()!;
      put(next.lead, 0, next.chunk, await next.blob, CHUNK_CODEC);
    };
    try {
      for (let i = 0; i < record.leads.length; i++) {
        const digital = record.leads[i].digital;
        for (let c = 0, start = 0; start < digital.length; c++, start += CHUNK_VALUES) {
          ahead.push({ lead: i, chunk: c, blob: encoders.encode(digital.subarray(start, Math.min(digital.length, start + CHUNK_VALUES))) });
          if (ahead.length >= ENCODING_AHEAD_PER_WORKER * encoders.size) await settleOne();
        }
        writePyramidChunks(put, i, digital);
      }
      while (ahead.length) await settleOne();
    } finally {
      // A failed chunk leaves the rest settling: none may surface later as an unhandled rejection.
      for (const a of ahead) a.blob.catch(() => undefined);
    }
    if (batch.length) {
      const rows = batch;
      commitStagedChunks(db, () => {
        for (const r of rows) insChunk.run(recordId, ...r);
      });
    }
  } catch (e) {
    discardStagedSignal(db, recordId);
    throw e;
  } finally {
    if (!pool) await encoders.close();
  }
  return { recordId, contentHash };
}

/**
 * One bounded transaction of staged chunks, then a passive checkpoint. The chunks reference a record row that does
 * not exist yet, so foreign keys are off for this transaction only (they are checked when the record is stored).
 */
function commitStagedChunks(db: Database, insert: () => void): void {
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    writeTransaction(db, insert);
  } finally {
    db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  }
  db.pragma('wal_checkpoint(PASSIVE)');
}

/**
 * Stores a record, or adds a source to the one with the same signal content.
 * Call inside a transaction (the ingest pipeline wraps a whole file in one) — this does not open its own
 * so that a file's records, labels and bookkeeping commit together or not at all.
 * `staged`: the record's chunks already written by stageRecordSignal; this adds the record row that makes them visible
 * (a staged signal whose content turned out to be stored meanwhile is dropped here, in the same transaction).
 */
export function storeRecord(
  db: Database,
  record: EcgRecord,
  source: RecordSourceInfo,
  now = new Date().toISOString(),
  hash?: string,
  staged?: StagedSignal,
): StoredRecordResult {
  const contentHash = hash ?? staged?.contentHash ?? signalContentHash(record);
  const existing = prepared(db, 'SELECT id FROM record WHERE content_hash = ?').get(contentHash) as { id: number } | undefined;
  if (staged) {
    if (staged.contentHash !== contentHash) throw new Error('staged signal belongs to other content');
    if (existing) prepared(db, 'DELETE FROM signal_chunk WHERE record_id = ?').run(staged.recordId);
    prepared(db, 'DELETE FROM record_staging WHERE record_id = ?').run(staged.recordId);
  }
  let recordId: number;
  if (existing) {
    recordId = existing.id;
  } else {
    recordId = staged?.recordId ?? nextRecordId(db);
    prepared(
      db,
      `INSERT INTO record (id, content_hash, record_name, format, patient_id, sampling_rate, length, lead_count, start_time, age, sex, attributes, device, warnings, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      recordId,
      contentHash,
      record.recordName,
      record.format,
      record.patientId ?? null,
      record.samplingRate,
      record.length,
      record.leads.length,
      record.startTime ?? null,
      record.age ?? null,
      record.sex ?? null,
      JSON.stringify(record.attributes),
      record.device ? JSON.stringify(record.device) : null,
      record.warnings?.length ? JSON.stringify(record.warnings) : null,
      now,
    );
    const insLead = prepared(
      db,
      'INSERT INTO lead (record_id, lead_index, name, units, gain, baseline, sample_type, derived) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insChunk = prepared(db, INSERT_CHUNK);
    record.leads.forEach((lead, i) => {
      insLead.run(
        recordId,
        i,
        lead.name,
        lead.units,
        lead.gain,
        lead.baseline,
        lead.digital instanceof Int32Array ? 'int32' : 'int16',
        lead.derived ? 1 : 0,
      );
      if (!staged) writeLeadChunks((l, level, c, blob, enc) => insChunk.run(recordId, l, level, c, blob, enc), i, lead.digital);
    });
    if (record.annotations?.length) {
      const insAnn = prepared(
        db,
        'INSERT INTO annotation (record_id, annotator, sample, symbol, subtype, channel, num, aux) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const set of record.annotations) {
        for (const a of set.annotations)
          insAnn.run(recordId, set.annotator, a.sample, a.symbol, a.subtype ?? null, a.channel ?? null, a.num ?? null, a.aux ?? null);
      }
    }
  }
  prepared(db, 'INSERT OR IGNORE INTO record_source (record_id, path, format, source_record_name, ingested_at) VALUES (?, ?, ?, ?, ?)').run(
    recordId,
    source.path,
    source.format,
    record.recordName,
    now,
  );
  const insLabel = prepared(
    db,
    `INSERT INTO label (record_id, vocabulary, code, present, source_kind, source_name, likelihood, asserted_at)
     SELECT ?, ?, ?, 1, 'dataset', ?, ?, ?
     WHERE NOT EXISTS (SELECT 1 FROM label WHERE record_id = ? AND vocabulary = ? AND code = ? AND source_kind = 'dataset' AND source_name = ? AND is_current = 1)`,
  );
  for (const l of record.labels) {
    insLabel.run(recordId, l.vocabulary, l.code, source.format, l.likelihood ?? null, now, recordId, l.vocabulary, l.code, source.format);
  }
  return { recordId, duplicate: !!existing };
}

interface LeadRow {
  lead_index: number;
  name: string;
  units: string;
  gain: number;
  baseline: number;
  sample_type: 'int16' | 'int32';
  derived: number;
}

function leadRows(db: Database, recordId: number): LeadRow[] {
  return prepared(
    db,
    'SELECT lead_index, name, units, gain, baseline, sample_type, derived FROM lead WHERE record_id = ? ORDER BY lead_index',
  ).all(recordId) as LeadRow[];
}

/**
 * Recently decoded level-0 chunks, keyed by their stored bytes (compared in full on a hit, so a record id reused
 * after a deletion can never return another record's samples). About 8 MB at most.
 */
const DECODED_CHUNKS = 64;
const decoded = new Map<string, { blob: Buffer; samples: Int16Array | Int32Array }>();

function chunkKey(blob: Buffer): string {
  // Length plus a few bytes from the middle and end: cheap to compute, and the full comparison settles it.
  return `${blob.length}:${blob.readUInt32LE((blob.length >> 1) & ~3)}:${blob.readUInt32LE(Math.max(0, blob.length - 4))}`;
}

function decodedChunk(blob: Buffer): Int16Array | Int32Array | undefined {
  if (blob.length < 8) return undefined;
  const key = chunkKey(blob);
  const hit = decoded.get(key);
  if (!hit || !hit.blob.equals(blob)) return undefined;
  decoded.delete(key); // most recently used last
  decoded.set(key, hit);
  return hit.samples;
}

function rememberChunk(blob: Buffer, samples: Int16Array | Int32Array): void {
  if (blob.length < 8) return;
  decoded.set(chunkKey(blob), { blob: Buffer.from(blob), samples });
  if (decoded.size > DECODED_CHUNKS) decoded.delete(decoded.keys().next().value!);
}

/** Values [start, end) of one level of one lead, read from just the chunks that hold them. */
function readLevel(db: Database, recordId: number, lead: LeadRow, level: number, start: number, end: number): Int16Array | Int32Array {
  const Ctor = lead.sample_type === 'int32' ? Int32Array : Int16Array;
  const out = new Ctor(Math.max(0, end - start));
  if (end <= start) return out;
  const rows = prepared(
    db,
    'SELECT chunk_index, samples, encoding FROM signal_chunk WHERE record_id = ? AND lead_index = ? AND level = ? AND chunk_index BETWEEN ? AND ? ORDER BY chunk_index',
  ).all(recordId, lead.lead_index, level, Math.floor(start / CHUNK_VALUES), Math.floor((end - 1) / CHUNK_VALUES)) as {
    chunk_index: number;
    samples: Buffer;
    encoding: number;
  }[];
  for (const row of rows) {
    const b = row.samples;
    const c0 = row.chunk_index * CHUNK_VALUES;
    const from = Math.max(start, c0);
    if (row.encoding === CHUNK_CODEC) {
      const limit = end - c0;
      const cached = decodedChunk(b);
      if (cached) {
        out.set(cached.subarray(from - c0, Math.min(cached.length, limit)), from - start);
      } else if (from === c0) {
        // A span from a chunk's start (a whole-record read, or the far side of a boundary): decoded up to `end` only,
        // straight into `out`.
        decodeChunkInto(b, out, c0 - start, limit);
      } else {
        // Panning reads the same chunks again and again: decode each whole once and keep it.
        const whole = new Ctor(chunkInfo(b).count);
        decodeChunkInto(b, whole);
        rememberChunk(b, whole);
        out.set(whole.subarray(from - c0, Math.min(whole.length, limit)), from - start);
      }
      continue;
    }
    const chunk = new Ctor(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
    const to = Math.min(end, c0 + chunk.length);
    out.set(chunk.subarray(from - c0, to - c0), from - start);
  }
  return out;
}

/**
 * The stored record with every lead's samples over [start, end) (default: all of it, clamped to the record),
 * bit-exact as ingested; only the chunks of that span are read. Undefined when there is no such record.
 */
export function getRecordSignal(db: Database, recordId: number, start = 0, end = Infinity): EcgRecord | undefined {
  const r = prepared(db, 'SELECT * FROM record WHERE id = ?').get(recordId) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  const s = Math.max(0, Math.min(r.length as number, start));
  const e = Math.max(s, Math.min(r.length as number, end));
  const leads: LeadSignal[] = leadRows(db, recordId).map((l) => ({
    name: l.name,
    units: l.units,
    gain: l.gain,
    baseline: l.baseline,
    digital: readLevel(db, recordId, l, 0, s, e),
    ...(l.derived ? { derived: true } : {}),
  }));
  const labels = prepared(
    db,
    "SELECT vocabulary, code, likelihood FROM label WHERE record_id = ? AND source_kind = 'dataset' AND is_current = 1 AND present = 1 ORDER BY id",
  ).all(recordId) as { vocabulary: string; code: string; likelihood: number | null }[];
  return {
    format: r.format as string,
    recordName: r.record_name as string,
    ...(r.patient_id != null ? { patientId: r.patient_id as string } : {}),
    samplingRate: r.sampling_rate as number,
    length: e - s,
    ...(r.start_time != null ? { startTime: r.start_time as string } : {}),
    leads,
    ...(r.age != null ? { age: r.age as number } : {}),
    ...(r.sex != null ? { sex: r.sex as 'M' | 'F' } : {}),
    labels: labels.map((l) => ({ vocabulary: l.vocabulary, code: l.code, ...(l.likelihood != null ? { likelihood: l.likelihood } : {}) })),
    attributes: JSON.parse(r.attributes as string),
    ...(r.device != null ? { device: JSON.parse(r.device as string) } : {}),
    ...(r.warnings != null ? { warnings: JSON.parse(r.warnings as string) } : {}),
  };
}

/** The span [start, end) of a display window (clamped to the record) and the level it reads: 0 for raw samples. */
export interface SignalWindowSpan {
  samplingRate: number;
  start: number;
  end: number;
  level: number;
}

/**
 * Where a display window of `maxPoints` per lead comes from: raw samples when they fit, otherwise the coarsest
 * pyramid level that still gives at least `maxPoints / 2` (min, max) buckets. Undefined when there is no such record.
 */
export function signalWindowSpan(
  db: Database,
  recordId: number,
  start: number,
  end: number,
  maxPoints: number,
): SignalWindowSpan | undefined {
  const r = prepared(db, 'SELECT sampling_rate, length FROM record WHERE id = ?').get(recordId) as
    { sampling_rate: number; length: number } | undefined;
  if (!r) return undefined;
  const s = Math.max(0, Math.min(r.length, Math.floor(start)));
  const e = Math.max(s, Math.min(r.length, Math.ceil(end)));
  const levels =
    (
      prepared(db, 'SELECT MAX(level) AS top FROM signal_chunk WHERE record_id = ? AND lead_index = 0').get(recordId) as {
        top: number | null;
      }
    ).top ?? 0;
  let level = 0;
  if (e - s > maxPoints) {
    for (let k = levels; k >= 1; k--) {
      if ((e - s) / bucketSize(k) >= maxPoints / 2) {
        level = k;
        break;
      }
    }
  }
  return { samplingRate: r.sampling_rate, start: s, end: e, level };
}

/** A time window of every lead for display (see signalWindowSpan), the stored values as typed arrays. */
export function readSignalWindow(db: Database, recordId: number, start: number, end: number, maxPoints: number): SignalWindow | undefined {
  const span = signalWindowSpan(db, recordId, start, end, maxPoints);
  if (!span) return undefined;
  const { start: s, end: e, level } = span;
  const size = bucketSize(level);
  const from = level === 0 ? s : 2 * Math.floor(s / size);
  const to = level === 0 ? e : 2 * Math.ceil(e / size);
  return {
    samplingRate: span.samplingRate,
    start: level === 0 ? s : Math.floor(s / size) * size,
    end: e,
    bucketSize: size,
    leads: leadRows(db, recordId).map((l) => {
      const lead = { name: l.name, units: l.units, gain: l.gain, baseline: l.baseline, derived: !!l.derived };
      const values = readLevel(db, recordId, l, level, from, to);
      return values instanceof Int32Array ? { ...lead, sampleType: 'int32', values } : { ...lead, sampleType: 'int16', values };
    }),
  };
}

export function recordCount(db: Database): number {
  return (prepared(db, 'SELECT COUNT(*) AS n FROM record').get() as { n: number }).n;
}

const SUMMARY_COLUMNS = `r.id, r.record_name, r.format, r.sampling_rate, r.length, r.lead_count, r.review_state, r.age, r.sex,
  (SELECT COUNT(*) FROM record_source s WHERE s.record_id = r.id) AS source_count`;

function toSummary(db: Database, r: Record<string, number | string | null>): RecordSummary {
  return {
    id: r.id as number,
    recordName: r.record_name as string,
    format: r.format as string,
    samplingRate: r.sampling_rate as number,
    durationSeconds: (r.length as number) / (r.sampling_rate as number),
    leadCount: r.lead_count as number,
    reviewState: r.review_state as ReviewState,
    sourceCount: r.source_count as number,
    ...(r.age != null ? { age: r.age as number } : {}),
    ...(r.sex != null ? { sex: r.sex as string } : {}),
    labels: effectiveLabels(db, r.id as number),
  };
}

export function getRecordSummary(db: Database, recordId: number): RecordSummary | undefined {
  const row = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM record r WHERE r.id = ?`).get(recordId) as
    Record<string, number | string | null> | undefined;
  return row && toSummary(db, row);
}

export function listRecordSummaries(
  db: Database,
  opts: { offset: number; limit: number; search?: string },
): { total: number; records: RecordSummary[] } {
  const where = opts.search
    ? `WHERE r.record_name LIKE @q OR r.patient_id LIKE @q OR r.id IN (SELECT l.record_id FROM label l WHERE l.code LIKE @q AND l.is_current = 1 AND l.present = 1)`
    : '';
  const q = { q: `%${opts.search ?? ''}%`, limit: opts.limit, offset: opts.offset };
  const total = (prepared(db, `SELECT COUNT(*) AS n FROM record r ${where}`).get(q) as { n: number }).n;
  const rows = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM record r ${where} ORDER BY r.id LIMIT @limit OFFSET @offset`).all(q) as Record<
    string,
    number | string | null
  >[];
  return { total, records: rows.map((r) => toSummary(db, r)) };
}

/** Every record id, in ingest order. */
export function allRecordIds(db: Database): number[] {
  return db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[];
}

/** The record whose id is `id` and the records named `name` (a --record argument may be either). */
export function recordsByIdOrName(
  db: Database,
  id: number | undefined,
  name: string,
): { byId?: { id: number; recordName: string }; byName: { id: number; recordName: string }[] } {
  const byId =
    id === undefined
      ? undefined
      : (prepared(db, 'SELECT id, record_name AS recordName FROM record WHERE id = ?').get(id) as
          { id: number; recordName: string } | undefined);
  const byName = prepared(db, 'SELECT id, record_name AS recordName FROM record WHERE record_name = ? ORDER BY id').all(name) as {
    id: number;
    recordName: string;
  }[];
  return { ...(byId ? { byId } : {}), byName };
}

/** The record's name, or undefined when there is no such record. */
export function recordName(db: Database, recordId: number): string | undefined {
  return db.prepare('SELECT record_name FROM record WHERE id = ?').pluck().get(recordId) as string | undefined;
}

/** The device's reading stored with the record; undefined when there is no such record or the file carried none. */
export function getDeviceReading(db: Database, recordId: number): DeviceReading | undefined {
  const r = prepared(db, 'SELECT device FROM record WHERE id = ?').get(recordId) as { device: string | null } | undefined;
  return r?.device == null ? undefined : (JSON.parse(r.device) as DeviceReading);
}

/** What records.get adds to the summary: patient, start time, attributes, device reading, warnings, leads and sources. */
export function getRecordDetailFields(
  db: Database,
  recordId: number,
): Omit<RecordDetail, keyof RecordSummary | 'labelHistory'> | undefined {
  const r = prepared(db, 'SELECT patient_id, start_time, attributes, device, warnings FROM record WHERE id = ?').get(recordId) as
    | { patient_id: string | null; start_time: string | null; attributes: string; device: string | null; warnings: string | null }
    | undefined;
  if (!r) return undefined;
  const leads = prepared(db, 'SELECT name, units, derived FROM lead WHERE record_id = ? ORDER BY lead_index').all(recordId) as {
    name: string;
    units: string;
    derived: number;
  }[];
  const sources = prepared(
    db,
    'SELECT path, format, source_record_name, ingested_at FROM record_source WHERE record_id = ? ORDER BY id',
  ).all(recordId) as { path: string; format: string; source_record_name: string; ingested_at: string }[];
  return {
    ...(r.patient_id != null ? { patientId: r.patient_id } : {}),
    ...(r.start_time != null ? { startTime: r.start_time } : {}),
    attributes: JSON.parse(r.attributes),
    ...(r.device != null ? { device: deviceReadingView(JSON.parse(r.device) as DeviceReading) } : {}),
    ...(r.warnings != null ? { warnings: JSON.parse(r.warnings) } : {}),
    leads: leads.map((l) => ({ name: l.name, units: l.units, derived: !!l.derived })),
    sources: sources.map((s) => ({ path: s.path, format: s.format, sourceRecordName: s.source_record_name, ingestedAt: s.ingested_at })),
  };
}
