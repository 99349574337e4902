import { describe, expect, it } from 'vitest';
import type { MedianBeats } from '../../src-shared/median-beats.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { recordMedianBeats } from '../../src-main/workspace/median-beats.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { NEAR_QTC_LIMIT_AECG } from '../helpers/same-patient-muse.ts';

// The median-beat view's per-lead boundaries (issue 13): each lead's own QRS onset/offset and T end as ticks in its
// panel, at their true place on 25 mm/s paper, a legend and the words on which leads decided the global boundaries,
// hidden and shown again by the toggle and by the b key.
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });
let expected: MedianBeats;

const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  const r = await ingestPaths(ws, [NEAR_QTC_LIMIT_AECG], { readers: READERS });
  if (r.newRecords !== 1) throw new Error(`expected the aECG record, got ${JSON.stringify(r)}`);
  expected = recordMedianBeats(ws.db, r.recordIds[0]);
  ws.close();
});

describe('per-lead boundaries in the median-beat view', () => {
  it('draws each lead’s own boundaries as ticks at their ms on calibrated paper, explained, and toggled', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await poll(() => page.locator('[data-testid="worklist"] li', { hasText: 'subject2' }).count()).toBe(1);
    await page.locator('[data-testid="worklist"] li', { hasText: 'subject2' }).locator('button').click();
    await page.locator('[data-testid="median-toggle"]').click();
    const paper = page.locator('[data-testid="median-paper"]');
    await poll(() => paper.locator('g[data-lead]').count()).toBe(12);
    await page.locator('[data-testid="median-speed"]').selectOption('25');

    // Every lead with boundaries of its own has its ticks: QRS onset and offset, and T end where it has one.
    const perLead = expected.leadBoundaries;
    expect(perLead.length).toBe(12);
    for (const b of perLead) {
      const ticks = paper.locator(`g[data-lead="${b.lead}"] [data-tick]`);
      expect(await ticks.evaluateAll((ls) => ls.map((l) => l.getAttribute('data-tick')))).toEqual([
        'qrsOnset',
        'qrsOffset',
        ...(b.tOffsetMs !== undefined ? ['tOffset'] : []),
      ]);
      expect(await paper.locator(`g[data-lead="${b.lead}"] [data-testid="lead-not-counted"]`).count()).toBe(b.qrsCounted ? 0 : 1);
    }
    const total = perLead.reduce((n, b) => n + 2 + (b.tOffsetMs !== undefined ? 1 : 0), 0);
    expect(await paper.locator('[data-tick]').count()).toBe(total);
    // Low confidence fades a tick.
    const faded = perLead.flatMap((b) => [b.qrsOnsetConfidence, b.qrsOffsetConfidence]).filter((c) => c < 0.5).length;
    expect(await paper.locator('[data-tick].faded').count()).toBe(faded);

    // The tooltip names the lead, the boundary, ms from R and the confidence.
    const ii = perLead.find((b) => b.lead === 'II')!;
    const onsetII = paper.locator('g[data-lead="II"] [data-tick="qrsOnset"]');
    const sign = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(0)}`;
    expect(await onsetII.locator('title').textContent()).toBe(
      `II QRS onset ${sign(ii.qrsOnsetMs)} ms from R, confidence ${ii.qrsOnsetConfidence.toFixed(2)}; ` +
        `${ii.qrsCounted ? 'counted' : 'not counted'} toward the global QRS`,
    );

    // On the paper: a tick stands (its ms − the global QRS onset's ms) × 25 mm/s from the global QRS onset line.
    const pxPerMm = Number(/at ([\d.]+) px\/mm/.exec(await page.locator('.calibration').innerText())![1]);
    const globalOnsetMs =
      (Number(await page.locator('[data-boundary="qrsOnset"]').getAttribute('data-offset')) / expected.samplingRate) * 1000;
    const centre = async (l: ReturnType<typeof paper.locator>) => {
      const box = (await l.boundingBox())!;
      return box.x + box.width / 2;
    };
    // And from the panel's left edge, where the beat starts (`pre` samples before R).
    const preMs = (expected.pre / expected.samplingRate) * 1000;
    for (const lead of ['II', 'V2', 'V5']) {
      const b = perLead.find((x) => x.lead === lead)!;
      const line = await centre(paper.locator(`g[data-lead="${lead}"] [data-grip="qrsOnset"]`));
      const left = (await paper.locator(`g[data-lead="${lead}"] rect.panel`).boundingBox())!.x;
      for (const [tick, ms] of [
        ['qrsOnset', b.qrsOnsetMs],
        ['qrsOffset', b.qrsOffsetMs],
        ['tOffset', b.tOffsetMs],
      ] as const) {
        if (ms === undefined) continue;
        const x = await centre(paper.locator(`g[data-lead="${lead}"] [data-tick="${tick}"]`));
        expect(Math.abs(x - line - ((ms - globalOnsetMs) / 1000) * 25 * pxPerMm), `${lead} ${tick}`).toBeLessThanOrEqual(1);
        expect(Math.abs(x - left - ((preMs + ms) / 1000) * 25 * pxPerMm), `${lead} ${tick} from the edge`).toBeLessThanOrEqual(1.5);
      }
    }

    // The legend, and the words on which leads decided the global boundaries.
    expect(await page.locator('[data-testid="lead-tick-legend"]').innerText()).toMatch(/that lead's own QRS onset and offset/);
    const reasons = await page.locator('[data-testid="global-boundary-reasons"] li').allInnerTexts();
    expect(reasons[0]).toMatch(
      /^Global QRS onset [−+]\d+ ms (= .+ the \d+(st|nd|rd|th)(–\d+(st|nd|rd|th))? earliest of \d+ counted leads|: from the slope)/,
    );
    expect(reasons.some((r) => r.startsWith('Global T end'))).toBe(expected.automatic.tOffset !== undefined);
    await page.screenshot({ path: artifactPath('median-lead-ticks.png') });

    // The toggle hides them (and the legend); the b key brings them back.
    await page.locator('[data-testid="lead-ticks-toggle"]').click();
    await poll(() => paper.locator('[data-tick]').count()).toBe(0);
    expect(await page.locator('[data-testid="lead-tick-legend"]').count()).toBe(0);
    expect(await paper.locator('[data-grip="qrsOnset"]').count()).toBe(12); // the global lines stay
    await page.keyboard.press('b');
    await poll(() => paper.locator('[data-tick]').count()).toBe(total);
    expect(await page.locator('[data-testid="lead-ticks-toggle"]').isChecked()).toBe(true);
    await page.keyboard.press('b');
    await poll(() => paper.locator('[data-tick]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
