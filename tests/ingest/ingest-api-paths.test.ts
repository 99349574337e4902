import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEventMessage, IngestSummary } from '../../src-shared/api.ts';
import { forgetChosenPaths, rememberChosenPaths } from '../../src-main/api/chosen-paths.ts';
import { createServices } from '../../src-main/api/services.ts';
import { addInboxFolder } from '../../src-main/store/inbox-store.ts';
import { samplesDir } from '../../src-main/resources.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

afterEach(() => forgetChosenPaths());

describe('ingest.paths over the API reads only folders the user chose', () => {
  it('refuses anything but inbox folders and dialog-chosen paths with a one-line 403', async () => {
    const ws = openWorkspace(tmp('leadlens-ws-'));
    const events: ApiEventMessage[] = [];
    const services = createServices(ws, (m) => events.push(m), 'http');
    for (const p of ['/etc', '/etc/passwd', samplesDir(), path.join(tmp('leadlens-in-'), '..')]) {
      const e = await services.call('ingest.paths', { paths: [p] }).catch((err: unknown) => err);
      expect(e).toMatchObject({ name: 'ApiError', status: 403 });
      expect((e as Error).message).toMatch(/is not an inbox folder or a path chosen in the open dialog$/);
      expect((e as Error).message).not.toContain('\n');
    }
    expect(ws.db.prepare('SELECT COUNT(*) AS n FROM record').get()).toEqual({ n: 0 });

    // A folder inside an inbox folder is the user's choice too; a symlink out of it is not.
    const inbox = tmp('leadlens-inbox-');
    fs.mkdirSync(path.join(inbox, 'today'));
    for (const f of ['JS00004.hea', 'JS00004.mat']) fs.copyFileSync(path.join(samplesDir(), f), path.join(inbox, 'today', f));
    fs.symlinkSync('/etc', path.join(inbox, 'etc'));
    addInboxFolder(ws.db, inbox, 'test');
    const r = (await services.call('ingest.paths', { paths: [path.join(inbox, 'today')] })) as IngestSummary;
    expect(r).toMatchObject({ newRecords: 1, failed: 0 });
    expect(r.outcomes.map((o) => o.outcome)).toEqual(['stored', 'companion']);
    expect(events.find((m) => m.event === 'ingest.result')?.payload).toMatchObject({ task: 'ingest', newRecords: 1 });
    await expect(services.call('ingest.paths', { paths: [path.join(inbox, 'etc')] })).rejects.toMatchObject({ status: 403 });
    const whole = (await services.call('ingest.paths', { paths: [inbox] })) as IngestSummary;
    expect(whole.outcomes.find((o) => o.path === path.join(inbox, 'etc'))).toMatchObject({
      outcome: 'unreadable',
      reason: 'skipped: symlink leads out of the chosen folders',
    });
    expect(whole.outcomes.some((o) => o.path.includes('passwd'))).toBe(false);

    // What the native open dialog returned (Electron main remembers it) is allowed for the rest of the session.
    rememberChosenPaths([samplesDir()]);
    const chosen = (await services.call('ingest.paths', { paths: [path.join(samplesDir(), 'JS00008.hea')] })) as IngestSummary;
    expect(chosen.newRecords).toBe(1);
    ws.close();
  });
});
