// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
import { FormatError } from './format-error.ts';

/** Parse CSV text into rows of fields. Throws FormatError on an unterminated quote. */
export function parseCsv(text: string, where: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let quotedAt = -1;
  while (i < n) {
    const c = text[i];
    if (quotedAt >= 0) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quotedAt = -1;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quotedAt = i;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (quotedAt >= 0) {
    const line = text.slice(0, quotedAt).split('\n').length;
    throw new FormatError(`${where}:${line}: unterminated quoted field`);
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** CSV with a header row as objects keyed by column name; blank lines are skipped. */
export function parseCsvRecords(text: string, where: string): { columns: string[]; rows: Record<string, string>[] } {
  const all = parseCsv(text, where).filter((r) => !(r.length === 1 && r[0].trim() === ''));
  if (all.length === 0) throw new FormatError(`${where}: empty CSV file`);
  const columns = all[0].map((c) => c.trim());
  const rows = all.slice(1).map((r, k) => {
    if (r.length !== columns.length) {
      throw new FormatError(`${where}: data row ${k + 1} has ${r.length} fields, the header has ${columns.length}`);
    }
    const o: Record<string, string> = {};
    columns.forEach((c, j) => { o[c] = r[j]; });
    return o;
  });
  return { columns, rows };
}
