// `leadlens report`: the one-page 12-lead report as a PDF, the app's own print view rendered by headless Chromium
// (the same page Electron's printToPDF and a browser's print dialog use), served for the moment on 127.0.0.1.
import fs from 'node:fs';
import path from 'node:path';
import { PAPERS, printSearch, type PaperName } from '../../../src-shared/print-request.ts';
import { startAppSession } from '../../api/app-session.ts';
import { rendererDir } from '../../resources.ts';
import { startServer } from '../../server/serve.ts';
import { recordsByIdOrName } from '../../store/record-store.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { resolveRecordRef } from '../record-ref.ts';

const CHROMIUM = process.env.LEADLENS_CHROMIUM ?? '/usr/bin/chromium';

export const command: CliCommand = {
  name: ['report'],
  summary: 'write the one-page 12-lead report (25 mm/s, 10 mm/mV, landscape) of a record as a PDF',
  usage: 'leadlens report --record ID|NAME --out FILE.pdf [--paper a4|letter] [--saliency MAP_ID] [--workspace DIR] [--json]',
  options: { record: 'string', out: 'string', paper: 'string', saliency: 'string' },
  async run(args, ctx) {
    const ref = args.options.record;
    if (typeof ref !== 'string') throw new UsageError('report needs --record ID|NAME');
    const out = args.options.out;
    if (typeof out !== 'string' || out.trim() === '') throw new UsageError('report needs --out FILE.pdf');
    const paper = String(args.options.paper ?? 'a4').toLowerCase();
    if (!(paper in PAPERS)) throw new UsageError(`--paper must be a4 or letter, got '${paper.slice(0, 40)}'`);
    const sal = args.options.saliency;
    const saliencyId = typeof sal === 'string' ? Number(sal) : undefined;
    if (saliencyId !== undefined && (!Number.isInteger(saliencyId) || saliencyId < 1))
      throw new UsageError(`--saliency takes a saliency map id, got '${String(sal).slice(0, 40)}'`);
    const target = path.resolve(out);
    if (!fs.existsSync(path.dirname(target))) throw new Error(`--out: no folder ${path.dirname(target)}`);
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set LEADLENS_CHROMIUM`);
    const ids = resolveRecordRef(ctx.workspace().db, ref);
    if (ids.length > 1)
      throw new UsageError(`--record ${ref} names ${ids.length} records (${ids.map((i) => `#${i}`).join(', ')}): say --record id:N`);
    const recordId = ids[0];
    const { chromium } = await import('playwright-core').catch(() => {
      throw new Error('leadlens report renders with playwright-core, which this installation lacks');
    });

    const session = await startAppSession({ workspaceDir: ctx.workspaceDir, transport: 'http', seed: false, analysisWorkers: 0 });
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
    try {
      server = await startServer({ session, rendererDir: rendererDir(), host: '127.0.0.1', port: 0 });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
      });
      const page = await browser.newPage();
      const base = new URL(server.url);
      const search = printSearch({ recordId, paper: paper as PaperName, ...(saliencyId ? { saliencyId } : {}) }, server.token);
      await page.goto(`${base.origin}/${search}`);
      await page.waitForFunction(() => document.documentElement.dataset.printReady, undefined, { timeout: 120_000 });
      if ((await page.evaluate(() => document.documentElement.dataset.printReady)) !== '1')
        throw new Error(`report: ${(await page.locator('[role=alert]').first().textContent()) ?? 'the print view failed'}`);
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: target, preferCSSPageSize: true, printBackground: true });
    } finally {
      await browser?.close();
      await server?.close();
      await session.close();
    }
    const recordName = recordsByIdOrName(ctx.workspace().db, recordId, '').byId?.recordName ?? String(recordId);
    ctx.log(`${recordName} (#${recordId}): report written to ${target} (${paper === 'a4' ? 'A4' : 'Letter'} landscape)`);
    return { recordId, recordName, paper, out: target };
  },
};
