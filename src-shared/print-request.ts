// The print view is the app's page opened with ?print=RECORD_ID[&paper=a4|letter][&saliency=MAP_ID]: one landscape page
// at 25 mm/s and 10 mm/mV, laid out in real mm. Electron's printToPDF, the browser's print dialog and the tests load it.

export const PAPERS = {
  a4: { css: 'A4', widthMm: 297, heightMm: 210 },
  letter: { css: 'letter', widthMm: 279.4, heightMm: 215.9 },
} as const;
export type PaperName = keyof typeof PAPERS;

export interface PrintRequest {
  recordId: number;
  paper: PaperName;
  saliencyId?: number;
}

const isPaper = (p: string): p is PaperName => p in PAPERS;

/** The print request in a page's query string, or undefined for the ordinary app. Throws on a malformed one. */
export function printRequest(search: string): PrintRequest | undefined {
  const q = new URLSearchParams(search);
  const id = q.get('print');
  if (id === null) return undefined;
  const recordId = Number(id);
  if (!Number.isInteger(recordId) || recordId < 1) throw new Error(`print: record id must be a positive integer, got '${id}'`);
  const paper = (q.get('paper') ?? 'a4').toLowerCase();
  if (!isPaper(paper)) throw new Error(`print: paper must be a4 or letter, got '${paper}'`);
  const sal = q.get('saliency');
  const saliencyId = sal === null ? undefined : Number(sal);
  if (saliencyId !== undefined && (!Number.isInteger(saliencyId) || saliencyId < 1))
    throw new Error(`print: saliency must be a map id, got '${sal}'`);
  return { recordId, paper, ...(saliencyId ? { saliencyId } : {}) };
}

/** The query string that opens the print view (the serve token, if any, kept). */
export function printSearch(req: PrintRequest, token?: string | null): string {
  const q = new URLSearchParams();
  if (token) q.set('token', token);
  q.set('print', String(req.recordId));
  q.set('paper', req.paper);
  if (req.saliencyId) q.set('saliency', String(req.saliencyId));
  return `?${q.toString()}`;
}
