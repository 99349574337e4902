// One open record as the viewer shows it: its detail, notes, intervals and history, reloaded part by part as
// records.changed events say what changed (the event follows every write, this window's own included).
import type { ApiEvents, AuditEntry, IntervalAnnotation, RecordChange, RecordDetail, RecordNote } from '../../src-shared/api.ts';
import { api } from '../lib/api-client.ts';
import { reviewer } from '../lib/reviewer.svelte.ts';

/** History entries shown. */
const AUDIT_LIMIT = 200;

export function createRecordSession(recordId: number, onerror: (message: string) => void) {
  let detail = $state<RecordDetail | undefined>();
  let notes = $state<RecordNote[]>([]);
  let intervals = $state<IntervalAnnotation[]>([]);
  let audit = $state<AuditEntry[]>([]);
  // Per part, only the newest request's answer lands (an older one can arrive after it).
  const asked = { detail: 0, notes: 0, intervals: 0, audit: 0 };
  async function latest<T>(part: keyof typeof asked, request: Promise<T>, set: (v: T) => void): Promise<void> {
    const n = ++asked[part];
    const v = await request;
    if (n === asked[part]) set(v);
  }

  /** Loads what `changes` touched (everything when not given); every change is audited, so the history always. */
  async function load(changes?: readonly RecordChange[]): Promise<void> {
    const touched = (...cs: RecordChange[]) => !changes || cs.some((c) => changes.includes(c));
    try {
      await Promise.all([
        touched('labels', 'review-state', 'records') &&
          latest('detail', api.call('records.get', { id: recordId, reviewer: reviewer.name }), (d) => (detail = d)),
        touched('notes') && latest('notes', api.call('notes.list', { recordId }), (n) => (notes = n)),
        touched('intervals') && latest('intervals', api.call('intervals.list', { recordId }), (i) => (intervals = i)),
        latest('audit', api.call('audit.list', { recordId, limit: AUDIT_LIMIT, reviewer: reviewer.name }), (a) => (audit = a)),
      ]);
    } catch (e) {
      onerror((e as Error).message);
    }
  }

  return {
    get detail() {
      return detail;
    },
    get notes() {
      return notes;
    },
    get intervals() {
      return intervals;
    },
    get audit() {
      return audit;
    },
    /** Loads the record, then follows its changes; returns the function that stops following. */
    follow(): () => void {
      void load();
      return api.onEvent((m) => {
        if (m.event !== 'records.changed') return;
        const p = m.payload as ApiEvents['records.changed'];
        if (p.recordIds.includes(recordId)) void load(p.changes);
      });
    },
  };
}
