export const migration = {
  version: 7,
  name: 'ingest-outcome',
  sql: `
-- The outcome of the last ingest of each entry file: 'failed' (not stored because the database was busy or full) is
-- retried by the next ingest, while 'ingested' and 'quarantined' are skipped as long as size and mtime are unchanged.
-- reason: the one-line reason of a quarantined or failed file.
CREATE TABLE ingested_file_v7 (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ingested', 'quarantined', 'failed')),
  record_ids TEXT NOT NULL DEFAULT '[]',
  reason TEXT,
  at TEXT NOT NULL
);
INSERT INTO ingested_file_v7 (path, size, mtime_ms, status, record_ids, reason, at)
  SELECT f.path, f.size, f.mtime_ms, f.status, f.record_ids, q.reason, f.at FROM ingested_file f LEFT JOIN quarantine q ON q.path = f.path;
-- Files quarantined only because the database was locked were never the file's fault: retry them.
UPDATE ingested_file_v7 SET status = 'failed' WHERE status = 'quarantined' AND reason LIKE '%could not store: database is locked%';
DELETE FROM quarantine WHERE reason LIKE '%could not store: database is locked%';
DROP TABLE ingested_file;
ALTER TABLE ingested_file_v7 RENAME TO ingested_file;
`,
};
