// The rhythm strip's saliency share is kept apart from lead II's: a synthetic map that puts all saliency on the
// 3x4+II rhythm strip gives 'II (rhythm strip)' the whole share and the grid's II none, and the cross-layout
// comparison adds the strip back into II where the other layout (6x2) has no strip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutChart } from '../../src-shared/chart/chart-layout.ts';
import { rasteriseChart } from '../../src-main/chart/chart-raster.ts';
import { pixelsToLeadTime } from '../../src-main/chart/pixel-to-lead-time.ts';
import { leadShares } from '../../src-main/explain/lead-set-findings.ts';
import { compareAttributions } from '../../src-main/explain/consistency.ts';
import { runAudit } from '../../src-main/explain/audit.ts';
import { writeAuditReport } from '../../src-main/explain/audit-report.ts';
import { foldRhythmStrips, type SaliencyResult } from '../../src-shared/saliency-result.ts';
import { leadMillivolts } from '../../src-shared/record.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const record = syntheticRecord({ length: 5000, fs: 500 });
const mv = record.leads.map(leadMillivolts);

/** A layout's chart with saliency 1 on every pixel of the panels `hot` picks, mapped back onto lead x time. */
function mapOn(layout: string, hot: (p: { lead: string; rhythm: boolean }) => boolean): SaliencyResult {
  const c = layoutChart(record, { layout, pxPerMm: 1 });
  const { pixels } = rasteriseChart(c, mv, { grid: false });
  const sal = new Float32Array(c.width * c.height);
  for (const p of c.panels.filter(hot)) {
    for (let y = Math.floor(p.box.y); y < Math.min(c.height, p.box.y + p.box.height); y++)
      for (let x = Math.floor(p.box.x); x < Math.min(c.width, p.box.x + p.box.width); x++) sal[y * c.width + x] = 1;
  }
  const m = pixelsToLeadTime(c, pixels, sal, 0);
  const provenance = {
    model: 'synthetic',
    method: 'synthetic',
    baseline: null,
    targetClass: 0,
    layer: null,
    preprocessing: '',
    layout,
    seed: null,
    params: {},
  };
  return { ...m, provenance };
}

describe('rhythm strip share', () => {
  it('gives all of a map on the rhythm strip to "II (rhythm strip)", none to the grid\'s II', () => {
    const m = mapOn('3x4+II', (p) => p.rhythm);
    expect(m.leads).toEqual([...record.leads.map((l) => l.name), 'II (rhythm strip)']);
    const shares = leadShares(m);
    expect(shares['II (rhythm strip)']).toBeCloseTo(1, 6);
    expect(shares.II).toBe(0);
    expect(Object.keys(shares)).toHaveLength(13);
  });

  it('keeps both drawings of II on lead x time, and folds the strip into II where a per-lead map is wanted', () => {
    const m = mapOn('3x4+II', () => true);
    const ii = m.leads.indexOf('II');
    const strip = m.leads.indexOf('II (rhythm strip)');
    expect(m.map[ii * m.samples + 100]).toBeGreaterThan(0); // grid II: 0-2.5 s
    expect(m.map[ii * m.samples + 3000]).toBe(0);
    expect(m.map[strip * m.samples + 3000]).toBeGreaterThan(0); // the strip spans the 10 s
    const folded = foldRhythmStrips(m);
    expect(folded.leads).toEqual(record.leads.map((l) => l.name));
    expect(folded.map[1 * m.samples + 100]).toBeCloseTo(m.map[ii * m.samples + 100] + m.map[strip * m.samples + 100], 5);
  });

  it('compares 3x4+II with 6x2 on the record leads, the strip added back into II', () => {
    const strip = mapOn('3x4+II', (p) => p.rhythm || p.lead === 'V1');
    const ii = mapOn('6x2', (p) => p.lead === 'II' || p.lead === 'V1');
    const c = compareAttributions(strip, ii);
    expect(c.leads).toEqual(record.leads.map((l) => l.name));
    // Both maps rank II and V1 above the other leads once the strip counts as II.
    expect(c.topKOverlap).toBeGreaterThanOrEqual(2 / 3);
    expect(c.leadSpearman).toBeGreaterThan(0.5);
    // Two maps of the same layout compare the strip as a row of its own.
    expect(
      compareAttributions(
        strip,
        mapOn('3x4+II', (p) => p.rhythm),
      ).leads,
    ).toContain('II (rhythm strip)');
  });

  it("writes the strip's share apart from II in the audit report's lead-shares.csv", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-strip-'));
    try {
      const report = await runAudit({
        items: [{ recordId: 1, recordName: 'SYN1', classes: [] }],
        methods: ['synthetic'],
        variants: ['3x4+II', '6x2'],
        explain: async (_item, _m, v) => (v === '3x4+II' ? mapOn(v, (p) => p.rhythm) : mapOn(v, (p) => p.lead === 'II')),
      });
      expect(report.maps[0].leadShares['II (rhythm strip)']).toBeCloseTo(1, 6);
      writeAuditReport(report, dir);
      const rows = fs.readFileSync(path.join(dir, 'lead-shares.csv'), 'utf8').trim().split('\n');
      expect(rows).toContain('1,SYN1,synthetic,3x4+II,II (rhythm strip),1');
      expect(rows).toContain('1,SYN1,synthetic,3x4+II,II,0');
      expect(rows).toContain('1,SYN1,synthetic,6x2,II,1');
      expect(fs.readFileSync(path.join(dir, 'findings.txt'), 'utf8')).toMatch(/added back into its lead/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
