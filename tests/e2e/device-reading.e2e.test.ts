import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { dataPath } from '../helpers/shared-data.ts';

// A GE MUSE file and a Philips SierraECG file ingested, opened in Chromium: the cart's statements and
// measurements stand beside labels, model and rules, and the cart's representative beats are drawn.
const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  const r = await ingestPaths(
    ws,
    [
      dataPath('formats', 'ge-muse-xml', 'EGM', 'muse-sinus.xml'),
      dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_04', '3191723_ZZDEMOPTONLY_1-04_orig.xml'),
    ],
    { readers: READERS },
  );
  if (r.newRecords !== 2) throw new Error(`expected 2 vendor records, got ${JSON.stringify(r)}`);
  ws.close();
});

describe('device reading in the viewer', () => {
  it('shows the MUSE and Philips statements and measurements beside ours', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000 });
    // (serve also seeds the demo records into a new workspace)
    await poll(() => page.locator('[data-testid="worklist"] li', { hasText: 'muse-sinus' }).count()).toBe(1);

    await page.locator('[data-testid="worklist"] li', { hasText: 'muse-sinus' }).locator('button').click();
    const panel = page.locator('[data-testid="device-reading"]');
    await poll(() => panel.count()).toBe(1);
    expect(await panel.locator('h3').innerText()).toBe('Device · GE MV360');
    expect(await panel.locator('[data-testid="device-statement"]').allInnerTexts()).toContain('Anterior infarct, age undetermined');
    expect(await panel.locator('tr[data-key="heartRate"] td').nth(1).innerText()).toBe('90 bpm');
    expect(await panel.locator('tr[data-key="qtcInterval"] td').nth(1).innerText()).toBe('491 ms');
    // Our own measurement of the trace arrives after the first paint and fills the third column.
    await poll(() => panel.locator('tr[data-key="heartRate"] td').nth(2).innerText()).toMatch(/^\d+ bpm/);
    // The fourth column of the class table: the classes the cart's statements name.
    const nsr = page.locator('[data-testid="class-row"][data-code="426783006"]');
    await poll(() => nsr.count()).toBe(1);
    expect(await nsr.locator('td[data-device]').getAttribute('data-device')).toBe('stated');
    expect(await nsr.locator('td[data-device]').getAttribute('title')).toBe('Normal Sinus rhythm');
    // The cart's median beats, fetched as bytes (records.deviceBeats) and drawn one panel per lead: GE keeps 8
    // independent leads, the other four are computed from I and II.
    const beats = panel.locator('[data-testid="device-beats"]');
    await poll(() => beats.locator('path[data-lead]').count()).toBe(12);
    expect(await beats.locator('path[data-derived="true"]').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-lead')))).toEqual([
      'III',
      'aVR',
      'aVL',
      'aVF',
    ]);
    expect(await beats.getAttribute('aria-label')).toBe('median beats from the device');
    expect((await beats.locator('path[data-lead="II"]').getAttribute('d'))!.split('L').length).toBeGreaterThan(500);
    await page.screenshot({ path: artifactPath('device-reading-muse.png') });
    await panel.screenshot({ path: artifactPath('device-beats-muse.png') });

    await page.locator('[data-testid="worklist"] li', { hasText: 'ZZDEMOPTONLY' }).locator('button').click();
    await poll(() => panel.locator('h3').innerText()).toBe('Device · Philips PageWriter Touch');
    expect(await panel.locator('[data-testid="device-statement"]').first().innerText()).toBe('SINUS RHYTHM — normal P axis, V-rate 60-99');
    expect(await panel.locator('tr[data-key="heartRate"] td').nth(1).innerText()).toBe('84 bpm');
    await poll(() => panel.locator('[data-testid="device-beats"] path[data-lead]').count()).toBe(12);
    const lvh = page.locator('[data-testid="class-row"][data-code="164873001"]');
    await poll(() => lvh.locator('td[data-device]').getAttribute('data-device')).toBe('stated');
    expect(errors).toEqual([]);
  });
});
