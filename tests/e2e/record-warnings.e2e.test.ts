import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { servedWorkspace } from '../helpers/browser.ts';
import { CINC_2020_SOURCES, writeCincRecord } from '../helpers/cinc2020-fixtures.ts';

// A CPSC-shaped record whose base date is malformed: stored with a warning, which the viewer shows.
const app = servedWorkspace(async (dir) => {
  const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-e2e-warn-'));
  writeCincRecord(inbox, CINC_2020_SOURCES.cpsc, { recordLine: 'A0001 12 500 7500 05-Fbr-2020 11:39:16' });
  const ws = openWorkspace(dir);
  expect((await ingestPaths(ws, [inbox], { readers: READERS })).newRecords).toBe(1);
  ws.close();
});

describe('record warnings in the viewer', () => {
  it("shows the reader's warning beside the review state", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 900 } });
    await page.goto(app.url);
    await page.locator('input[type="search"]').fill('A0001');
    await expect.poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBe(1);
    await page.locator('[data-testid="worklist"] li button').first().click();
    await expect.poll(() => page.locator('[data-testid="record-name"]').textContent()).toBe('A0001');
    const badge = page.locator('[data-testid="record-warnings"]');
    await expect
      .poll(() => badge.textContent())
      .toMatch(/⚠ A0001\.hea:1: base time\/date '05-Fbr-2020' is not a time or date; start time kept as unknown/);
  });
});
