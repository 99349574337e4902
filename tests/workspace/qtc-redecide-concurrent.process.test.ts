// A QTc formula change (`leadlens settings --qtc-formula`, re-deciding every stored prolonged-QTc result) while other
// processes write to the same workspace: `leadlens rules --all` measuring every record and `leadlens boundaries --set`
// correcting T ends. Every process finishes, no write is lost, every stored QTc decision ends on the new formula
// (the corrected records' too, decided on their corrected boundaries) and the audit trail has both people's changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_DETECTORS } from '../../src-main/rules/detectors.ts';
import { runRules } from '../../src-main/rules/run-rules.ts';
import { listAudit } from '../../src-main/store/audit-log.ts';
import { boundaryHistory, currentBoundaries } from '../../src-main/store/boundary-store.ts';
import { getRecordSignal } from '../../src-main/store/record-store.ts';
import { getReviewSettings } from '../../src-main/store/review-store.ts';
import { ruleResultsForRecord } from '../../src-main/store/rule-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { QTC_RULE_DETECTORS } from '../../src-main/workspace/qtc-recompute.ts';
import { chapmanFiles, chapmanNames } from '../helpers/chapman-workspace.ts';
import { runLeadlens, runLeadlensAsync } from '../helpers/run-cli.ts';

const RECORDS = 30;
const NAMES = chapmanNames(RECORDS);
const CORRECTED = [NAMES[3], NAMES[13], NAMES[23]];
let dir: string;
let ws: Workspace | undefined;
const tEndMs = new Map<string, number>();

/** A CLI run that may meet the database busy: a one-line busy message is allowed once, and the retry must succeed. */
async function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; busy: number }> {
  for (let busy = 0; ; busy++) {
    const r = await runLeadlensAsync([...args, '--workspace', dir, '--json']);
    if (r.status === 0 || busy > 0 || !/busy|locked/i.test(r.stderr) || r.stderr.trim().split('\n').length > 1) return { ...r, busy };
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-qtc-concurrent-'));
  const run = (...args: string[]) => {
    const r = runLeadlens([...args, '--workspace', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  run('ingest', ...chapmanFiles(RECORDS));
  expect(run('rules', '--all').stored).toBe(RECORDS);
  for (const name of CORRECTED) {
    const b = run('boundaries', '--record', name);
    tEndMs.set(name, (b.automatic.tOffset / b.samplingRate) * 1000);
  }
}, 300_000);
afterAll(() => ws?.close());

describe('QTc formula change beside other writers', () => {
  it('every process finishes, no write is lost and every stored QTc decision is on the new formula', async () => {
    // rules --all measures every record for seconds; the formula changes while it does (after the first correction),
    // and the other corrections follow while the formula change re-decides.
    let settings!: ReturnType<typeof cli>;
    const ended: string[] = [];
    const corrections = (async () => {
      const out = [];
      for (const [i, name] of CORRECTED.entries()) {
        out.push(await cli('boundaries', '--record', name, '--set', `tOffset=${tEndMs.get(name)! - 30}`, '--author', 'dr b'));
        if (i === 0) settings = cli('settings', '--qtc-formula', 'fridericia', '--author', 'dr a').finally(() => ended.push('settings'));
      }
      return out;
    })();
    const [rules, corrected] = await Promise.all([cli('rules', '--all').finally(() => ended.push('rules')), corrections]);
    const changed = await settings;
    // The formula changed while rules --all was still measuring (what the test is about), not after it.
    expect(ended).toEqual(['settings', 'rules']);
    for (const r of [rules, ...corrected, changed]) expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(rules.stdout).stored).toBe(RECORDS);
    expect(JSON.parse(changed.stdout).recompute).toMatchObject({ state: 'finished', skipped: [] });

    ws = openWorkspace(dir);
    const db = ws.db;
    expect(getReviewSettings(db).qtcFormula).toBe('fridericia');
    const ids = db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[];
    expect(ids).toHaveLength(RECORDS);
    const idOf = (name: string) => db.prepare('SELECT id FROM record WHERE record_name = ?').pluck().get(name) as number;
    for (const id of ids) {
      const stored = ruleResultsForRecord(db, id, 12);
      // Every detector's result is there (none dropped by a correction and never stored again).
      expect(stored.map((r) => r.detectorId).sort(), `#${id}`).toEqual(RULE_DETECTORS.map((d) => d.id).sort());
      // Every QTc decision names the new formula and says what measuring the record now with it says.
      const remeasured = runRules(getRecordSignal(db, id)!, 12, QTC_RULE_DETECTORS, currentBoundaries(db, id), {
        qtcFormula: 'fridericia',
      });
      for (const want of remeasured) {
        const got = stored.find((r) => r.detectorId === want.detectorId)!;
        expect(got.evidence.qtcFormula, `#${id} ${want.detectorId}`).toBe('fridericia');
        expect(got.decision, `#${id} ${want.detectorId}`).toBe(want.decision);
        expect(got.evidence.measurements.qtcMs, `#${id} ${want.detectorId}`).toBeCloseTo(want.evidence.measurements.qtcMs!, 0);
      }
    }
    // Each correction is current, by its author, and the record's QTc decision was taken after it.
    for (const name of CORRECTED) {
      const id = idOf(name);
      const [c] = boundaryHistory(db, id).filter((h) => h.isCurrent);
      expect(c, name).toMatchObject({ boundary: 'tOffset', author: 'dr b' });
      expect(c.offset, name).toBe(Math.round(((tEndMs.get(name)! - 30) / 1000) * 500));
      const qtc = ruleResultsForRecord(db, id, 12).find((r) => r.detectorId === 'prolonged-qtc')!;
      expect(qtc.computedAt >= c.correctedAt, name).toBe(true);
    }
    // The audit trail has the formula change and every correction.
    const audit = listAudit(db);
    expect(audit.filter((a) => a.action === 'settings.review' && a.actor === 'dr a').map((a) => a.detail.qtcFormula)).toEqual([
      'fridericia',
    ]);
    expect(
      audit
        .filter((a) => a.action === 'boundary.correct' && a.actor === 'dr b')
        .map((a) => a.recordId)
        .sort(),
    ).toEqual(CORRECTED.map(idOf).sort());
  }, 300_000);
});
