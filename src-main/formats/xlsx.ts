// Cell text of the first worksheet of an .xlsx workbook (shared strings, inline strings and numbers).
import { FormatError } from './format-error.ts';
import { zipRead } from './zip.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** Text runs of one <si>/<is> element joined (rich text is several <t> runs). */
const runs = (xml: string): string => unescapeXml([...xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((m) => m[1]).join(''));

/** Zero-based column index of a cell reference such as 'AB12'. */
function columnIndex(ref: string): number {
  let col = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return col - 1;
}

/** Rows of the first sheet as text cells ('' where empty), in sheet order. */
export function readFirstSheet(xlsx: Uint8Array, where: string): string[][] {
  const decoder = new TextDecoder();
  const sheetBytes = zipRead(xlsx, 'xl/worksheets/sheet1.xml', where);
  if (!sheetBytes) throw new FormatError(`${where}: workbook has no xl/worksheets/sheet1.xml`);
  const sstBytes = zipRead(xlsx, 'xl/sharedStrings.xml', where);
  const shared = sstBytes ? [...decoder.decode(sstBytes).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runs(m[1])) : [];
  const rows: string[][] = [];
  for (const row of decoder.decode(sheetBytes).matchAll(/<row\b[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const cells: string[] = [];
    for (const c of (row[1] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1];
      const ref = attrs.match(/\br="([A-Z]+)\d+"/)?.[1];
      const type = attrs.match(/\bt="(\w+)"/)?.[1];
      const body = c[2] ?? '';
      const v = body.match(/<v>([^<]*)<\/v>/)?.[1];
      let text = '';
      if (type === 's') text = shared[Number(v)] ?? '';
      else if (type === 'inlineStr') text = runs(body);
      else if (v !== undefined) text = unescapeXml(v);
      const col = ref ? columnIndex(ref) : cells.length;
      if (col < 0 || col > 16384) continue;
      while (cells.length < col) cells.push('');
      cells[col] = text;
    }
    rows.push(cells);
  }
  return rows;
}
