export const migration = {
  version: 8,
  name: 'signal-codec',
  sql: `
-- How a chunk's samples are stored: 0 = raw little-endian samples, 1 = signal-codec.ts (predictor + Rice codes).
-- Existing raw chunks stay readable; convertSignalChunks (signal-chunk-conversion.ts) compresses them batch by batch.
ALTER TABLE signal_chunk ADD COLUMN encoding INTEGER NOT NULL DEFAULT 0;

-- A large record's chunks are written in bounded transactions before its record row exists (so the WAL stays small
-- and nothing of it is visible until the record row commits). Its id is reserved here; a row left by a process
-- that died is cleaned up with its chunks.
CREATE TABLE record_staging (
  record_id INTEGER PRIMARY KEY,
  content_hash TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at TEXT NOT NULL
);
`,
};
