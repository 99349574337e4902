// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. One incremental parser serves whole
// texts and files read chunk by chunk (a dataset index of 22k rows is never held whole).
import { createReadStream } from 'node:fs';
import { FormatError } from './format-error.ts';

/** Takes text in pieces of any size (a chunk may end inside a field or between '\r' and '\n'), gives complete rows. */
export class CsvRowParser {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** A '"' seen inside a quoted field: a doubled quote or the field's end, decided by the next character. */
  private quoteInQuoted = false;
  private skipLf = false;
  private started = false;
  private line = 1;
  private quoteLine = 0;

  constructor(private readonly where: string) {}

  /** Rows completed by `text`. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (const n = text.length; i < n; i++) {
      const c = text[i];
      if (this.quoteInQuoted) {
        this.quoteInQuoted = false;
        if (c === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      } else if (this.quoted) {
        if (c === '"') this.quoteInQuoted = true;
        else {
          if (c === '\n') this.line++;
          this.field += c;
        }
        continue;
      }
      if (this.skipLf) {
        this.skipLf = false;
        if (c === '\n') continue;
      }
      if (c === '"' && this.field === '') {
        this.quoted = true;
        this.quoteLine = this.line;
      } else if (c === ',') {
        this.row.push(this.field);
        this.field = '';
      } else if (c === '\n' || c === '\r') {
        this.row.push(this.field);
        rows.push(this.row);
        this.row = [];
        this.field = '';
        this.line++;
        this.skipLf = c === '\r';
      } else {
        this.field += c;
      }
    }
    return rows;
  }

  /** The last row, when the text does not end with a line break. Throws FormatError on an unterminated quote. */
  end(): string[][] {
    if (this.quoteInQuoted) this.quoted = false;
    if (this.quoted) throw new FormatError(`${this.where}:${this.quoteLine}: unterminated quoted field`);
    if (this.field === '' && this.row.length === 0) return [];
    this.row.push(this.field);
    const last = this.row;
    this.row = [];
    this.field = '';
    return [last];
  }
}

/** Parse CSV text into rows of fields. Throws FormatError on an unterminated quote. */
export function parseCsv(text: string, where: string): string[][] {
  const parser = new CsvRowParser(where);
  return [...parser.push(text), ...parser.end()];
}

const isBlank = (r: string[]): boolean => r.length === 1 && r[0].trim() === '';

function rowRecord(columns: string[], r: string[], k: number, where: string): Record<string, string> {
  if (r.length !== columns.length) {
    throw new FormatError(`${where}: data row ${k} has ${r.length} fields, the header has ${columns.length}`);
  }
  const o: Record<string, string> = {};
  columns.forEach((c, j) => {
    o[c] = r[j];
  });
  return o;
}

/** CSV with a header row as objects keyed by column name; blank lines are skipped. */
export function parseCsvRecords(text: string, where: string): { columns: string[]; rows: Record<string, string>[] } {
  const all = parseCsv(text, where).filter((r) => !isBlank(r));
  if (all.length === 0) throw new FormatError(`${where}: empty CSV file`);
  const columns = all[0].map((c) => c.trim());
  return { columns, rows: all.slice(1).map((r, k) => rowRecord(columns, r, k + 1, where)) };
}

export interface CsvFileOptions {
  /** Called with the header row before any data row; may throw to refuse the file. */
  onColumns?(columns: string[]): void;
  /** A row with the wrong number of fields is passed here and left out; without it the read throws. */
  onBadRow?(reason: string): void;
}

/**
 * The data rows of a CSV file with a header row, read in 64 KiB chunks: memory holds one chunk's rows, not the file.
 * Blank lines are skipped. Throws FormatError for an empty file or an unterminated quote (after the rows before it).
 */
export async function* readCsvFileRecords(file: string, opts: CsvFileOptions = {}): AsyncGenerator<Record<string, string>> {
  const parser = new CsvRowParser(file);
  let columns: string[] | undefined;
  let k = 0;
  const take = function* (rows: string[][]): Generator<Record<string, string>> {
    for (const r of rows) {
      if (isBlank(r)) continue;
      if (columns === undefined) {
        columns = r.map((c) => c.trim());
        opts.onColumns?.(columns);
        continue;
      }
      k++;
      if (r.length !== columns.length && opts.onBadRow) {
        opts.onBadRow(`data row ${k} has ${r.length} fields, the header has ${columns.length}`);
        continue;
      }
      yield rowRecord(columns, r, k, file);
    }
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    yield* take(parser.push(chunk as string));
  }
  yield* take(parser.end());
  if (columns === undefined) throw new FormatError(`${file}: empty CSV file`);
}
