// A record selection's query: what a saved selection (and the worklist, train, eval, explain, export) filters records
// on. Every field narrows the selection (all must hold); within a list, any value matches.

export interface SelectionQuery {
  /** Source formats the record arrived from ('cinc', 'ptbxl', 'ludb', 'wfdb', ...). */
  sources?: string[];
  /** Folders the record's source file lies in (the folder itself or below it). */
  folders?: string[];
  /** SNOMED (or other) label codes, current and present on the record. */
  labels?: string[];
  reviewStates?: string[];
  /** Records this person reviewed: set a label or the review state. */
  reviewer?: string;
  /** Date of ingest, inclusive (YYYY-MM-DD or a full ISO time). */
  ingestedFrom?: string;
  ingestedTo?: string;
  tags?: string[];
  patientIds?: string[];
  /** Record names or ids. */
  records?: string[];
}

export const SELECTION_LIST_FIELDS = ['sources', 'folders', 'labels', 'reviewStates', 'tags', 'patientIds', 'records'] as const;
export const SELECTION_TEXT_FIELDS = ['reviewer', 'ingestedFrom', 'ingestedTo'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?$/;

/** A saved selection's name: a word people type on the command line. */
export function checkSelectionName(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
    return `selection name '${name.slice(0, 40)}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`;
  return undefined;
}

/** A tag: like a selection name, so it survives a command line. */
export function checkTag(tag: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(tag))
    return `tag '${tag.slice(0, 40)}' must be 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`;
  return undefined;
}

/** The query without empty fields, or one line saying what is wrong with it. */
export function normaliseSelectionQuery(q: SelectionQuery): SelectionQuery {
  const out: SelectionQuery = {};
  for (const f of SELECTION_LIST_FIELDS) {
    const v = q[f];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new Error(`selection ${f} must be a list of strings`);
    const list = [...new Set(v.map((s) => s.trim()).filter(Boolean))];
    if (list.length) out[f] = list;
  }
  for (const f of SELECTION_TEXT_FIELDS) {
    const v = q[f];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new Error(`selection ${f} must be a string`);
    if (v.trim() !== '') out[f] = v.trim();
  }
  for (const f of ['ingestedFrom', 'ingestedTo'] as const) {
    if (out[f] !== undefined && !DATE.test(out[f]!)) throw new Error(`selection ${f} '${out[f]!.slice(0, 40)}' is not a date (YYYY-MM-DD)`);
  }
  for (const t of out.tags ?? []) {
    const err = checkTag(t);
    if (err) throw new Error(err);
  }
  return out;
}

/** One line describing the query, e.g. "sources cinc; labels 426177001, 164889003". */
export function describeSelectionQuery(q: SelectionQuery): string {
  const parts: string[] = [];
  for (const f of SELECTION_LIST_FIELDS) if (q[f]?.length) parts.push(`${f} ${q[f]!.join(', ')}`);
  if (q.reviewer) parts.push(`reviewer ${q.reviewer}`);
  if (q.ingestedFrom || q.ingestedTo) parts.push(`ingested ${q.ingestedFrom ?? '…'} to ${q.ingestedTo ?? '…'}`);
  return parts.length ? parts.join('; ') : 'every record';
}
