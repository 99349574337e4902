import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { ruleResultsForRecord } from '../../src-main/store/rule-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { runStoredRules } from '../../src-main/workspace/run-rules.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { NEAR_QTC_LIMIT_AECG, samePatientMuseFiles } from '../helpers/same-patient-muse.ts';

// A new QTc formula chosen in Settings takes every stored prolonged-QTc decision again in the analysis pool: the dialog
// stays open with the progress and then what was done, and the stored decisions name the new formula.
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 60_000 });
let dir = '';

const app = servedWorkspace(async (d) => {
  dir = d;
  const ws = openWorkspace(d);
  const files = [...samePatientMuseFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-qtc-'))), NEAR_QTC_LIMIT_AECG];
  const r = await ingestPaths(ws, files, { readers: READERS });
  if (r.newRecords !== 3) throw new Error(`expected 3 records, got ${JSON.stringify(r)}`);
  runStoredRules(ws.db, r.recordIds, 12);
  ws.close();
});

describe('QTc formula recompute', () => {
  it('Settings: a new formula recomputes the stored QTc decisions with progress, then says what was done', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.locator('[data-testid="open-settings"]').click();
    const dialog = page.locator('[data-testid="settings"]');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.locator('[data-testid="qtc-recompute"]').count()).toBe(0);
    await dialog.locator('[data-testid="qtc-formula"]').selectOption('fridericia');
    await dialog.locator('[data-testid="save-settings"]').click();
    const run = dialog.locator('[data-testid="qtc-recompute"]');
    await poll(() => run.getAttribute('data-state')).toBe('finished');
    expect(await run.innerText()).toMatch(
      /^Fridericia: 3 of 3 stored decisions taken again \(3 re-decided from the stored evidence, 0 measured again\)\.$/,
    );
    await page.screenshot({ path: artifactPath('qtc-recompute-settings.png') });
    await dialog.locator('[data-testid="close-settings"]').click();
    await poll(() => dialog.count()).toBe(0);

    const ws = openWorkspace(dir);
    try {
      const ids = ws.db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[];
      const stored = ids.flatMap((id) => ruleResultsForRecord(ws.db, id, 12).filter((r) => r.detectorId === 'prolonged-qtc'));
      expect(stored.map((r) => r.evidence.qtcFormula)).toEqual(['fridericia', 'fridericia', 'fridericia']);
    } finally {
      ws.close();
    }
    expect(errors).toEqual([]);
  });
});
