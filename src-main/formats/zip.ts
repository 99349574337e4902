// Reads entries of a ZIP archive (stored or deflated; no ZIP64, no encryption) held in memory.
import { inflateRawSync } from 'node:zlib';
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Refuse to inflate an entry beyond this, whatever its header claims. */
const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

/** The central directory's entries. */
export function zipEntries(buf: Uint8Array, where: string): ZipEntry[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FormatError(`${where}: not a ZIP archive (no end-of-central-directory record)`);
  const count = view.getUint16(eocd + 10, true);
  let pos = view.getUint32(eocd + 16, true);
  if (count === 0xffff || pos === 0xffffffff) throw new FormatError(`${where}: ZIP64 archives are not supported`);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (pos + 46 > buf.length || view.getUint32(pos, true) !== CENTRAL) {
      throw new FormatError(`${where}: ZIP central directory entry ${n} is corrupt at byte ${pos}`);
    }
    const nameLen = view.getUint16(pos + 28, true);
    const extraLen = view.getUint16(pos + 30, true);
    const commentLen = view.getUint16(pos + 32, true);
    if (pos + 46 + nameLen > buf.length) throw new FormatError(`${where}: ZIP entry name runs past the end at byte ${pos}`);
    entries.push({
      name: new TextDecoder().decode(buf.subarray(pos + 46, pos + 46 + nameLen)),
      method: view.getUint16(pos + 10, true),
      compressedSize: view.getUint32(pos + 20, true),
      size: view.getUint32(pos + 24, true),
      localHeaderOffset: view.getUint32(pos + 42, true),
    });
    pos += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The uncompressed bytes of one entry. */
export function zipEntryData(buf: Uint8Array, entry: ZipEntry, where: string): Uint8Array {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > buf.length || view.getUint32(at, true) !== LOCAL) {
    throw new FormatError(`${where}: ZIP local header of '${printable(entry.name)}' is corrupt at byte ${at}`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw new FormatError(`${where}: ZIP entry '${printable(entry.name)}' runs past the end of the file`);
  const data = buf.subarray(start, end);
  if (entry.method === 0) return data;
  if (entry.method !== 8)
    throw new FormatError(`${where}: ZIP entry '${printable(entry.name)}' uses unsupported compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.min(MAX_ENTRY_BYTES, Math.max(entry.size, 1)) });
  } catch (e) {
    throw new FormatError(
      `${where}: ZIP entry '${printable(entry.name)}' does not inflate (${printable(String((e as Error).message).split('\n')[0], 120)})`,
    );
  }
}

/** Uncompressed bytes of the entry called `name`, or undefined when the archive has none. */
export function zipRead(buf: Uint8Array, name: string, where: string): Uint8Array | undefined {
  const entry = zipEntries(buf, where).find((e) => e.name === name);
  return entry && zipEntryData(buf, entry, where);
}
