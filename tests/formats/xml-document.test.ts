// The XML layer under every XML ECG reader: decoding as declared, and the parser's limits against
// entity expansion and deep nesting, set so that every real vendor file passes.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_XML_DEPTH, decodeXml, parseXml, rootName, text, xmlEncoding } from '../../src-main/formats/xml-document.ts';
import { hl7AecgReader } from '../../src-main/formats/hl7-aecg.ts';
import { detectReader, readerForFile } from '../../src-main/formats/readers.ts';
import { dataPath } from '../helpers/shared-data.ts';

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((e) => (statSync(path.join(dir, e)).isDirectory() ? walk(path.join(dir, e)) : [path.join(dir, e)]));

/** Deepest element nesting, counted over the text (independent of the parser). */
function depth(xml: string): number {
  let d = 0;
  let max = 0;
  for (const m of xml.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)[^>]*?(\/?)>/g)) {
    if (m[1]) d--;
    else if (!m[3]) max = Math.max(max, ++d);
  }
  return max;
}

describe('XML documents', () => {
  it('reads an HL7 aECG file saved as UTF-16 with a BOM like its UTF-8 original', async () => {
    const src = dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_04', 'ad4d3d80-d165_1-04_converted.xml');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'aecg-utf16-')), 'utf16.xml');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(readFileSync(src, 'utf8').replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le'),
      ]),
    );
    const head = new Uint8Array(readFileSync(file).subarray(0, 4096));
    expect(detectReader(head, file)?.format).toBe('hl7-aecg');
    const [a] = await hl7AecgReader.read(src);
    const [b] = await hl7AecgReader.read(file);
    expect(b.length).toBe(a.length);
    expect(b.leads.map((l) => Array.from(l.digital.subarray(0, 50)))).toEqual(a.leads.map((l) => Array.from(l.digital.subarray(0, 50))));
  });

  it('names the root of an XML file no reader knows', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'other-xml-')), 'other.xml');
    writeFileSync(file, '<?xml version="1.0"?><Invoice><Total>3</Total></Invoice>');
    const reader = readerForFile(new Uint8Array(readFileSync(file)), file)!;
    await expect(reader.read(file)).rejects.toThrow(
      'other.xml: root element <Invoice> is not an ECG XML LeadLens reads (AnnotatedECG, RestingECG, restingecgdata)',
    );
  });

  const files = walk(dataPath('formats')).filter((f) => /\.xml$/i.test(f));

  it('parses every XML sample in ../shared/data/formats within the nesting limit, with room to spare', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    let deepest = 0;
    for (const f of files) {
      const xml = decodeXml(new Uint8Array(readFileSync(f)), path.basename(f));
      deepest = Math.max(deepest, depth(xml));
      if (path.basename(f) === 'empty.xml') continue;
      expect(rootName(parseXml(xml, path.basename(f))), f).toMatch(/^(AnnotatedECG|RestingECG|restingecgdata)$/);
    }
    expect(deepest).toBeGreaterThan(8);
    expect(deepest * 2).toBeLessThanOrEqual(MAX_XML_DEPTH);
  });

  it('refuses nesting beyond the limit in one line', () => {
    const deep = `<a>${'<b>'.repeat(MAX_XML_DEPTH + 1)}${'</b>'.repeat(MAX_XML_DEPTH + 1)}</a>`;
    expect(() => parseXml(deep, 'deep.xml')).toThrow(`deep.xml: XML nests deeper than ${MAX_XML_DEPTH} elements`);
    const ok = `<a>${'<b>'.repeat(MAX_XML_DEPTH - 2)}${'</b>'.repeat(MAX_XML_DEPTH - 2)}</a>`;
    expect(rootName(parseXml(ok, 'ok.xml'))).toBe('a');
  });

  it('never expands DTD entities (no billion laughs), but decodes the predefined ones and character references', () => {
    const lol = ['<!ENTITY l0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`)].join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE r [${lol}]><r><s>&l9;</s><t>a &lt; b &amp;&#x3bc;V &#181;</t></r>`;
    const doc = parseXml(bomb, 'bomb.xml') as { r: { s: unknown; t: unknown } };
    expect(text(doc.r.s)).toBe('&l9;');
    expect(text(doc.r.t)).toBe('a < b &\u03bcV \u00b5');
  });

  it('decodes by byte-order mark, BOM-less UTF-16, and the prolog encoding (ISO-8859-1), else UTF-8', () => {
    const doc = '<?xml version="1.0" encoding="ISO-8859-1"?><r>H\u00f4pital</r>';
    const latin = new Uint8Array(Buffer.from(doc, 'latin1'));
    expect(xmlEncoding(latin).encoding).toBe('iso-8859-1');
    expect(decodeXml(latin, 'x')).toContain('H\u00f4pital');
    const le = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<r>\u00e9</r>', 'utf16le')]));
    expect(decodeXml(le, 'x')).toBe('<r>\u00e9</r>');
    const be = new Uint8Array(Buffer.from('<r>\u00e9</r>', 'utf16le').swap16());
    expect(xmlEncoding(be).encoding).toBe('utf-16be');
    expect(decodeXml(be, 'x')).toBe('<r>\u00e9</r>');
    expect(decodeXml(new Uint8Array(Buffer.from('\ufeff<r>\u00e9</r>', 'utf8')), 'x')).toBe('<r>\u00e9</r>');
    expect(decodeXml(new Uint8Array(Buffer.from('<r>\u00e9</r>', 'utf8')), 'x')).toBe('<r>\u00e9</r>');
    expect(() => decodeXml(new Uint8Array(Buffer.from('<?xml version="1.0" encoding="x-nonsense"?><r/>')), 'y.xml')).toThrow(
      "y.xml: XML encoding 'x-nonsense' is not supported",
    );
  });
});
