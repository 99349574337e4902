// The XML side of every XML ECG reader (HL7 aECG, GE MUSE, Philips SierraECG): decoding the bytes
// as the file declares them, one parser configured with hard limits, and small tree accessors.
import { XMLParser } from 'fast-xml-parser';
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';

export type XmlNode = Record<string, unknown>;

/**
 * Deepest element nesting accepted. Vendor files nest at most ~12 levels (Philips SierraECG 1.04:
 * restingecgdata/internalmeasurements/leadmeasurements/leadmeasurement/leadqualitystates/...;
 * HL7 aECG ~16), so 64 leaves room while still refusing a file that nests without end.
 */
export const MAX_XML_DEPTH = 64;

// Entities are never expanded (no DTD entity can grow the document: no "billion laughs"); the
// five predefined entities and character references are decoded by `decodeEntities` in `text`.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  maxNestedTags: MAX_XML_DEPTH,
});

const BOM_ENCODINGS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/** The encoding the bytes are in: byte-order mark, then a BOM-less UTF-16 '<', then the prolog's `encoding`, else UTF-8. */
export function xmlEncoding(bytes: Uint8Array): { encoding: string; bomLength: number } {
  for (const [bom, encoding] of BOM_ENCODINGS) {
    if (bom.every((b, i) => bytes[i] === b)) return { encoding, bomLength: bom.length };
  }
  if (bytes[0] === 0x3c && bytes[1] === 0) return { encoding: 'utf-16le', bomLength: 0 };
  if (bytes[0] === 0 && bytes[1] === 0x3c) return { encoding: 'utf-16be', bomLength: 0 };
  const prolog = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = prolog.match(/^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/)?.[1];
  return { encoding: declared?.toLowerCase() ?? 'utf-8', bomLength: 0 };
}

/** The document's text, decoded as its BOM or prolog says. A UTF-16 prolog in a file without a BOM or
 *  UTF-16 bytes is read as UTF-8 (the bytes are what count). Throws FormatError for an unknown encoding. */
export function decodeXml(bytes: Uint8Array, where: string): string {
  const { encoding, bomLength } = xmlEncoding(bytes);
  const label = /^utf-?16$/.test(encoding) ? 'utf-8' : encoding;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: false });
  } catch {
    throw new FormatError(`${where}: XML encoding '${printable(encoding, 40)}' is not supported`);
  }
  return decoder.decode(bytes.subarray(bomLength));
}

/** The first bytes of a file as text (for content detection), whatever its encoding. */
export function xmlHead(head: Uint8Array): string {
  try {
    return decodeXml(head, '');
  } catch {
    return new TextDecoder('latin1').decode(head);
  }
}

/** The parsed document. Throws FormatError with the parser's first line (e.g. nesting beyond MAX_XML_DEPTH). */
export function parseXml(xml: string, where: string): XmlNode {
  try {
    return parser.parse(xml) as XmlNode;
  } catch (e) {
    const message = String((e as Error).message).split('\n')[0];
    if (/Maximum nested tags/.test(message)) throw new FormatError(`${where}: XML nests deeper than ${MAX_XML_DEPTH} elements`);
    throw new FormatError(`${where}: not well-formed XML (${printable(message, 120)})`);
  }
}

/** A warning when the text stops before the root element's end tag: the parser reads unclosed elements
 *  as if closed, so a cut-off file would otherwise pass for a complete one. */
export function truncationWarning(xml: string, root: string): string | undefined {
  const tail = xml.slice(-200).trimEnd();
  return new RegExp(`</([\\w-]+:)?${root}\\s*>$`).test(tail)
    ? undefined
    : `the file ends before </${root}> (truncated); read what is complete`;
}

/** The name of the document's root element (ignoring a namespace prefix), or undefined. */
export function rootName(doc: XmlNode): string | undefined {
  return Object.keys(doc).find((k) => !k.startsWith('@') && k !== '#text' && !k.startsWith('?') && !k.startsWith('!'));
}

/** The root element `name`, or a one-line error naming the root the document has instead. */
export function requireRoot(doc: XmlNode, name: string, where: string): XmlNode {
  const root = one(doc, name);
  if (root) return root;
  const found = rootName(doc);
  throw new FormatError(`${where}: ${found ? `root element <${printable(found, 40)}> is not ${name}` : 'no root element'}`);
}

export const isNode = (x: unknown): x is XmlNode => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Children named `key` as a list (the parser gives one child as an object or string, several as an array). */
export function all(node: unknown, key: string): XmlNode[] {
  if (!isNode(node)) return [];
  const v = node[key];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  // A text-only child comes as a string; wrap it so callers see elements uniformly.
  return list.map((c) => (typeof c === 'string' ? { '#text': c } : c)).filter(isNode);
}

/** The first child along a path of element names. */
export const one = (node: unknown, ...keys: string[]): XmlNode | undefined => {
  let cur: unknown = node;
  for (const k of keys) cur = all(cur, k)[0];
  return isNode(cur) ? cur : undefined;
};

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The predefined XML entities and character references decoded; any other entity kept as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? m;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

export const attr = (node: XmlNode | undefined, name: string): string | undefined => {
  const v = node?.[`@${name}`];
  return typeof v === 'string' && v.trim() !== '' ? decodeEntities(v.trim()) : undefined;
};

/** An element's own text, entities decoded (undefined when it has none). */
export const text = (node: unknown): string | undefined => {
  if (typeof node === 'string') return decodeEntities(node);
  if (isNode(node) && typeof node['#text'] === 'string') return decodeEntities(node['#text']);
  return undefined;
};

/** The trimmed text of the first child along a path, undefined when absent or empty. */
export function childText(node: unknown, ...keys: string[]): string | undefined {
  const t = text(one(node, ...keys))?.trim();
  return t ? t : undefined;
}

/** A decimal number written as text, else undefined ('Failed', '', 'NaN', absent). */
export function decimal(t: string | undefined): number | undefined {
  const v = t !== undefined && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t.trim()) ? Number(t) : NaN;
  return Number.isFinite(v) ? v : undefined;
}

/** A child's text as a finite number, else undefined. */
export function childNumber(node: unknown, ...keys: string[]): number | undefined {
  return decimal(childText(node, ...keys));
}

/** Whole years between a birth date and a recording date (both ISO 'YYYY-MM-DD...'); undefined when implausible. */
export function ageAtDate(birthIso: string | undefined, atIso: string | undefined): number | undefined {
  if (!birthIso || !atIso || !/^\d{4}-\d{2}-\d{2}/.test(birthIso) || !/^\d{4}-\d{2}-\d{2}/.test(atIso)) return undefined;
  const [by, bm, bd] = birthIso.slice(0, 10).split('-').map(Number);
  const [ay, am, ad] = atIso.slice(0, 10).split('-').map(Number);
  const age = ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
  return age >= 0 && age < 150 ? age : undefined;
}

/** Base64 text as bytes; throws FormatError when it holds anything but base64 characters and whitespace. */
export function base64Bytes(b64: string, what: string): Uint8Array {
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    const bad = clean.match(/[^A-Za-z0-9+/=]/)?.[0];
    throw new FormatError(`${what}: not base64${bad ? ` (character '${printable(bad, 4)}')` : ''}`);
  }
  return new Uint8Array(Buffer.from(clean, 'base64'));
}
