// `leadlens report`: the print view rendered to a one-page PDF by headless Chromium from the built CLI, with the
// command line's usage errors (exit 2) and missing pieces (exit 1) said in one line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineCentres, pdfInfo, rasterisePdf } from '../helpers/pdf-raster.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

describe('leadlens report', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-report-'));
  const ingest = runLeadlens(['ingest', '--workspace', ws, path.join(REPO_ROOT, 'resources', 'samples')]);

  it('writes one A4 landscape page whose 5 mm grid measures 5 mm at 300 dpi, for a record given by name', () => {
    expect(ingest.status, ingest.stderr).toBe(0);
    const out = path.join(ws, 'JS00049.pdf');
    const r = runLeadlens(['report', '--workspace', ws, '--record', 'JS00049', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ recordName: 'JS00049', paper: 'a4', out });
    const info = pdfInfo(out);
    expect(info.pages).toBe(1);
    expect(info.pageSizePt[0]).toBeCloseTo(841.89, 0);
    const xs = lineCentres(rasterisePdf(out, 300), [0xe5, 0x8f, 0x8f], 'x');
    expect(xs).toHaveLength(53);
    const pitch = (xs.at(-1)! - xs[0]) / (xs.length - 1);
    expect(Math.abs(pitch - (5 * 300) / 25.4) / ((5 * 300) / 25.4)).toBeLessThan(0.01);
  }, 300_000);

  it('says what is wrong in one line: bad paper (exit 2), unknown record, no Chromium, no folder (exit 1)', () => {
    const out = path.join(ws, 'x.pdf');
    const cases: [string[], number, RegExp][] = [
      [['--record', 'JS00049', '--out', out, '--paper', 'a3'], 2, /^leadlens report: --paper must be a4 or letter, got 'a3'\n$/],
      [['--record', 'JS00049'], 2, /needs --out FILE\.pdf/],
      [['--record', 'nope', '--out', out], 1, /no stored record with id or name 'nope'/],
      [['--record', 'JS00049', '--out', path.join(ws, 'missing', 'x.pdf')], 1, /--out: no folder .*missing/],
    ];
    for (const [args, status, message] of cases) {
      const r = runLeadlens(['report', '--workspace', ws, ...args]);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const r = runLeadlens(['report', '--workspace', ws, '--record', 'JS00049', '--out', out], {
      LEADLENS_CHROMIUM: '/nonexistent/chromium',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'leadlens report: no Chromium at /nonexistent/chromium: install it (apt-get install chromium) or set LEADLENS_CHROMIUM\n',
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
