// Prints or saves the one-page report: the print view loaded in a hidden window of the app's own page (same preload,
// sandbox and API checks as the main window), awaited until drawn, then printToPDF to a file the reader picks, or the
// system print dialog.
import { BrowserWindow, dialog, type WebPreferences } from 'electron';
import fs from 'node:fs';
import type { PrintRequest } from '../../src-shared/print-request.ts';
import { reportFileName, reportPdfOptions, reportPrintOptions, reportUrl, type ReportAction } from './report-options.ts';

const READY_TIMEOUT_MS = 60_000;

async function whenDrawn(win: BrowserWindow): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const state = (await win.webContents.executeJavaScript('document.documentElement.dataset.printReady ?? ""')) as string;
    if (state === '1') return;
    if (state === 'error') {
      const message = (await win.webContents.executeJavaScript(
        'document.querySelector("[role=alert]")?.textContent ?? "the report could not be drawn"',
      )) as string;
      throw new Error(`report: ${message}`);
    }
    if (Date.now() > until) throw new Error('report: the print view did not finish drawing in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `windows` is the set of windows allowed to call the API (the hidden one joins it while it draws). Resolves with the
 * saved path ('pdf'), '' when the reader cancelled, or 'printed'.
 */
export async function printReport(
  parent: BrowserWindow,
  windows: Set<BrowserWindow>,
  webPreferences: WebPreferences,
  req: PrintRequest & { action: ReportAction; recordName: string },
): Promise<string> {
  let target: string | undefined;
  if (req.action === 'pdf') {
    const choice = await dialog.showSaveDialog(parent, {
      title: 'Save report as PDF',
      defaultPath: reportFileName(req.recordName, req.paper),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
    if (choice.canceled || !choice.filePath) return '';
    target = choice.filePath;
  }
  const win = new BrowserWindow({ show: false, width: 1200, height: 900, webPreferences });
  windows.add(win);
  try {
    await win.loadURL(reportUrl(req));
    await whenDrawn(win);
    if (target) {
      await fs.promises.writeFile(target, await win.webContents.printToPDF(reportPdfOptions(req.paper)));
      return target;
    }
    await new Promise<void>((resolve, reject) =>
      win.webContents.print(reportPrintOptions(req.paper), (ok, reason) =>
        ok || reason === 'Print job canceled' ? resolve() : reject(new Error(`report: printing failed (${reason})`)),
      ),
    );
    return 'printed';
  } finally {
    windows.delete(win);
    if (!win.isDestroyed()) win.destroy();
  }
}
