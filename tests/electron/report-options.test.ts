// What Electron is asked for the one-page report, checked without Electron (its binary cannot run here): the
// printToPDF and print options, the print view's address, the IPC payload check and the File menu items.
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { ingestDialogOptions, pickedPaths } from '../../src-main/electron/ingest-dialog.ts';
import { appMenuTemplate } from '../../src-main/electron/app-menu.ts';
import { reportFileName, reportPdfOptions, reportPrintOptions, reportRequest, reportUrl } from '../../src-main/electron/report-options.ts';

describe('the report from Electron', () => {
  it('asks printToPDF for the page the print view sets: landscape, the paper, no margins, no scaling, backgrounds on', () => {
    for (const [paper, size] of [
      ['a4', 'A4'],
      ['letter', 'Letter'],
    ] as const) {
      expect(reportPdfOptions(paper)).toEqual({
        landscape: true,
        printBackground: true,
        preferCSSPageSize: true,
        scale: 1,
        pageSize: size,
        margins: { top: 0, bottom: 0, left: 0, right: 0 },
        displayHeaderFooter: false,
      });
      expect(reportPrintOptions(paper)).toMatchObject({
        landscape: true,
        pageSize: size,
        scaleFactor: 100,
        margins: { marginType: 'none' },
      });
    }
  });

  it('loads the print view from the app origin and names the file after the record', () => {
    expect(reportUrl({ recordId: 12, paper: 'letter' })).toBe('app://leadlens/index.html?print=12&paper=letter');
    expect(reportFileName('JS 00004/x', 'a4')).toBe('JS_00004_x-report-a4.pdf');
  });

  it('checks the IPC payload with one-line errors', () => {
    expect(reportRequest({ recordId: 3, paper: 'a4', action: 'pdf' })).toEqual({ recordId: 3, paper: 'a4', action: 'pdf' });
    expect(() => reportRequest({ recordId: 0, paper: 'a4', action: 'pdf' })).toThrow('report: recordId must be a positive integer');
    expect(() => reportRequest({ recordId: 3, paper: 'a3', action: 'pdf' })).toThrow('report: paper must be a4 or letter');
    expect(() => reportRequest({ recordId: 3, paper: 'a4', action: 'fax' })).toThrow('report: action must be pdf or print');
    expect(() => reportRequest(undefined)).toThrow(/recordId/);
  });

  it('puts "Ingest files…", "Ingest folder…", "Print report…" and "Save as PDF…" in the File menu on every platform', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const onReport = vi.fn();
      const onIngest = vi.fn();
      const file = appMenuTemplate(true, platform, { onReport, onIngest }).find((m) => m.label === 'File');
      const items = (file?.submenu ?? []) as MenuItemConstructorOptions[];
      const byLabel = (l: string) => items.find((i) => i.label === l)!;
      expect(byLabel('Print report…').accelerator).toBe('CmdOrCtrl+P');
      (byLabel('Print report…').click as () => void)();
      (byLabel('Save as PDF…').click as () => void)();
      expect(onReport.mock.calls).toEqual([['print'], ['pdf']]);
      expect(byLabel('Ingest files…').accelerator).toBe('CmdOrCtrl+O');
      (byLabel('Ingest files…').click as () => void)();
      (byLabel('Ingest folder…').click as () => void)();
      expect(onIngest.mock.calls).toEqual([['files'], ['folders']]);
    }
  });

  it('opens files or folders, several at once, and a cancelled dialog ingests nothing', () => {
    expect(ingestDialogOptions('files').properties).toEqual(['openFile', 'multiSelections']);
    expect(ingestDialogOptions('folders').properties).toEqual(['openDirectory', 'multiSelections']);
    expect(pickedPaths({ canceled: true, filePaths: ['/x'] })).toEqual([]);
    expect(pickedPaths({ canceled: false, filePaths: ['/x', '/y'] })).toEqual(['/x', '/y']);
  });
});
