// What Electron is asked when it prints or saves the one-page report (the print view at ?print=ID&paper=...): pure, so
// the options can be checked without Electron. The page's own @page rule sets the paper and zero margins; these say the
// same, and never scale (scale 1, preferCSSPageSize), which would break 25 mm/s and 10 mm/mV on paper.
import type { PrintToPDFOptions, WebContentsPrintOptions } from 'electron';
import { PAPERS, printSearch, type PaperName, type PrintRequest } from '../../src-shared/print-request.ts';
import { APP_INDEX_URL } from './app-protocol.ts';

export type ReportAction = 'pdf' | 'print';

const PAGE_SIZE = { a4: 'A4', letter: 'Letter' } as const satisfies Record<PaperName, string>;

export function reportPdfOptions(paper: PaperName): PrintToPDFOptions {
  return {
    landscape: true,
    printBackground: true,
    preferCSSPageSize: true,
    scale: 1,
    pageSize: PAGE_SIZE[paper],
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    displayHeaderFooter: false,
  };
}

/** The system print dialog, preset to the paper, landscape, no margins and 100 % (the reader can still change them). */
export function reportPrintOptions(paper: PaperName): WebContentsPrintOptions {
  return {
    silent: false,
    printBackground: true,
    landscape: true,
    pageSize: PAGE_SIZE[paper],
    margins: { marginType: 'none' },
    scaleFactor: 100,
  };
}

/** The print view's address in the app's own origin. */
export const reportUrl = (req: PrintRequest): string => `${APP_INDEX_URL}${printSearch(req)}`;

/** The suggested file name, e.g. 'JS00004-report-a4.pdf'. */
export const reportFileName = (recordName: string, paper: PaperName): string =>
  `${recordName.replace(/[^\w.-]+/g, '_')}-report-${paper}.pdf`;

/** The IPC payload checked: { recordId, paper, action }, else a one-line error. */
export function reportRequest(payload: unknown): PrintRequest & { action: ReportAction } {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (!Number.isInteger(p.recordId) || (p.recordId as number) < 1) throw new Error('report: recordId must be a positive integer');
  if (typeof p.paper !== 'string' || !(p.paper in PAPERS)) throw new Error('report: paper must be a4 or letter');
  if (p.action !== 'pdf' && p.action !== 'print') throw new Error('report: action must be pdf or print');
  return { recordId: p.recordId as number, paper: p.paper as PaperName, action: p.action };
}
