import type { Database } from 'better-sqlite3';
import type { AuditEntry } from '../../src-shared/api.ts';

/** Records a change a person made. Call inside the transaction that makes the change. */
export function appendAudit(
  db: Database,
  actor: string,
  action: string,
  recordId: number | null,
  detail: Record<string, unknown>,
  at = new Date().toISOString(),
): void {
  db.prepare('INSERT INTO audit_log (at, actor, action, record_id, detail) VALUES (?, ?, ?, ?, ?)').run(
    at,
    actor,
    action,
    recordId,
    JSON.stringify(detail),
  );
}

export function listAudit(db: Database, opts: { recordId?: number; limit?: number } = {}): AuditEntry[] {
  const rows = (
    opts.recordId !== undefined
      ? db.prepare('SELECT * FROM audit_log WHERE record_id = ? ORDER BY id DESC LIMIT ?').all(opts.recordId, opts.limit ?? 500)
      : db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(opts.limit ?? 500)
  ) as { id: number; at: string; actor: string; action: string; record_id: number | null; detail: string }[];
  return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, recordId: r.record_id, detail: JSON.parse(r.detail) }));
}
