import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { checksum16 } from '../../src-main/formats/wfdb-signal.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { dataPath } from '../helpers/shared-data.ts';

// A lead whose electrode came off (issue 13): LUDB 1 written back as a WFDB record with V3 replaced by 0.3 mV of noise.
// The cardiologist sees V3 named as left out beside the measurements, on its median-beat panel and in the words on
// which leads decided the global boundaries; the intervals are LUDB 1's own.
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });
const NAME = 'ludb1-v3-off';

const app = servedWorkspace(async (dir) => {
  const rec = await readWfdbRecord(dataPath('ludb', 'data', '1.hea'));
  let seed = 5;
  const uniform = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5) * Math.sqrt(12); // SD 1
  const leads = rec.leads.map((l) =>
    l.name.toLowerCase() === 'v3'
      ? Int16Array.from(l.digital, () => Math.round(l.baseline + 0.3 * l.gain * uniform()))
      : Int16Array.from(l.digital),
  );
  const folder = path.join(dir, 'inbox');
  fs.mkdirSync(folder);
  const frames = Buffer.alloc(2 * leads.length * rec.length);
  for (let i = 0; i < rec.length; i++) leads.forEach((d, k) => frames.writeInt16LE(d[i], 2 * (i * leads.length + k)));
  fs.writeFileSync(path.join(folder, `${NAME}.dat`), frames);
  const header = [`${NAME} ${leads.length} ${rec.samplingRate} ${rec.length}`];
  rec.leads.forEach((l, k) =>
    header.push(`${NAME}.dat 16 ${l.gain}(${l.baseline})/mV 16 0 ${leads[k][0]} ${(checksum16(leads[k]) << 16) >> 16} 0 ${l.name}`),
  );
  fs.writeFileSync(path.join(folder, `${NAME}.hea`), header.join('\n') + '\n');
  const ws = openWorkspace(dir);
  const r = await ingestPaths(ws, [path.join(folder, `${NAME}.hea`)], { readers: READERS });
  ws.close();
  if (r.newRecords !== 1) throw new Error(`expected the record, got ${JSON.stringify(r)}`);
});

describe('a lead with its electrode off', () => {
  it('is named as left out beside the measurements, on its median-beat panel and in the reasons', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await poll(() => page.locator('[data-testid="worklist"] li', { hasText: NAME }).count()).toBe(1);
    await page.locator('[data-testid="worklist"] li', { hasText: NAME }).locator('button').click();
    await poll(() => page.locator('[data-testid="left-out-leads"]').count()).toBe(1);
    expect(await page.locator('[data-testid="left-out-leads"]').innerText()).toMatch(/^· V3 left out: QRS does not repeat/);
    // LUDB 1's own intervals (QRS 88, QT 484 ms as measured on the record itself): V3 did not widen them.
    const line = await page.locator('[data-testid="measurements"]').innerText();
    expect(line).toMatch(/QRS (8[6-9]|9[0-2]) ms/);
    expect(line).toMatch(/QT (48[0-9]) ms/);

    await page.locator('[data-testid="median-toggle"]').click();
    const paper = page.locator('[data-testid="median-paper"]');
    await poll(() => paper.locator('g[data-lead]').count()).toBe(12);
    expect(await paper.locator('[data-testid="lead-left-out"]').count()).toBe(1);
    expect(await paper.locator('g[data-lead="V3"] [data-testid="lead-left-out"]').count()).toBe(1);
    expect(await page.locator('[data-testid="global-boundary-reasons"] li').first().innerText()).toMatch(
      /^Left out of every global boundary: V3 \(0\.\d\d\)\. Its QRS does not repeat from beat to beat/,
    );
    await page.screenshot({ path: artifactPath('noisy-lead.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
