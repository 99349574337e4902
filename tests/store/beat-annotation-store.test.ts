import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../src-main/api/services.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import type { ApiParams, ApiResult } from '../../src-shared/api.ts';
import { dataPath } from '../helpers/shared-data.ts';

describe('records.beatAnnotations (stored reference beats by span)', () => {
  it("returns MIT-BIH 100's reference beats of a span in sample order, all 2,274 overall, and 404 for no record", async () => {
    const ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-beats-')));
    const r = await ingestPaths(ws, [dataPath('mitdb', '100.hea')], { readers: READERS });
    const id = r.recordIds[0];
    const services = createServices(ws, () => undefined, 'http');
    const beatsOf = (p: ApiParams<'records.beatAnnotations'>) =>
      services.call('records.beatAnnotations', p) as Promise<ApiResult<'records.beatAnnotations'>>;
    const all = await beatsOf({ id, limit: 100_000 });
    const beats = all.filter((a) => a.symbol !== '+' && a.symbol !== '~' && a.symbol !== '"');
    // 2,274 stored: one rhythm mark and 2,273 beats (2,239 N, 33 A, 1 V, as PhysioNet's table for record 100).
    expect(all).toHaveLength(2274);
    expect(beats).toHaveLength(2273);
    expect(beats.filter((a) => a.symbol === 'A')).toHaveLength(33);
    expect(beats.filter((a) => a.symbol === 'V')).toHaveLength(1);
    expect(all.every((a, i) => i === 0 || a.sample >= all[i - 1].sample)).toBe(true);
    expect(all[0]).toMatchObject({ symbol: '+', annotator: 'atr' });
    // 00:15:00 to 00:15:10 at 360 Hz: only beats inside the span, about a dozen.
    const span = await beatsOf({ id, start: 900 * 360, end: 910 * 360 });
    expect(span.length).toBeGreaterThan(8);
    expect(span.every((a) => a.sample >= 900 * 360 && a.sample < 910 * 360)).toBe(true);
    expect(span).toEqual(all.filter((a) => a.sample >= 900 * 360 && a.sample < 910 * 360));
    expect(await beatsOf({ id, limit: 5 })).toEqual(all.slice(0, 5));
    await expect(beatsOf({ id: id + 99 })).rejects.toThrow(/no record with id/);
    ws.close();
  });
});
