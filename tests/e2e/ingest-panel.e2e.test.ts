import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addInboxFolder } from '../../src-main/store/inbox-store.ts';
import { samplesDir } from '../../src-main/resources.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';

const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-e2e-inbox-'));
const app = servedWorkspace((dir) => {
  const ws = openWorkspace(dir);
  addInboxFolder(ws.db, inbox, 'test');
  ws.close();
});

describe('the ingest panel lists what the watched inbox did not take in', () => {
  it('files dropped into the inbox show up with their outcome and reason', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await expect.poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBe(5);

    for (const f of ['JS00036.hea', 'JS00036.mat']) fs.copyFileSync(path.join(samplesDir(), f), path.join(inbox, f));
    fs.writeFileSync(path.join(inbox, 'README.txt'), 'Shift notes\n');
    fs.writeFileSync(path.join(inbox, 'BROKEN.hea'), 'BROKEN 12 500\n');
    const panel = page.locator('[data-testid="ingest-panel"]');
    await expect.poll(() => panel.count(), { timeout: 30_000 }).toBe(1);
    const text = await panel.innerText();
    expect(text).toMatch(/Inbox .*: 0 new, 1 duplicate, 0 already stored, 1 quarantined/);
    expect(text).toContain(`${path.join(inbox, 'README.txt')} — not an ECG format LeadLens reads (first bytes: 53 68 69 66)`);
    expect(text).toMatch(new RegExp(`${path.join(inbox, 'BROKEN.hea').replaceAll('.', '\\.')} — quarantined: `));
    await page.screenshot({ path: artifactPath('ingest-panel.png') });
    expect(errors).toEqual([]);
  });
});
